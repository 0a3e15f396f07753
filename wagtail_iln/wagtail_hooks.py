from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .credits.views import ImageCreditViewSet
from .people.bulk_actions import AcceptEnrolmentsBulkAction, WithdrawEnrolmentsBulkAction
from .people.views import ProgrammeViewSetGroup
from .photos.admin_views import ApproveBulkAction, RejectBulkAction
from .photos.admin_viewsets import ModerationViewSetGroup, PhotoModerationPermissionPolicy
from .photos.models import PhotoSubmission

# Before any viewset asks for it, or Wagtail falls back to the add/change/delete policy.
register_permission_policy(PhotoSubmission, PhotoModerationPermissionPolicy(PhotoSubmission))

register_snippet(ImageCreditViewSet)
# The group holds a snippet (the campaigns), so it is registered the way snippets are.
register_snippet(ModerationViewSetGroup)

hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", RejectBulkAction)

register_snippet(ProgrammeViewSetGroup)
hooks.register("register_bulk_action", AcceptEnrolmentsBulkAction)
hooks.register("register_bulk_action", WithdrawEnrolmentsBulkAction)
