"""What happens to a round's partnerships, written in the round's history in Wagtail.

The round's **History** (and Reports → Site history) says who published its
partnerships and how many, who broke up a proposed partnership, and which
proposals went because a member withdrew their consent.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import LogFormatter, log

from ..history import log_apart

PUBLISHED = "wagtail_iln.publish_partnerships"
BROKEN_UP = "wagtail_iln.break_up"
CONSENT_WITHDRAWN = "wagtail_iln.break_up_withdrawn"


class PublishedFormatter(LogFormatter):
    label = _("Publish partnerships")

    def format_message(self, log_entry):
        count = (log_entry.data or {}).get("partnerships", 0)
        return ngettext(
            "Published %(count)s partnership and introduced its members",
            "Published %(count)s partnerships and introduced their members",
            count,
        ) % {"count": count}


class BrokenUpFormatter(LogFormatter):
    label = _("Break up a partnership")

    def format_message(self, log_entry):
        return _("Broke up the proposed partnership of %(names)s") % {
            "names": (log_entry.data or {}).get("names", "")
        }


def register_log_actions(actions):
    """The ``register_log_actions`` hook: the round's partnership actions."""
    actions.register_action(PUBLISHED)(PublishedFormatter)
    actions.register_action(BROKEN_UP)(BrokenUpFormatter)
    actions.register_action(
        CONSENT_WITHDRAWN,
        _("Break up a partnership"),
        _("A proposed partnership was broken up: a member withdrew their consent"),
    )


def published(round, count, user=None):
    log(round, PUBLISHED, user=user, data={"partnerships": count})


def broken_up(round, names, user=None):
    log(round, BROKEN_UP, user=user, data={"names": names})


def broken_up_by_withdrawal(round):
    # No name: the person withdrew their consent, the entry outlives it. One withdrawal
    # may break up several proposals in one request.
    log_apart(round, CONSENT_WITHDRAWN)
