from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .admin_access import SnippetDeleteBulkAction
from .comments import admin_views as comment_admin
from .comments.models import Comment
from .credits.views import ImageCreditViewSet
from .moderation.group import ModerationViewSetGroup
from .moderation.permissions import ModerationPermissionPolicy
from .photos import admin_views as photo_admin
from .photos.models import PhotoSubmission
from .programme.bulk_actions import AcceptEnrolmentsBulkAction, WithdrawEnrolmentsBulkAction
from .programme.views import ProgrammeViewSetGroup

# Before any viewset asks for them, or Wagtail falls back to the add/change/delete policy.
register_permission_policy(
    PhotoSubmission, ModerationPermissionPolicy(PhotoSubmission, "moderate_photosubmission")
)
register_permission_policy(Comment, ModerationPermissionPolicy(Comment, "moderate_comment"))

register_snippet(ImageCreditViewSet)
# The group holds a snippet (the campaigns), so it is registered the way snippets are.
register_snippet(ModerationViewSetGroup)

hooks.register("register_bulk_action", photo_admin.ApproveBulkAction)
hooks.register("register_bulk_action", photo_admin.RejectBulkAction)
hooks.register("register_bulk_action", comment_admin.ApproveBulkAction)
hooks.register("register_bulk_action", comment_admin.RejectBulkAction)
hooks.register("register_bulk_action", comment_admin.SpamBulkAction)

register_snippet(ProgrammeViewSetGroup)
hooks.register("register_bulk_action", AcceptEnrolmentsBulkAction)
# After Wagtail's own (order 0), so that it replaces it for the app's snippets.
hooks.register("register_bulk_action", SnippetDeleteBulkAction, order=1)
hooks.register("register_bulk_action", WithdrawEnrolmentsBulkAction)
