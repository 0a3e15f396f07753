"""A round's figures, counted from its enrolments whenever they are shown.

Participants are the people *accepted* in a round: an application is not yet a
place in the programme, and a withdrawal is a place given up. "Earlier" means
a round that started before this one; a round's translations are the same
round. A person is *returning* when accepted in an earlier round, and a
country is *new* when nobody from it was accepted in an earlier round.

``round_stats`` costs one query, however many people take part: it groups the
round's enrolments (and those of earlier rounds, to tell which countries are
new) by country and kind of workplace in SQL, then adds the groups up.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext
from django_countries.fields import Country

from .choices import EnrolmentStatus, WorkplaceKind


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

    @property
    def new_country_names(self):
        return [country.name for country in self.new_countries]


def name_key(name):
    """Sort key for names in any language: accents and case ignored first, then used."""
    base = unicodedata.normalize("NFKD", name)
    base = "".join(char for char in base if not unicodedata.combining(char))
    return (base.casefold(), name)


def round_stats(round):
    """Count ``round``'s participants, countries, new countries, returning people and workplaces.

    One database query whatever the size of the round.
    """
    from .models import Enrolment, Participant

    accepted_earlier = Enrolment.objects.filter(
        status=EnrolmentStatus.ACCEPTED, round__starts_on__lt=round.starts_on
    )
    in_round = Q(round__translation_key=round.translation_key)
    returning = in_round & Exists(accepted_earlier.filter(participant=OuterRef("participant")))
    groups = (
        Enrolment.objects.filter(status=EnrolmentStatus.ACCEPTED)
        .filter(in_round | Q(round__starts_on__lt=round.starts_on))
        .values("participant__country", "participant__workplace_kind")
        .annotate(
            participants=Count("participant", distinct=True, filter=in_round),
            returning=Count("participant", distinct=True, filter=returning),
            earlier=Count("pk", filter=~in_round),
        )
        .order_by()
    )

    per_country, earlier, per_kind = {}, set(), {}
    participants = returning_count = 0
    for group in groups:
        code, kind = group["participant__country"], group["participant__workplace_kind"]
        if group["earlier"]:
            earlier.add(code)
        if not group["participants"]:
            continue
        participants += group["participants"]
        returning_count += group["returning"]
        per_kind[kind] = per_kind.get(kind, 0) + group["participants"]
        if code:
            per_country[code] = per_country.get(code, 0) + group["participants"]

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
        is_first=not earlier,
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
    )
