"""What the app writes in Wagtail's history, and how it names it.

Wagtail's history shows one entry per request and action: entries written in
one request with the same action share a uuid and are shown as the first of
them. A request that moderates, accepts or breaks up several items writes
each one with ``log_apart``, as an entry of its own.
"""

import uuid

from wagtail.log_actions import log


def log_apart(instance, action, **kwargs):
    """``wagtail.log_actions.log`` as an entry of its own, whatever else the request wrote."""
    return log(instance, action, uuid=uuid.uuid4(), **kwargs)


def register_actions(actions, labelled):
    """For a ``register_log_actions`` hook: ``wagtail_iln.<name>`` for each of
    ``labelled``, ``{name: (label, message)}``."""
    for name, (label, message) in labelled.items():
        actions.register_action(f"wagtail_iln.{name}", label, message)
