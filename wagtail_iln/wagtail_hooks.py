from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin_access import SnippetDeleteBulkAction
from .comments.admin_viewsets import BlockedAccountViewSet, CommentViewSet
from .credits.views import ImageCreditViewSet
from .mailings import admin_views as mailing_admin
from .mailings import sending as mailing_sending
from .matching import history as matching_history
from .moderation import service as moderation_service
from .moderation.group import ModerationViewSetGroup, register_in_menu, register_queue
from .photos.admin_viewsets import PhotoCampaignViewSet, PhotoSubmissionViewSet
from .programme import bulk_actions as enrolment_bulk_actions
from .programme import home_panels
from .programme import personal_data as participant_data
from .programme.bulk_actions import (
    AcceptEnrolmentsBulkAction,
    DeclineEnrolmentsBulkAction,
    WithdrawEnrolmentsBulkAction,
)
from .programme.views import ProgrammeViewSetGroup

# First: a queue registers its model's permission policy, which Wagtail wants
# before any viewset asks for it.
register_queue(PhotoSubmissionViewSet)
register_queue(CommentViewSet)
register_in_menu(PhotoCampaignViewSet)
register_in_menu(BlockedAccountViewSet)

register_snippet(ImageCreditViewSet)
# The group holds a snippet (the campaigns), so it is registered the way snippets are.
register_snippet(ModerationViewSetGroup)

register_snippet(ProgrammeViewSetGroup)
hooks.register("register_bulk_action", AcceptEnrolmentsBulkAction)
hooks.register("register_bulk_action", DeclineEnrolmentsBulkAction)
# After Wagtail's own (order 0), so that it replaces it for the app's snippets.
hooks.register("register_bulk_action", SnippetDeleteBulkAction, order=1)
hooks.register("register_bulk_action", WithdrawEnrolmentsBulkAction)
hooks.register("construct_homepage_panels", home_panels.add_panels)
hooks.register("register_log_actions", moderation_service.register_log_actions)
hooks.register("register_log_actions", matching_history.register_log_actions)
hooks.register("register_log_actions", enrolment_bulk_actions.register_log_actions)
hooks.register("register_log_actions", participant_data.register_log_actions)
hooks.register("register_log_actions", mailing_sending.register_log_actions)
hooks.register("register_admin_urls", mailing_admin.admin_urls)
hooks.register("register_page_header_buttons", mailing_admin.header_buttons)


@hooks.register("insert_global_admin_css")
def admin_css():
    """The app's admin styles: its listings at phone widths, the moderation layout."""
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_iln/css/admin.css"))
