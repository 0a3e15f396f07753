"""A round's figures, counted from its enrolments whenever they are shown.

Participants are the people *accepted* in a round: an application is not yet a
place in the programme, and a withdrawal is a place given up. "Earlier" means
a round that started before this one; a round's translations are the same
round. A person is *returning* when accepted in an earlier round, and a
country is *new* when nobody from it was accepted in an earlier round.

Once the round has ended, a partnership *kept in touch* when its members
reported contact ("we've been in touch" in a check-in) in the last
``CHECKIN_OVERDUE_DAYS`` days of the round or later: it was not overdue when
the round ended. Partnerships counted are those that started (active or
ended), not the proposed ones.

``round_stats`` costs one query, however many people take part: it groups the
round's enrolments (and those of earlier rounds, to tell which countries are
new) by country and kind of workplace in SQL, then adds the groups up; the
partnership counts ride along as two scalar subqueries of the same query. The
query's SQL is kept per process for each round's values (``_grouped_rows``):
its rows are read afresh every time, its compiling is not repeated.
"""

import datetime
import unicodedata
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from threading import Lock

from django.db import connections, router
from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext
from django_countries.fields import Country

from ..conf import get_setting
from .choices import EnrolmentStatus, PartnershipStatus, WorkplaceKind


@dataclass(frozen=True)
class CountryCount:
    country: Country
    count: int

    @property
    def name(self):
        return self.country.name


@dataclass(frozen=True)
class WorkplaceKindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class RoundStats:
    """The figures of one round. Country names follow the language active when it was made."""

    round: object
    # People accepted in the round.
    participants: int
    # Distinct countries they come from.
    countries: int
    # Of the participants, those accepted in an earlier round.
    returning: int
    # Nobody was accepted in an earlier round: every country is new, and saying so is no news.
    is_first: bool = False
    # Countries nobody came from in an earlier round, by name.
    new_countries: list[Country] = field(default_factory=list)
    # Participants per country, the most first, then by name.
    per_country: list[CountryCount] = field(default_factory=list)
    # Participants per kind of workplace, the most first; kind "" for people who did not say.
    workplace_kinds: list[WorkplaceKindCount] = field(default_factory=list)
    # Once the round has ended: its partnerships that started, and those that kept in touch.
    has_ended: bool = False
    partnerships: int = 0
    kept_in_touch: int = 0

    @property
    def new_country_names(self):
        return [country.name for country in self.new_countries]


def name_key(name):
    """Sort key for names in any language: accents and case ignored first, then used."""
    base = unicodedata.normalize("NFKD", name)
    base = "".join(char for char in base if not unicodedata.combining(char))
    return (base.casefold(), name)


def round_has_ended(round, today=None):
    return round.ends_on < (today or timezone.localdate())


def kept_in_touch_since(round):
    """Contact reported at or after this moment means the partnership kept in touch to the end."""
    end = timezone.make_aware(
        datetime.datetime.combine(round.ends_on + datetime.timedelta(days=1), datetime.time.min)
    )
    return end - datetime.timedelta(days=get_setting("CHECKIN_OVERDUE_DAYS"))


def _count(queryset):
    """A scalar subquery counting ``queryset``'s rows."""
    counted = queryset.order_by().annotate(
        counted=Func(F("pk"), function="COUNT", output_field=IntegerField())
    )
    return Subquery(counted.values("counted")[:1], output_field=IntegerField())


def partnership_counts(round):
    """Scalar subqueries: the round's started partnerships, and those that kept in touch."""
    from .models import Partnership

    started = Partnership.objects.filter(
        round__translation_key=round.translation_key,
        status__in=[PartnershipStatus.ACTIVE, PartnershipStatus.ENDED],
        started_on__isnull=False,
    )
    return {
        "round_partnerships": _count(started),
        "round_kept_in_touch": _count(
            started.filter(last_contact_at__gte=kept_in_touch_since(round))
        ),
    }


