"""Moving a moderated item from one status to another: locked, checked, idempotent.

An area subclasses ``Moderation``, names its ``model`` and its
``transitions``, and declares what differs as ``on_<transition>`` hooks::

    class PhotoModeration(Moderation):
        model = PhotoSubmission
        transitions = {
            "approve": Transition(Status.APPROVED, sources=[Status.PENDING]),
            "withdraw": Transition(Status.WITHDRAWN, by_moderator=False),
        }

        def on_approve(self, submission, user, **details):
            submission.image = create_image(submission)

``Moderation().apply(item, "approve", user)`` locks the item's row, returns
``False`` when the item already has the transition's status, raises
``ModerationError`` when the transition may not start from its status, else
sets the status (and who moderated it, when), runs the hook and saves, all in
one transaction. Hooks queue what must wait for the commit (e-mails, deleting
files) with ``transaction.on_commit``. An ``after_<transition>`` hook runs once
that transaction is over (committed, unless an outer one is still open): what
it queues with ``on_commit`` comes after everything the transition queued.

A moderator's transition is written in Wagtail's history as
``wagtail_iln.<transition>`` ("Approved", "Rejected", "Marked as spam": the
site history report and the item's history say who did it and when);
``LOG_ACTIONS`` names them, and a queue of one's own registers its others with
the ``register_log_actions`` hook.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..history import log_apart, register_actions

#: The moderators' transitions written in Wagtail's history: ``{name: (label, message)}``.
LOG_ACTIONS = {
    "approve": (_("Approve"), _("Approved")),
    "reject": (_("Reject"), _("Rejected")),
    "spam": (_("Mark as spam"), _("Marked as spam")),
}


def register_log_actions(actions):
    """The ``register_log_actions`` hook: ``wagtail_iln.<name>`` for each of ``LOG_ACTIONS``."""
    register_actions(actions, LOG_ACTIONS)


class ModerationError(Exception):
    """A moderation action that cannot be carried out; the message is for the moderator."""


@dataclass(frozen=True)
class Transition:
    """A move to ``status``: from any other status, or only from one of ``sources``."""

    status: str
    #: The statuses it may start from; ``None``: any other.
    sources: tuple | list | None = None
    #: Why it may not start from the item's status, for the moderator.
    refusal: str = ""
    #: Whether it records who moderated the item and when (not when a submitter acts).
    by_moderator: bool = True

    def allowed_from(self, status):
        return status != self.status and (self.sources is None or status in self.sources)


class Moderation:
    """How an area's items are moderated; subclass it per area, see the module's docstring."""

    model = None
    #: ``{name: Transition}``; the names are those ``apply`` and the hooks use.
    transitions = {}

    def get_queryset(self):
        """The rows to lock; add ``select_related`` for what the hooks read."""
        return self.model._default_manager.all()

    def allows(self, item, name):
        """Whether the transition may start from the item's status as it was read."""
        return self.transitions[name].allowed_from(item.status)

    def apply(self, item, name, user=None, **details):
        """Carry out a transition; ``True`` when this call changed the item, ``False`` if it was
        already done. ``details`` go to the hook (a rejection's reason...)."""
        transition = self.transitions[name]
        try:
            with transaction.atomic():
                locked = self.get_queryset().select_for_update().get(pk=item.pk)
                if locked.status == transition.status:
                    return False
                if not transition.allowed_from(locked.status):
                    raise ModerationError(str(transition.refusal))
                locked.status = transition.status
                if transition.by_moderator:
                    locked.moderated_at = timezone.now()
                    locked.moderated_by = user
                hook = getattr(self, f"on_{name}", None)
                if hook is not None:
                    hook(locked, user, **details)
                locked.save()
                if transition.by_moderator:
                    # A bulk action moderates many items in one request.
                    log_apart(locked, f"wagtail_iln.{name}", user=user)
        except ModerationError:
            raise
        except Exception as error:
            self.on_failure(item, name, error)
            raise
        after = getattr(self, f"after_{name}", None)
        if after is not None:
            after(locked, user)
        return True

    def on_failure(self, item, name, error):
        """A transition failed and was rolled back; raise a ``ModerationError`` to tell the
        moderator why in their words. By default the error goes on as it is."""
