"""Who holds what about a person: each part of the programme registers its personal data here.

The my-data page, the JSON download, consent withdrawal, erasure and
retention (``data_rights``, ``retention``) ask every registered holder in turn
and know nothing else about the data. The app's areas register in
``WagtailIlnAppConfig.ready()``; a site's own models register the same way
from their app's ``ready()``::

    from wagtail_iln.privacy.registry import register

    register(
        "bookings",
        export=lambda email: {"bookings": [...]},
        erase=lambda email: Booking.objects.filter(email__iexact=email).delete(),
    )

Every callable takes the person's e-mail address as they typed it: match it
ignoring case.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models.functions import Lower


@dataclass(frozen=True)
class Holder:
    """What one part of the site holds about people, and what to do with it.

    - ``export(email)``: a dict of what is held, JSON-ready, merged into the
      person's download under its own keys. The person holds data here when
      one of its values is not empty.
    - ``withdraw(email)``: the person withdraws consent: hide what they
      published, stop e-mailing them.
    - ``consent_withdrawn(email)``: whether they already did (the page then
      offers no withdrawal).
    - ``withdrawing(email)``: what withdrawing consent would change here, as
      sentences for the person (an empty list when nothing), listed on the
      page that asks them to confirm.
    - ``erase(email)``: remove or anonymise everything that says who they are.
    - ``expired(today)``: addresses whose data has outlived the site's
      retention; they are erased by ``iln_apply_retention``.
    - ``template`` and ``context(email)``: a section of the my-data page, left
      out when ``context`` returns None.
    - ``correct(email, data)``: the person corrects what is held: a bound form
      (saved when valid), or None when there is nothing to correct. Its
      section is shown again with the form (``form`` in its context).
    - ``actions``: what the section's own buttons do, ``{name: act}``. A form in
      the section posts ``action=name``; ``act(email, data)`` acts on the
      person's own data alone and returns the message to show them, or None
      when the post names nothing of theirs (refused, nothing changed).
    """

    name: str
    export: Callable | None = None
    withdraw: Callable | None = None
    consent_withdrawn: Callable | None = None
    withdrawing: Callable | None = None
    erase: Callable | None = None
    expired: Callable | None = None
    template: str | None = None
    context: Callable | None = None
    correct: Callable | None = None
    actions: dict[str, Callable] | None = None


_holders = {}


def register(name, **hooks):
    """Register, or replace, what ``name`` holds about people (see ``Holder``)."""
    holder = Holder(name, **hooks)
    _holders[name] = holder
    return holder


def unregister(name):
    _holders.pop(name, None)


def holders():
    """The registered holders, in the order they registered."""
    return list(_holders.values())


# Helpers for holders


def with_email(queryset, email, field="email"):
    """``queryset`` narrowed to the rows whose ``field`` is ``email``, ignoring case."""
    return queryset.annotate(email_lower=Lower(field)).filter(email_lower=email.strip().lower())


def when(value):
    """A date or time as it appears in an export: ISO 8601, or None."""
    return value.isoformat() if value else None
