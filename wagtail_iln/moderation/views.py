"""The views every queue shares: the listing, one item, a moderation action, a bulk action.

Each checks the ``moderate`` action of the model's permission policy (see
``permissions.ModerationPermissionPolicy``).
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from .permissions import user_can_moderate


def paragraphs(text):
    """Plain text typed by someone, escaped, its line breaks kept."""
    return mark_safe(linebreaks(text, autoescape=True))  # linebreaks escaped the text


class ModerationPermissionMixin(PermissionCheckedMixin):
    model = None
    permission_required = "moderate"
    any_permission_required = None
    #: URL names of the viewset's views of one item, by name: ``{"approve": "...:approve"}``.
    item_url_names = None

    @cached_property
    def permission_policy(self):
        # Never None: without a model the view refuses to run rather than let anyone in.
        return policy_registry.get_by_type(self.model)

    def get_item_url(self, name, instance):
        return reverse(self.item_url_names[name], args=[quote(instance.pk)])


class QueueIndexView(ModerationPermissionMixin, IndexView):
    """A queue: what waits by default, with the bulk actions of the model."""

    template_name = "wagtail_iln/moderation/admin/index.html"
    #: How a row's checkbox names its item to the bulk-actions script.
    bulk_obj_type = "item"
    select_all_text = None

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type=self.bulk_obj_type),
            *super().columns,
        ]

    def _get_title_column(self, *args, **kwargs):
        def get_title_id(instance):
            return f"{self.bulk_obj_type}_{quote(instance.pk)}_title"

        return super()._get_title_column(*args, **kwargs, get_title_id=get_title_id)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "select_all_text": self.select_all_text}


class QueueInspectView(ModerationPermissionMixin, InspectView):
    """One item, with the URLs of its moderation actions as ``<name>_url`` in the context."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for name in self.item_url_names or {}:
            context[f"{name}_url"] = self.get_item_url(name, self.object)
        return context


class ModerationActionView(ModerationPermissionMixin, View):
    """Moderate one item on POST, then back to the queue with a message.

    ``moderate()`` calls the moderation service; an exception listed in
    ``error_classes`` becomes an error message on the item's inspect view.
    """

    http_method_names = ["post"]
    index_url_name = None
    inspect_url_name = None
    #: Exceptions whose message is written for the moderator.
    error_classes = ()

    def get_queryset(self):
        return self.model._default_manager.all()

    def post(self, request, pk):
        instance = get_object_or_404(self.get_queryset(), pk=pk)
        inspect_url = reverse(self.inspect_url_name, args=[quote(instance.pk)])
        try:
            done = self.moderate(instance)
        except self.error_classes as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(inspect_url)
        if done is None:
            return HttpResponseRedirect(inspect_url)
        instance.refresh_from_db()
        self.tell(instance, done)
        next_url = get_valid_next_url_from_request(request) or reverse(self.index_url_name)
        return HttpResponseRedirect(next_url)

    def moderate(self, instance):
        """Act on the item; ``True`` when this request changed it, ``None`` to stop."""
        raise NotImplementedError

    def tell(self, instance, done):
        """Say what happened; ``done`` is false when the item already was as asked."""
        if done:
            buttons = self.get_success_buttons(instance)
            messages.success(self.request, self.get_success_message(instance), buttons=buttons)
        else:
            messages.warning(self.request, self.get_unchanged_message(instance))

    def get_success_message(self, instance):
        raise NotImplementedError

    def get_success_buttons(self, instance):
        """Buttons shown with the success message, made with ``messages.button()``."""
        return []

    def get_unchanged_message(self, instance):
        raise NotImplementedError


class ModerationBulkAction(BulkAction):
    """Moderate several items picked in a queue, behind the same permission as the queue.

    The action applies to the chosen items whose status is one of
    ``get_actionable_statuses()``; the others are listed as left alone. "Select
    all" takes those items of the filtered, searched listing.
    """

    template_name = "wagtail_iln/moderation/admin/bulk_confirm.html"
    filterset_class = None
    search_fields = ()
    inspect_url_name = None
    header_icon = None
    #: Exceptions whose message is written for the moderator.
    error_classes = ()
    page_title = None
    action_button_text = None
    items_template_name = None
    skipped_template_name = None

    def dispatch(self, request, *args, **kwargs):
        if not user_can_moderate(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    #: The statuses of the items this action applies to.
    actionable_statuses = ()

    def get_actionable_statuses(self):
        return self.actionable_statuses

    def check_perm(self, instance):
        return instance.status in self.get_actionable_statuses()

    def get_all_objects_in_listing_query(self, parent_id):
        items = self.filterset_class(self.request.GET).qs
        if query := self.request.GET.get("q", "").strip():
            match = Q()
            for field in self.search_fields:
                match |= Q(**{f"{field}__icontains": query})
            items = items.filter(match)
        items = items.filter(status__in=self.get_actionable_statuses())
        return items.values_list("pk", flat=True)

    def object_context(self, instance):
        return {
            "item": instance,
            "inspect_url": reverse(self.inspect_url_name, args=[quote(instance.pk)]),
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "header_icon": self.header_icon,
            "page_title": self.page_title,
            "action_button_text": self.action_button_text,
            "action_button_class": " ".join(sorted(self.classes)),
            "items_template_name": self.items_template_name,
            "skipped_template_name": self.skipped_template_name,
        }

    def get_execution_context(self):
        return {"request": self.request, "form": self.cleaned_form}

    @classmethod
    def execute_action(cls, objects, request=None, form=None, **kwargs):
        changed = 0
        for instance in objects:
            try:
                changed += bool(cls.moderate(instance, request.user, form))
            except cls.error_classes as error:
                messages.error(request, cls.error_message(instance, error))
        return changed, 0

    @classmethod
    def moderate(cls, instance, user, form):
        """Act on one item; true when this call changed it."""
        raise NotImplementedError

    @classmethod
    def error_message(cls, instance, error):
        return str(error)
