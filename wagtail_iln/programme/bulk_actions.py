"""Accept, decline or withdraw several enrolments at once, from the enrolments listings.

Accepting and declining tell each person whose enrolment changed, by e-mail in
their language, once the change is committed. Each change is written in the
enrolment's history in Wagtail ("Accepted", with who did it and when).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..admin_access import BulkActionPermissionMixin
from ..compat import permission_policy_for
from ..history import log_apart, register_actions
from .choices import EnrolmentStatus
from .emails import tell_decisions
from .models import Enrolment

#: The decisions written in an enrolment's history: ``{action type: (label, message)}``.
LOG_ACTIONS = {
    "accept": (_("Accept"), pgettext_lazy("an enrolment's history", "Accepted")),
    "decline": (_("Decline"), pgettext_lazy("an enrolment's history", "Declined")),
    "withdraw": (_("Withdraw"), pgettext_lazy("an enrolment's history", "Withdrawn")),
}


def register_log_actions(actions):
    """The ``register_log_actions`` hook: ``wagtail_iln.accept``, ``.decline``, ``.withdraw``."""
    register_actions(actions, LOG_ACTIONS)


class EnrolmentStatusBulkAction(BulkActionPermissionMixin, SnippetBulkAction):
    """Set the status of the chosen enrolments; subclasses say which status."""

    models = [Enrolment]
    required_action = "change"
    template_name = "wagtail_iln/programme/confirm_bulk_enrolment_status.html"
    new_status = None
    # Whether the people whose enrolment changed are told by e-mail.
    tells = False

    def check_perm(self, enrolment):
        return permission_policy_for(self.model).user_has_permission_for_instance(
            self.request.user, "change", enrolment
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolments = [entry["item"] for entry in context["items"]]
        emailed = [
            enrolment
            for enrolment in enrolments
            if enrolment.status != self.new_status and enrolment.participant.may_be_emailed
        ]
        return {
            **context,
            "action_label": self.display_name,
            "new_status": EnrolmentStatus(self.new_status).label,
            "tells": self.tells,
            # Who the decision e-mail goes to: nobody already in the status, nobody who
            # may not be e-mailed (``execute_action``, ``emails.send_enrolment_decision``).
            "emailed_count": len(emailed),
            "all_emailed": len(emailed) == len(enrolments),
        }

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        changing = (
            Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in objects])
            .exclude(status=cls.new_status)
            .select_related("participant", "round")  # each history entry is labelled with both
        )
        changed = list(changing)
        changed_ids = [enrolment.pk for enrolment in changed]
        Enrolment.objects.filter(pk__in=changed_ids).update(status=cls.new_status)
        for enrolment in changed:
            enrolment.status = cls.new_status  # its label names the status it now has
            log_apart(enrolment, f"wagtail_iln.{cls.action_type}", user=user)
        if cls.tells:
            tell_decisions(changed_ids)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d enrolment is now %(status)s.",
            "%(count)d enrolments are now %(status)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": EnrolmentStatus(self.new_status).label}


class AcceptEnrolmentsBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Accept")
    action_type = "accept"
    aria_label = _("Accept the selected enrolments")
    action_priority = 10
    new_status = EnrolmentStatus.ACCEPTED
    tells = True


class DeclineEnrolmentsBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Decline")
    action_type = "decline"
    aria_label = _("Decline the selected applications")
    action_priority = 15
    new_status = EnrolmentStatus.DECLINED
    tells = True


class WithdrawEnrolmentsBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Withdraw")
    action_type = "withdraw"
    aria_label = _("Withdraw the selected enrolments")
    action_priority = 20
    new_status = EnrolmentStatus.WITHDRAWN
