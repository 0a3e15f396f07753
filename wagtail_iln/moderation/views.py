"""The views every queue shares: the listing, one item, a moderation action, a bulk action.

Each checks the ``moderate`` action of the model's permission policy (see
``permissions.ModerationPermissionPolicy``). The actions come from the
``actions`` table of the queue (``actions.QueueAction``) and call its
``moderation`` (``service.Moderation``).
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
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

from ..admin_access import UnknownIdsNotFoundMixin
from ..compat import permission_policy_for
from ..mail import after_response
from .permissions import user_can_moderate
from .service import ModerationError


def paragraphs(text):
    """Plain text typed by someone, escaped, its line breaks kept."""
    return mark_safe(linebreaks(text, autoescape=True))  # linebreaks escaped the text


class ModerationPermissionMixin(PermissionCheckedMixin):
    model = None
    permission_required = "moderate"
    any_permission_required = None
    #: URL names of the viewset's views of one item, by name: ``{"approve": "...:approve"}``.
    item_url_names = None
    #: The ``ModerationQueueViewSet`` the view belongs to.
    queue = None

    @cached_property
    def permission_policy(self):
        # Never None: without a model the view refuses to run rather than let anyone in.
        return permission_policy_for(self.model)

    def get_item_url(self, name, instance):
        return reverse(self.item_url_names[name], args=[quote(instance.pk)])


class QueueIndexView(ModerationPermissionMixin, IndexView):
    """A queue: what waits by default, with the bulk actions of the model."""

    template_name = "wagtail_iln/moderation/admin/index.html"
    # Scrolls sideways on a phone (css/admin.css), its last columns in reach.
    table_classname = "listing iln-listing"
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
    """One item, with the URLs of its views as ``<name>_url`` in the context, and as
    ``moderation_actions`` the actions that may start from its status, each with its form.

    ``action_forms`` maps an action's name to a form the moderator already filled
    in: ``ModerationActionView`` hands an invalid one back this way (``render_with_form``),
    with its data and its errors.
    """

    template_name = "wagtail_iln/moderation/admin/inspect.html"
    action_forms = None

    @classmethod
    def render_with_form(cls, view_func, request, pk, name, form, status=400):
        """The page ``view_func`` (this view, as the viewset made it) shows of item ``pk``,
        with ``form`` in place of the action ``name``'s empty form.

        The caller has checked the permission: this is the same one.
        """
        view = view_func.view_class(**view_func.view_initkwargs)
        view.action_forms = {name: form}
        view.setup(request, pk=pk)
        response = view.get(request, pk=pk)
        response.status_code = status
        return response

    def get_action_form(self, action):
        if not action.form_class:
            return None
        if self.action_forms and action.name in self.action_forms:
            return self.action_forms[action.name]
        return action.form_class(prefix=action.name)

    def get_moderation_actions(self):
        return [
            {
                "name": action.name,
                "url": self.get_item_url(action.name, self.object),
                "label": action.label,
                "icon": action.icon,
                "classname": action.classname,
                "form": self.get_action_form(action),
            }
            for action in self.queue.actions
            if self.queue.moderation.allows(self.object, action.name)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for name in self.item_url_names or {}:
            context[f"{name}_url"] = self.get_item_url(name, self.object)
        context["moderation_actions"] = self.get_moderation_actions()
        return context


class ModerationActionView(ModerationPermissionMixin, View):
    """One action of the queue on one item, on POST; then back to the queue with a message.

    Its form, if the action has one, comes prefixed with the action's name; when
    it is not valid, the item's page is shown again (status 400) with the form as
    the moderator filled it in and the errors beside its fields. When the service
    refuses (``ModerationError``), the moderator is sent back to the item with the
    reason.
    """

    http_method_names = ["post"]
    index_url_name = None
    inspect_url_name = None
    #: The ``QueueAction``.
    action = None

    # The tasks an action queues (e-mails, pages to render) wait until the answer is sent.
    @method_decorator(after_response)
    def post(self, request, pk):
        instance = get_object_or_404(self.model._default_manager.all(), pk=pk)
        back = HttpResponseRedirect(reverse(self.inspect_url_name, args=[quote(instance.pk)]))
        form = None
        if self.action.form_class:
            form = self.action.form_class(request.POST, prefix=self.action.name)
            if not form.is_valid():
                errors = "; ".join(error for errors in form.errors.values() for error in errors)
                messages.error(request, str(self.action.invalid) % errors)
                return self.queue.inspect_view_class.render_with_form(
                    self.queue.inspect_view, request, instance.pk, self.action.name, form
                )
        details = self.action.details(instance, form)
        try:
            done = self.queue.moderation.apply(instance, self.action.name, request.user, **details)
        except ModerationError as error:
            messages.error(request, str(error))
            return back
        instance.refresh_from_db()
        params = self.queue.message_params(instance)
        if done:
            buttons = self.queue.get_success_buttons(self.action, instance)
            messages.success(request, str(self.action.done) % params, buttons=buttons)
        else:
            messages.warning(request, str(self.action.unchanged) % params)
        next_url = get_valid_next_url_from_request(request) or reverse(self.index_url_name)
        return HttpResponseRedirect(next_url)


class ModerationBulkAction(UnknownIdsNotFoundMixin, BulkAction):
    """One action of a queue on several items picked in it, behind the queue's permission.

    ``for_queue()`` makes the class for an action of a queue. It applies to the
    chosen items the action may start from; the others are listed as left
    alone. "Select all" takes those items of the filtered, searched listing.
    """

    template_name = "wagtail_iln/moderation/admin/bulk_confirm.html"
    #: The ``ModerationQueueViewSet`` class and the ``QueueAction``.
    queue = None
    action = None

    @classmethod
    def for_queue(cls, queue, action, priority):
        return type(
            f"{queue.model.__name__}{action.name.title()}BulkAction",
            (cls,),
            {
                "models": [queue.model],
                "queue": queue,
                "action": action,
                "display_name": action.label,
                "action_type": action.name,
                "aria_label": action.bulk_aria_label,
                "action_priority": priority,
                "classes": {"serious"} if action.serious else set(),
                "form_class": action.form_class or BulkAction.form_class,
            },
        )

    # The tasks the actions queue wait until the answer is sent; the pages to render are
    # gathered into one task (``mail.enqueue_gathered_after_commit``).
    @method_decorator(after_response)
    def dispatch(self, request, *args, **kwargs):
        if not user_can_moderate(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def actionable_statuses(self):
        transition = self.queue.moderation.transitions[self.action.name]
        return [status for status in self.model.Status.values if transition.allowed_from(status)]

    def check_perm(self, instance):
        return instance.status in self.actionable_statuses

    def get_all_objects_in_listing_query(self, parent_id):
        items = self.queue.filterset_class(self.request.GET).qs
        if query := self.request.GET.get("q", "").strip():
            match = Q()
            for field in self.queue.search_fields:
                match |= Q(**{f"{field}__icontains": query})
            items = items.filter(match)
        items = items.filter(status__in=self.actionable_statuses)
        return items.values_list("pk", flat=True)

    def object_context(self, instance):
        return {
            "item": instance,
            "label": self.queue.bulk_item_label(instance),
            "detail": self.queue.bulk_item_detail(instance),
            "inspect_url": reverse(f"{self.queue.name}:inspect", args=[quote(instance.pk)]),
        }

    def get_context_data(self, **kwargs):
        status = self.queue.moderation.transitions[self.action.name].status
        context = super().get_context_data(**kwargs)
        skipped = [self.object_context(item) for item in context["items_with_no_access"]]
        words = {"new_status": self.model.Status(status).label}
        return {
            **context,
            "header_icon": self.queue.icon,
            "page_title": self.action.bulk_title,
            "action_button_text": self.action.bulk_button,
            "action_button_class": self.action.classname,
            "lists": [
                (entries, heading % {"counter": len(entries), **words})
                for entries, heading in [
                    (context["items"], self.queue.bulk_items_heading),
                    (skipped, self.queue.bulk_skipped_heading),
                ]
                if entries and heading
            ],
        }

    def get_execution_context(self):
        return {"request": self.request, "form": self.cleaned_form}

    @classmethod
    def execute_action(cls, objects, request=None, form=None, **kwargs):
        changed = 0
        for instance in objects:
            details = cls.action.details(instance, form if cls.action.form_class else None)
            try:
                changed += cls.queue.moderation.apply(
                    instance, cls.action.name, request.user, **details
                )
            except ModerationError as error:
                messages.error(request, cls.queue.error_message(instance, error))
        return changed, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return self.action.bulk_done % {"count": num_parent_objects}
