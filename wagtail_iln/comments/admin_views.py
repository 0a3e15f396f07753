"""The moderators' views of comments: the queue, one comment, approving, rejecting, spam.

Every view checks the ``moderate`` action of the comments' permission policy
(``wagtail_iln.moderate_comment``, see ``wagtail_iln.moderation``).
"""

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn

from ..moderation.views import (
    ModerationActionView,
    ModerationBulkAction,
    QueueIndexView,
    QueueInspectView,
    paragraphs,
)
from .filters import CommentFilterSet, language_name
from .models import Comment
from .moderation import approve, mark_spam, reject

Status = Comment.Status

# The URL namespace of the queue: ``wagtail_iln_comments:index``, ``:inspect``...
VIEWSET_NAME = "wagtail_iln_comments"

SEARCH_FIELDS = ["name", "body"]
EXCERPT_LENGTH = 80


def excerpt(comment):
    return Truncator(" ".join(comment.body.split())).chars(EXCERPT_LENGTH)


def page_link(page, request=None):
    """The page a comment was written on, linked to where the public reads it when live."""
    url = page.get_url(request=request) if page.live else None
    if not url:
        return page.title
    return format_html('<a href="{}" target="_blank" rel="noreferrer">{}</a>', url, page.title)


class ExcerptColumn(TitleColumn):
    def get_value(self, instance):
        return excerpt(instance)


class PageColumn(Column):
    cell_template_name = "wagtail_iln/comments/admin/_page_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = page_link(instance.page, parent_context.get("request"))
        return context


class LanguageColumn(Column):
    def get_value(self, instance):
        return language_name(instance.language)


class CommentIndexView(QueueIndexView):
    """The queue: the pending comments by default, newest first; any status through the filter."""

    bulk_obj_type = "comment"
    select_all_text = _("Select all comments in listing")

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("page")

    def _get_title_column(self, field_name, column_class=ExcerptColumn, **kwargs):
        return super()._get_title_column(field_name, column_class, **kwargs)


class CommentInspectView(QueueInspectView):
    """One comment in full, the page it was written on, the comment it answers, and the actions."""

    inspect_url_name = None

    def get_object(self, queryset=None):
        comments = Comment.objects.select_related("page", "parent", "moderated_by")
        return get_object_or_404(comments, pk=self.pk)

    def get_page_title(self):
        return gettext("Comment")

    def get_page_subtitle(self):
        return self.object.name

    def get_body_display_value(self):
        return paragraphs(self.object.body)

    def get_page_display_value(self):
        return page_link(self.object.page, self.request)

    def get_language_display_value(self):
        return language_name(self.object.language)

    def get_parent_display_value(self):
        parent = self.object.parent
        if parent is None:
            return None
        return format_html(
            '<p><a href="{url}">{name}</a> ({status})</p><blockquote>{body}</blockquote>',
            url=reverse(self.inspect_url_name, args=[quote(parent.pk)]),
            name=parent.name,
            status=parent.get_status_display(),
            body=paragraphs(parent.body),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = [
            (Status.APPROVED, "approve", gettext("Approve"), "check", ""),
            (Status.REJECTED, "reject", gettext("Reject"), "cross", "serious"),
            (Status.SPAM, "spam", gettext("Mark as spam"), "warning", "serious"),
        ]
        context["comment"] = self.object
        context["moderation_actions"] = [
            {
                "name": name,
                "url": context[f"{name}_url"],
                "label": label,
                "icon": icon,
                "classname": classname,
            }
            for status, name, label, icon, classname in actions
            if self.object.status != status
        ]
        if self.object.status == Status.APPROVED and self.object.page.live:
            page_url = self.object.page.get_url(request=self.request)
            context["shown_url"] = f"{page_url}#comment-{self.object.pk}" if page_url else ""
        return context


class CommentActionView(ModerationActionView):
    """Calls ``service`` (one of ``comments.moderation``'s functions) on the comment."""

    model = Comment
    service = None

    def moderate(self, comment):
        return self.service(comment, self.request.user)


class ApproveView(CommentActionView):
    service = staticmethod(approve)

    def get_success_message(self, comment):
        message = gettext("The comment by %(name)s is approved and shown on “%(page)s”.")
        return message % {"name": comment.name, "page": comment.page.title}

    def get_unchanged_message(self, comment):
        return gettext("This comment was already approved.")


class RejectView(CommentActionView):
    service = staticmethod(reject)

    def get_success_message(self, comment):
        return gettext("The comment by %(name)s is rejected.") % {"name": comment.name}

    def get_unchanged_message(self, comment):
        return gettext("This comment was already rejected.")


class SpamView(CommentActionView):
    service = staticmethod(mark_spam)

    def get_success_message(self, comment):
        return gettext("The comment by %(name)s is marked as spam.") % {"name": comment.name}

    def get_unchanged_message(self, comment):
        return gettext("This comment was already marked as spam.")


class CommentBulkAction(ModerationBulkAction):
    """Approve, reject or mark as spam several comments picked in the queue.

    It applies to the chosen comments that are not already in the status it
    gives, so spam caught by mistake can be approved in bulk too.
    """

    models = [Comment]
    filterset_class = CommentFilterSet
    search_fields = SEARCH_FIELDS
    inspect_url_name = f"{VIEWSET_NAME}:inspect"
    header_icon = "comment"
    items_template_name = "wagtail_iln/comments/admin/_bulk_items.html"
    skipped_template_name = "wagtail_iln/comments/admin/_bulk_items_skipped.html"
    new_status = None
    service = None

    def get_actionable_statuses(self):
        return [status for status in Status.values if status != self.new_status]

    def object_context(self, comment):
        return {**super().object_context(comment), "excerpt": excerpt(comment)}

    @cached_property
    def new_status_label(self):
        return Status(self.new_status).label

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "new_status": self.new_status_label}

    @classmethod
    def moderate(cls, comment, user, form):
        return cls.service(comment, user)


class ApproveBulkAction(CommentBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected comments")
    page_title = _("Approve comments")
    action_button_text = _("Yes, approve")
    action_priority = 10
    new_status = Status.APPROVED
    service = staticmethod(approve)

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return ngettext(
                "%(count)d comment approved.", "%(count)d comments approved.", num_parent_objects
            ) % {"count": num_parent_objects}


class RejectBulkAction(CommentBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected comments")
    page_title = _("Reject comments")
    action_button_text = _("Yes, reject")
    action_priority = 20
    classes = {"serious"}
    new_status = Status.REJECTED
    service = staticmethod(reject)

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return ngettext(
                "%(count)d comment rejected.", "%(count)d comments rejected.", num_parent_objects
            ) % {"count": num_parent_objects}


class SpamBulkAction(CommentBulkAction):
    display_name = _("Mark as spam")
    action_type = "spam"
    aria_label = _("Mark the selected comments as spam")
    page_title = _("Mark comments as spam")
    action_button_text = _("Yes, mark as spam")
    action_priority = 30
    classes = {"serious"}
    new_status = Status.SPAM
    service = staticmethod(mark_spam)

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return ngettext(
                "%(count)d comment marked as spam.",
                "%(count)d comments marked as spam.",
                num_parent_objects,
            ) % {"count": num_parent_objects}