def grouping_query(round, has_ended):
    """The queryset ``round_stats`` groups the round's enrolments with (see the module)."""
    from .models import Enrolment

    accepted_earlier = Enrolment.objects.filter(
        status=EnrolmentStatus.ACCEPTED, round__starts_on__lt=round.starts_on
    )
    # The round's own enrolments alone are grouped; what came before is asked
    # of once (its countries, whether there is any), not grouped row by row.
    groups = (
        Enrolment.objects.filter(
            status=EnrolmentStatus.ACCEPTED, round__translation_key=round.translation_key
        )
        .values("participant__country", "participant__workplace_kind")
        .annotate(
            participants=Count("participant", distinct=True),
            returning=Count(
                "participant",
                distinct=True,
                filter=Exists(accepted_earlier.filter(participant=OuterRef("participant"))),
            ),
            country_seen_before=Count(
                "pk",
                filter=Q(participant__country__in=accepted_earlier.values("participant__country")),
            ),
            any_before=Count("pk", filter=Exists(accepted_earlier)),
        )
        .order_by()
    )
    if has_ended:
        groups = groups.annotate(**partnership_counts(round))
    return groups, accepted_earlier


# The grouping query's SQL, per database and round values: Django takes about four
# times as long to build and compile it as the database takes to run it.
COMPILED_QUERIES = 128
_compiled = OrderedDict()
_compiled_lock = Lock()


def _grouped_rows(round, has_ended):
    """The rows of ``grouping_query``, as dicts, its SQL compiled once per process and key."""
    from .models import Enrolment

    using = router.db_for_read(Enrolment)
    ended = (kept_in_touch_since(round), get_setting("CHECKIN_OVERDUE_DAYS")) if has_ended else ()
    key = (using, str(round.translation_key), round.starts_on, ended)
    with _compiled_lock:
        compiled = _compiled.get(key)
        if compiled is not None:
            _compiled.move_to_end(key)
    if compiled is None:
        groups, _ = grouping_query(round, has_ended)
        compiled = groups.query.get_compiler(using).as_sql()
        with _compiled_lock:
            _compiled[key] = compiled
            while len(_compiled) > COMPILED_QUERIES:
                _compiled.popitem(last=False)
    sql, params = compiled
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def round_stats(round, today=None):
    """Count ``round``'s participants, countries, new countries, returning people and workplaces.

    Once the round has ended (``ends_on`` before ``today``), count its
    partnerships and those that kept in touch too. One database query whatever
    the size of the round (two for a round nobody is in yet).
    """
    from .models import Participant

    has_ended = round_has_ended(round, today)
    groups = _grouped_rows(round, has_ended)

    per_country, earlier, per_kind = {}, set(), {}
    participants = returning_count = partnerships = kept = 0
    any_before = None
    for group in groups:
        partnerships = group.get("round_partnerships") or 0
        kept = group.get("round_kept_in_touch") or 0
        any_before = bool(group["any_before"])
        code, kind = group["participant__country"], group["participant__workplace_kind"]
        if group["country_seen_before"]:
            earlier.add(code)
        participants += group["participants"]
        returning_count += group["returning"]
        per_kind[kind] = per_kind.get(kind, 0) + group["participants"]
        if code:
            per_country[code] = per_country.get(code, 0) + group["participants"]
    if any_before is None:
        # A round with nobody in it yet: whether it is the first is a question of its own.
        any_before = grouping_query(round, has_ended)[1].exists()

    field = Participant._meta.get_field("country")
    countries = {code: Country(code, custom_countries=field.countries) for code in per_country}
    names = {code: name_key(country.name) for code, country in countries.items()}
    labels = {**dict(WorkplaceKind.choices), "": gettext("not given")}
    # Ties in the order of the vocabulary; unknown kinds, then "not given", last.
    order = defaultdict(lambda: len(labels), {kind: i for i, kind in enumerate(labels)})
    return RoundStats(
        round=round,
        participants=participants,
        countries=len(per_country),
        returning=returning_count,
        is_first=not any_before,
        new_countries=[
            countries[code] for code in sorted(set(per_country) - earlier, key=names.__getitem__)
        ],
        per_country=[
            CountryCount(countries[code], count)
            for code, count in sorted(per_country.items(), key=lambda i: (-i[1], names[i[0]]))
        ],
        workplace_kinds=[
            WorkplaceKindCount(kind, str(labels.get(kind, kind)), count)
            for kind, count in sorted(per_kind.items(), key=lambda i: (-i[1], order[i[0]]))
        ],
        has_ended=has_ended,
        partnerships=partnerships,
        kept_in_touch=kept,
    )
