from django.contrib.auth import get_permission_codename, get_user_model

from ..compat import ModelPermissionPolicy, permission_policy_for


class ModerationPermissionPolicy(ModelPermissionPolicy):
    """Seeing and moderating a queue both need one permission, ``moderate_<model>`` by default.

    What is moderated comes from the public: nobody adds, edits or deletes it
    in the admin, superusers included.
    """

    allowed_actions = frozenset({"view", "moderate"})

    def __init__(self, model, codename=None, auth_model=None):
        super().__init__(model, auth_model=auth_model)
        self._codename = codename

    @property
    def codename(self):
        return self._codename or get_permission_codename("moderate", self.auth_model._meta)

    def _get_permission_codename(self, action):
        return self.codename

    def user_has_permission(self, user, action):
        return action in self.allowed_actions and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if not self.allowed_actions.intersection(actions):
            return get_user_model().objects.none()
        return super().users_with_any_permission(actions)


def user_can_moderate(user, model):
    return permission_policy_for(model).user_has_permission(user, "moderate")
