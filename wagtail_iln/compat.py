"""What differs between the Wagtail releases the app supports: 7.4 LTS and 8.0.

The rest of the app imports these names from here, never the differing ones
from Wagtail itself, so that leaving 7.4 behind is a change to this module
alone.

- Wagtail 8.0 keeps one registry of permission policies, which its own views
  ask; on 7.4 each viewset makes its own ``ModelPermissionPolicy``, so the
  moderation queues ask :func:`permission_policy_for` instead.
- Wagtail 8.0 lets a site swap the page model (``WAGTAIL_PAGE_MODEL``);
  7.4 has only ``wagtailcore.Page``.
- Wagtail 8.0's ``ModelPermissionPolicy`` names an action's permission in one
  method, ``_get_permission_codename``, which a policy overrides; 7.4 has none.
- Wagtail 8.0's ``PermissionCheckedMixin`` checks the policy of the view's
  ``model`` by default; 7.4's checks nothing unless given a policy.
- Wagtail 8.0 tells a menu group its place with ``get_menu_item_order``.
"""

from django.contrib.auth import get_permission_codename
from django.utils.functional import cached_property
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail import permission_policies
from wagtail.admin.views.generic import permissions

#: The last ``wagtailcore`` migration both releases have; the app's first migration follows it.
WAGTAILCORE_MIGRATION = ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes")

if WAGTAIL_VERSION >= (8, 0):
    import swapper
    from wagtail.permission_policies import ModelPermissionPolicy
    from wagtail.permissions import policy_registry, register_permission_policy

    def permission_policy_for(model):
        """The permission policy registered for ``model``, or Wagtail's model policy."""
        return policy_registry.get_by_type(model)

    def page_model():
        """The label of the site's page model, as a migration names it."""
        return swapper.get_model_name("wagtailcore", "Page")

    def page_model_dependency():
        """The migration that makes the site's page model."""
        return swapper.dependency("wagtailcore", "Page")

    def menu_item_order(registerable, order=None):
        """Its ``menu_order``, else ``order``, else last: where a menu item goes."""
        return registerable.get_menu_item_order(order)

else:

    class ModelPermissionPolicy(permission_policies.ModelPermissionPolicy):
        """Wagtail's policy, naming an action's permission in one method, as from 8.0 on."""

        def _get_permission_codename(self, action):
            return get_permission_codename(action, self.auth_model._meta)

        def _get_permission_codenames(self, actions):
            return {self._get_permission_codename(action) for action in actions}

        def _get_permission_name(self, action):
            return f"{self.app_label}.{self._get_permission_codename(action)}"

    _policies = {}

    def register_permission_policy(model, policy):
        _policies[model] = policy

    def permission_policy_for(model):
        """The permission policy registered for ``model``, or Wagtail's model policy."""
        if model not in _policies:
            _policies[model] = ModelPermissionPolicy(model)
        return _policies[model]

    def page_model():
        """The label of the site's page model, as a migration names it."""
        return "wagtailcore.Page"

    def page_model_dependency():
        """The migration that makes the site's page model."""
        return WAGTAILCORE_MIGRATION

    def menu_item_order(registerable, order=None):
        """Its ``menu_order``, else ``order``, else last: where a menu item goes."""
        return next(o for o in (registerable.menu_order, order, 8999) if o is not None)


class PermissionCheckedMixin(permissions.PermissionCheckedMixin):
    """Wagtail's mixin, asking the permission policy of the view's ``model`` unless given one."""

    @cached_property
    def permission_policy(self):
        return getattr(self, "model", None) and permission_policy_for(self.model)


__all__ = [
    "ModelPermissionPolicy",
    "PermissionCheckedMixin",
    "WAGTAILCORE_MIGRATION",
    "WAGTAIL_VERSION",
    "menu_item_order",
    "page_model",
    "page_model_dependency",
    "permission_policy_for",
    "register_permission_policy",
]
