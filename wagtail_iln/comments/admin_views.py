"""The moderators' views of comments: the queue and one comment.

Every view checks the ``moderate`` action of the comments' permission policy
(``wagtail_iln.moderate_comment``, see ``wagtail_iln.moderation``). Approving,
rejecting and marking as spam are the queue's actions (``admin_viewsets.py``).
"""

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, TitleColumn

from ..moderation.views import QueueIndexView, QueueInspectView, paragraphs
from .filters import language_name
from .models import Comment

Status = Comment.Status

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
        context["comment"] = self.object
        if self.object.status == Status.APPROVED and self.object.page.live:
            page_url = self.object.page.get_url(request=self.request)
            context["shown_url"] = f"{page_url}#comment-{self.object.pk}" if page_url else ""
        return context
