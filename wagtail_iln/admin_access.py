"""Admin views Wagtail opens to every admin user, closed to those without the model's permission.

Wagtail lets anyone who may use the admin search a snippet's chooser and open
a bulk action's confirmation page, which lists the chosen items by name. For
the programme's people that is personal data: those views here first ask the
model's permission policy.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.functional import classproperty
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import chooser

from .compat import permission_policy_for
from .links import is_id

#: Any of these on the model lets a user choose one of its items.
CHOOSE_ACTIONS = {"add", "change", "delete", "view"}


class ChooserPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        policy = permission_policy_for(self.model_class)
        if not policy.user_has_any_permission(request.user, CHOOSE_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ChooseView(ChooserPermissionMixin, chooser.ChooseView):
    pass


class ChooseResultsView(ChooserPermissionMixin, chooser.ChooseResultsView):
    pass


class ChosenView(ChooserPermissionMixin, chooser.SnippetChosenView):
    pass


class ChosenMultipleView(ChooserPermissionMixin, chooser.SnippetChosenMultipleView):
    pass


class CreateView(ChooserPermissionMixin, chooser.SnippetCreateView):
    pass


class PrivateSnippetChooserViewSet(chooser.SnippetChooserViewSet):
    """The chooser of a snippet holding personal data: only for users with a permission on it."""

    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView


class UnknownIdsNotFoundMixin:
    """A bulk action asked for ids that name no item, numbers or not (``?id=abc``): 404.

    Wagtail looks them up as they are: a malformed one, or one no column can
    hold (forty digits), made a server error. The app's models have integer ids.
    """

    @classmethod
    def get_queryset(cls, model, object_ids):
        try:
            ids = [model._meta.pk.to_python(value) for value in object_ids]
        except ValidationError as error:
            raise Http404 from error
        if not all(is_id(pk) for pk in ids):
            raise Http404
        return super().get_queryset(model, ids)


class BulkActionPermissionMixin(UnknownIdsNotFoundMixin):
    """A bulk action refused outright to users who may not do it to any item of the model."""

    #: The permission policy's action the bulk action needs, e.g. "delete".
    required_action = None

    def dispatch(self, request, *args, **kwargs):
        policy = permission_policy_for(self.model)
        if not policy.user_has_permission(request.user, self.required_action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SnippetDeleteBulkAction(BulkActionPermissionMixin, DeleteBulkAction):
    """Wagtail's bulk delete for the app's snippets, refused to users who may not delete them."""

    required_action = "delete"

    @classproperty
    def models(cls):
        return [model for model in get_snippet_models() if model._meta.app_label == "wagtail_iln"]
