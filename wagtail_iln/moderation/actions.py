"""What a queue offers a moderator to do to its items: one row per action."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


def no_details(item, form):
    return {}


@dataclass(frozen=True)
class QueueAction:
    """An action of a queue, one item at a time and in bulk.

    ``name`` is the name of its ``Transition`` in the queue's ``Moderation``,
    the URL name of its view (``<viewset name>:<name>``, at ``<name>/<pk>/``),
    the ``action_type`` of its bulk action and the ``data-iln-<name>-form``
    attribute of its form on the inspect view. The messages are formatted with
    the values the viewset's ``message_params(item)`` gives.
    """

    name: str
    #: The button's label, on the inspect view and in the queue's bulk actions footer.
    label: Any
    #: Said after one item was changed ("Photo “%(title)s” approved...").
    done: Any
    #: Said when the item already had the status.
    unchanged: Any
    #: Said after several: an ``ngettext_lazy(singular, plural, "count")``.
    bulk_done: Any
    #: The title of the bulk confirmation page.
    bulk_title: Any
    #: The bulk action's label for screen readers.
    bulk_aria_label: Any
    #: The bulk confirmation button.
    bulk_button: Any
    icon: str = ""
    #: Shown as a destructive action.
    serious: bool = False
    #: A form the moderator fills in first (a reason...); prefixed with ``name`` on the
    #: inspect view.
    form_class: type | None = None
    #: Said when that form is not valid, with the errors as ``%s``.
    invalid: Any = ""
    #: ``details(item, form)``: the keyword arguments of the transition's hook.
    details: Any = no_details

    @property
    def classname(self):
        return "serious" if self.serious else ""

    @classmethod
    def approve(cls, **fields):
        """The usual "approve" action; ``fields`` give its messages and may change the rest."""
        defaults = {"label": _("Approve"), "icon": "check", "bulk_button": _("Yes, approve")}
        return cls("approve", **{**defaults, **fields})

    @classmethod
    def reject(cls, **fields):
        """The usual "reject" action; ``fields`` give its messages and may change the rest."""
        defaults = {
            "label": _("Reject"),
            "icon": "cross",
            "serious": True,
            "bulk_button": _("Yes, reject"),
        }
        return cls("reject", **{**defaults, **fields})
