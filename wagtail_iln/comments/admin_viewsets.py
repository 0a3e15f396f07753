"""The comment queue of the admin's "Moderation" menu."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from wagtail.admin.ui.tables import DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from ..admin_access import PrivateSnippetChooserViewSet
from ..moderation.actions import QueueAction
from ..moderation.viewsets import ModerationQueueViewSet, status_column
from . import admin_views
from .filters import CommentFilterSet
from .models import BlockedAccount, Comment
from .moderation import comment_moderation


class CommentViewSet(ModerationQueueViewSet):
    """The queue of comments to moderate: list, inspect, approve, reject, mark as spam."""

    model = Comment
    queue = "comments"  # wagtail_iln_comments:index, :inspect...
    icon = "comment"
    menu_label = _("Comments")

    moderation = comment_moderation
    actions = [
        QueueAction.approve(
            done=_("The comment by %(name)s is approved and shown on “%(page)s”."),
            unchanged=_("This comment was already approved."),
            bulk_done=ngettext_lazy(
                "%(count)d comment approved.", "%(count)d comments approved.", "count"
            ),
            bulk_title=_("Approve comments"),
            bulk_aria_label=_("Approve the selected comments"),
        ),
        QueueAction.reject(
            done=_("The comment by %(name)s is rejected."),
            unchanged=_("This comment was already rejected."),
            bulk_done=ngettext_lazy(
                "%(count)d comment rejected.", "%(count)d comments rejected.", "count"
            ),
            bulk_title=_("Reject comments"),
            bulk_aria_label=_("Reject the selected comments"),
        ),
        QueueAction(
            "spam",
            label=_("Mark as spam"),
            icon="warning",
            serious=True,
            done=_("The comment by %(name)s is marked as spam."),
            unchanged=_("This comment was already marked as spam."),
            bulk_done=ngettext_lazy(
                "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", "count"
            ),
            bulk_title=_("Mark comments as spam"),
            bulk_aria_label=_("Mark the selected comments as spam"),
            bulk_button=_("Yes, mark as spam"),
        ),
    ]
    bulk_items_heading = ngettext_lazy(
        "This comment is chosen:", "These %(counter)s comments are chosen:", "counter"
    )
    bulk_skipped_heading = ngettext_lazy(
        "This comment already has the status “%(new_status)s” and is left as it is:",
        "These %(counter)s comments already have the status “%(new_status)s” and are left "
        "as they are:",
        "counter",
    )

    index_view_class = admin_views.CommentIndexView
    inspect_view_class = admin_views.CommentInspectView
    inspect_template_name = "wagtail_iln/comments/admin/inspect.html"

    list_display = [
        "body",
        "name",
        admin_views.PageColumn("page", label=capfirst(_("page"))),
        admin_views.LanguageColumn("language", label=capfirst(_("language")), sort_key="language"),
        "held_reason",
        status_column(),
        DateColumn("created_at", label=capfirst(_("written at")), sort_key="created_at"),
    ]
    ordering = ["-created_at", "-pk"]
    filterset_class = CommentFilterSet
    search_fields = ["name", "body"]
    inspect_view_fields = [
        "body",
        "name",
        "page",
        "parent",
        "language",
        "held_reason",
        "status",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]

    @classmethod
    def message_params(cls, comment):
        return {"name": comment.name, "page": comment.page.title}

    @classmethod
    def bulk_item_label(cls, comment):
        return admin_views.excerpt(comment)

    @classmethod
    def bulk_item_detail(cls, comment):
        return f"{comment.name} ({comment.get_status_display()})"


class BlockedAccountViewSet(SnippetViewSet):
    """Accounts a moderator stopped from commenting (readers signed in through a provider)."""

    model = BlockedAccount
    icon = "lock"
    menu_label = _("Blocked accounts")
    menu_name = "iln-blocked-accounts"
    # Shown in the "Moderation" menu, so the "Snippets" menu need not list it.
    menu_item_is_registered = True
    list_display = ["user", "reason", DateColumn("blocked_at", label=_("blocked at"))]
    ordering = ["-blocked_at"]
    # Names accounts: Wagtail's chooser would list them to every admin user.
    chooser_viewset_class = PrivateSnippetChooserViewSet
