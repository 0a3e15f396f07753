import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.formats import number_format
from wagtail.models import Locale

from tests.factories import EnrolmentFactory, ParticipantFactory, RoundFactory
from wagtail_iln.models import Enrolment, Participant
from wagtail_iln.programme.blocks import RoundStatsBlock, country_bar_chart, round_sentence
from wagtail_iln.programme.stats import round_stats

pytestmark = pytest.mark.django_db

BAR_LABEL = re.compile(r'<text class="iln-bar-chart__label"[^>]*>(.*?)</text>')
BAR_COUNT = re.compile(r'<text class="iln-bar-chart__count"[^>]*>(.*?)</text>')
BAR = re.compile(r'<rect class="iln-bar-chart__bar"')
BAR_TITLE = re.compile(r"<g [^>]*>\s*<title>(.*?)</title>")
TABLE_ROW = re.compile(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td></tr>')


def round_on(year, **kwargs):
    return RoundFactory(
        starts_on=datetime.date(year, 3, 1), ends_on=datetime.date(year, 7, 1), **kwargs
    )


def enrol(round, country, status="accepted", participant=None, **participant_fields):
    if participant is None:
        participant = ParticipantFactory(country=country, **participant_fields)
    return EnrolmentFactory(participant=participant, round=round, status=status)


def render(round, **value):
    block = RoundStatsBlock()
    data = {"round": round.pk, "heading": "", "show_chart": True, **value}
    return str(block.render(block.to_python(data), context={}))


def bulk_enrol(round, count, countries=("AU", "BR", "FR", "IN", "KE", "PE"), prefix="bulk"):
    start = Participant.objects.count()
    people = Participant.objects.bulk_create(
        Participant(
            name=f"Person {start + n}",
            email=f"{prefix}{start + n}@example.org",
            country=countries[n % len(countries)],
            time_zone="UTC",
            workplace_kind="academic" if n % 3 else "public",
        )
        for n in range(count)
    )
    Enrolment.objects.bulk_create(
        Enrolment(participant=person, round=round, status="accepted") for person in people
    )
    return people


@pytest.fixture
def two_rounds():
    """An earlier round (AU twice, FR withdrawn, BR applied) and a later one."""
    earlier, later = round_on(2024, name="Round 1"), round_on(2025, name="Round 2")
    back = enrol(earlier, "AU").participant
    enrol(earlier, "AU", workplace_kind="public")
    enrol(earlier, "FR", status="withdrawn")
    enrol(earlier, "BR", status="applied")
    enrol(later, "AU", participant=back)
    enrol(later, "NZ", workplace_kind="academic")
    enrol(later, "NZ", workplace_kind="academic")
    enrol(later, "FR", workplace_kind="")
    enrol(later, "BR", workplace_kind="public")
    enrol(later, "JP", status="applied")
    enrol(later, "CN", status="withdrawn")
    return earlier, later


# The counts.


def test_counts_accepted_participants_their_countries_and_who_comes_back(two_rounds):
    earlier, later = two_rounds
    stats = round_stats(later)
    assert stats.participants == 5
    assert stats.countries == 4
    assert stats.returning == 1
    assert not stats.is_first
    # Nobody from France or Brazil was accepted before: withdrawn and applied do not count.
    assert stats.new_country_names == ["Brazil", "France", "New Zealand"]
    assert [(c.country.code, c.count) for c in stats.per_country] == [
        ("NZ", 2),
        ("AU", 1),
        ("BR", 1),
        ("FR", 1),
    ]
    assert [(k.kind, k.label, k.count) for k in stats.workplace_kinds] == [
        ("academic", "academic library", 2),
        ("public", "public library", 1),
        ("national", "national library", 1),
        ("", "not given", 1),
    ]


def test_a_later_round_is_not_earlier(two_rounds):
    earlier, _ = two_rounds
    stats = round_stats(earlier)
    assert (stats.participants, stats.countries, stats.returning) == (2, 1, 0)
    assert stats.is_first
    assert stats.new_country_names == ["Australia"]


def test_a_round_starting_the_same_day_is_neither_this_round_nor_an_earlier_one(two_rounds):
    _, later = two_rounds
    enrol(round_on(2025, name="Parallel round"), "FJ")
    stats = round_stats(later)
    assert stats.participants == 5
    assert "Fiji" not in stats.new_country_names


def test_translations_of_a_round_are_the_same_round(two_rounds):
    _, later = two_rounds
    french = later.copy_for_translation(Locale.objects.create(language_code="fr"))
    french.name = "Session 2"
    french.save()
    enrol(french, "FJ")
    for round in (later, french):
        stats = round_stats(round)
        assert (stats.participants, stats.countries) == (6, 5)
        assert "Fiji" in stats.new_country_names


def test_an_empty_round():
    stats = round_stats(round_on(2024))
    assert (stats.participants, stats.countries, stats.returning) == (0, 0, 0)
    assert stats.per_country == stats.new_countries == stats.workplace_kinds == []
    assert round_sentence(stats) == "Nobody has been accepted in this round yet."


def test_country_names_and_their_order_follow_the_language():
    round = round_on(2024)
    enrol(round_on(2023), "AU")
    enrol(round, "BR")
    enrol(round, "DE")
    assert round_stats(round).new_country_names == ["Brazil", "Germany"]
    with translation.override("fr"):
        assert round_stats(round).new_country_names == ["Allemagne", "Brésil"]


# The sentence.


def test_the_sentence_of_a_first_round_with_one_participant():
    enrol(round_on(2024), "BT")
    stats = round_stats(Enrolment.objects.get().round)
    assert round_sentence(stats) == "This round we have 1 participant from 1 country."


def test_the_sentence_names_one_new_country():
    earlier, round = round_on(2023), round_on(2024)
    enrol(earlier, "AU")
    enrol(round, "AU")
    enrol(round, "AU")
    enrol(round, "FJ")
    assert round_sentence(round_stats(round)) == (
        "This round we have 3 participants from 2 countries, including 1 new country: Fiji."
    )


def test_the_sentence_names_new_countries_in_order():
    earlier, round = round_on(2023), round_on(2024)
    enrol(earlier, "AU")
    for country in ("AU", "FJ", "BT", "FJ"):
        enrol(round, country)
    assert round_sentence(round_stats(round)) == (
        "This round we have 4 participants from 3 countries, "
        "including 2 new countries: Bhutan, Fiji."
    )


def test_the_sentence_without_new_countries_and_with_big_numbers():
    earlier, round = round_on(2023), round_on(2024)
    enrol(earlier, "AU")
    enrol(earlier, "BR")
    bulk_enrol(round, 1234, countries=("AU", "BR"))
    assert round_sentence(round_stats(round)) == (
        "This round we have 1,234 participants from 2 countries."
    )


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize(
    ("countries", "first_round"),
    [(["FJ"], True), (["AU", "FJ", "BT"], True), (["FJ"], False), (["AU", "FJ", "BT"], False)],
)
def test_the_sentence_is_translated(language, countries, first_round):
    earlier, round = round_on(2023), round_on(2024)
    if not first_round:
        enrol(earlier, "AU")
    for country in countries:
        enrol(round, country)
    stats = round_stats(round)
    english = round_sentence(stats)
    with translation.override(language):
        translated = round_sentence(round_stats(round))
    # The catalogs translate the sentence itself, not only the country names in it.
    assert translated != english
    assert "This round" not in translated and "participant" in translated


# The block.


def test_the_block_shows_the_sentence_the_chart_and_the_table(two_rounds):
    _, later = two_rounds
    output = render(later, heading="Who is here")
    assert "<h2" in output and "Who is here</h2>" in output
    assert (
        "This round we have 5 participants from 4 countries, including 3 new countries: "
        "Brazil, France, New Zealand. 1 of them has taken part in an earlier round."
    ) in output
    assert 'role="img"' in output
    assert re.search(r'aria-labelledby="(\S+-chart-title) (\S+-chart-desc)"', output)
    assert re.search(r'<title id="[^"]+-chart-title">Participants per country</title>', output)
    assert 'viewBox="0 0 440 ' in output
    assert "Show the figures as a table" in output
    assert TABLE_ROW.findall(output)[:4] == [
        ("New Zealand", "2"),
        ("Australia", "1"),
        ("Brazil", "1"),
        ("France", "1"),
    ]
    assert ("academic library", "2") in TABLE_ROW.findall(output)


def test_the_chart_has_one_bar_per_country_up_to_10_then_other_countries_apart():
    round = round_on(2024)
    codes = ["AR", "AU", "BD", "BR", "BT", "CA", "CL", "CN", "CO", "DE", "EG", "ES", "FJ"]
    codes += ["FR", "GH", "IN", "JP", "KE", "MX", "NG", "NZ", "PE", "PH", "UG", "ZA"]
    assert len(codes) == 25
    # Counts 25, 24, …, 1: the first 10 countries are drawn, the last 15 add up.
    for index, code in enumerate(codes):
        bulk_enrol(round, 25 - index, countries=(code,), prefix=code)
    output = render(round)
    labels = [html.unescape(label) for label in BAR_LABEL.findall(output)]
    counts = BAR_COUNT.findall(output)
    # "Other countries" is a sum: its count is written, below a rule, with no bar.
    assert len(labels) == len(counts) == 11
    assert len(BAR.findall(output)) == 10
    assert 'class="iln-bar-chart__rule"' in output
    assert labels[0] == "Argentina" and labels[-1] == "other countries"
    assert counts[0] == "25" and counts[-1] == str(sum(range(1, 16)))
    table = [(html.unescape(name), count) for name, count in TABLE_ROW.findall(output)][:11]
    titles = [html.unescape(title) for title in BAR_TITLE.findall(output)]
    assert len(titles) == 11
    # Every bar's full name and count is in the table, in the same order.
    assert [f"{name}: {count}" for name, count in table] == titles
    assert [count for _, count in table] == counts


def test_other_countries_stand_below_the_bars_and_never_set_their_scale():
    round = round_on(2024)
    bulk_enrol(round, 15, countries=("IN",), prefix="in")
    for code in ["AR", "AU", "BD", "BR", "BT", "CA", "CL", "CN", "CO", "DE", "EG", "ES"]:
        bulk_enrol(round, 2, countries=(code,), prefix=code)
    chart = country_bar_chart(round_stats(round).per_country)
    *countries, other = chart.bars
    # Three other countries of two each, summed apart; India's bar is the longest.
    assert other.count == 6 and countries[0].label == "India"
    assert other.is_other and other.width == 0
    assert all(not bar.is_other and bar.width > 0 for bar in countries)
    longest = max(countries, key=lambda bar: bar.count)
    assert longest.width == max(bar.width for bar in countries)
    assert countries[-1].y + countries[-1].height < chart.rule_y < other.y
    assert other.y + other.height <= chart.height


def test_the_chart_keeps_its_words_readable_on_a_phone():
    """At the width of a phone (~340 px) the chart's text is 12 px or more."""
    round = round_on(2024)
    bulk_enrol(round, 3, countries=("AU", "GB", "VC"))
    chart = country_bar_chart(round_stats(round).per_country)
    assert chart.font_size * 340 / chart.width >= 12


def test_the_chart_geometry():
    round = round_on(2024)
    bulk_enrol(round, 30, countries=("AU", "AU", "GB"))
    chart = country_bar_chart(round_stats(round).per_country)
    au, gb = chart.bars
    assert (au.label, au.count, gb.label, gb.count) == ("Australia", 20, "United Kingdom", 10)
    assert au.x == gb.x > 0 and au.width == 2 * gb.width
    assert au.x + au.width < au.count_x < chart.width
    assert au.y + au.height < gb.y and gb.y + gb.height <= chart.height
    assert 0 < au.label_x < au.x


def test_long_country_names_are_shortened_on_the_chart_only():
    round = round_on(2024)
    enrol(round, "VC")
    output = render(round)
    (label,) = BAR_LABEL.findall(output)
    assert label.endswith("…") and len(label) <= 15
    assert "Saint Vincent and the Grenadines" in dict(TABLE_ROW.findall(output))


def test_the_block_without_the_chart():
    round = round_on(2024)
    enrol(round, "AU")
    output = render(round, show_chart=False)
    assert "This round we have 1 participant from 1 country." in output
    assert "<svg" not in output and "Show the figures as a table" not in output


def test_the_block_escapes_the_round_name():
    round = round_on(2024, name="<script>alert('round')</script>")
    enrol(round, "AU")
    output = render(round)
    assert "<script>" not in output
    assert "&lt;script&gt;alert(&#x27;round&#x27;)&lt;/script&gt;" in output


def test_the_block_of_a_deleted_round_renders_nothing():
    block = RoundStatsBlock()
    assert str(block.render({"round": None, "heading": "", "show_chart": True})).strip() == ""


def test_the_block_in_french_uses_french_names_and_numbers():
    round = round_on(2024)
    bulk_enrol(round, 1500, countries=("DE",))
    with translation.override("fr"):
        output = render(round)
        thousands = number_format(1500, force_grouping=True)
    assert "Allemagne" in output
    assert "This round" not in output
    assert thousands != "1,500" and f"{thousands} participants" in output


# Queries.


def count_queries(function, *args):
    with CaptureQueriesContext(connection) as queries:
        function(*args)
    return len(queries)


def test_round_stats_costs_one_query_whatever_the_size_of_the_round():
    earlier, round = round_on(2023), round_on(2024)
    bulk_enrol(earlier, 40, prefix="earlier")
    people = bulk_enrol(round, 10, countries=("AU", "FJ"))
    Enrolment.objects.bulk_create(
        Enrolment(participant=person, round=earlier, status="accepted") for person in people[:5]
    )
    small = count_queries(round_stats, round)
    small_render = count_queries(render, round)
    bulk_enrol(round, 490, countries=("AU", "BR", "BT", "CL", "FJ", "IN", "KE", "NZ", "PE"))
    assert round_stats(round).participants == 500
    assert count_queries(round_stats, round) == small == 1
    assert count_queries(render, round) == small_render


# Partnerships that kept in touch, once the round has ended.


def partnership_in(round, last_contact_at=None, status="active", started=True):
    from tests.factories import PartnershipFactory

    members = [enrol(round, "AU"), enrol(round, "FR")]
    return PartnershipFactory(
        round=round,
        status=status,
        started_on=round.starts_on if started else None,
        last_contact_at=last_contact_at,
        members=members,
    )


def moment(day, hour=0, minute=0, second=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


@pytest.fixture
def ended_round():
    """Ended on 1 July 2024: in touch on its last day, 14 days before its end, 15, never."""
    round = round_on(2024)
    end = moment(round.ends_on + datetime.timedelta(days=1))
    partnership_in(round, moment(round.ends_on, 18), status="ended")
    partnership_in(round, end - datetime.timedelta(days=14))
    partnership_in(round, end - datetime.timedelta(days=14, seconds=1), status="ended")
    partnership_in(round, None, status="ended")
    partnership_in(round, moment(round.ends_on), status="proposed", started=False)
    return round


def test_kept_in_touch_counts_contact_in_the_last_overdue_days_of_the_round(ended_round):
    stats = round_stats(ended_round)
    assert stats.has_ended
    assert (stats.partnerships, stats.kept_in_touch) == (4, 2)
    assert "2 of 4 partnerships kept in touch until the end of the round." in html.unescape(
        render(ended_round)
    )


def test_kept_in_touch_follows_the_overdue_setting(ended_round, settings):
    settings.WAGTAIL_ILN = {"CHECKIN_OVERDUE_DAYS": 30}
    assert round_stats(ended_round).kept_in_touch == 3


def test_kept_in_touch_is_shown_once_the_round_has_ended(ended_round):
    before_the_end = ended_round.ends_on
    stats = round_stats(ended_round, today=before_the_end)
    assert not stats.has_ended
    assert (stats.partnerships, stats.kept_in_touch) == (0, 0)
    assert "kept in touch" not in render(
        RoundFactory(starts_on=timezone.localdate(), ends_on=timezone.localdate())
    )


def test_kept_in_touch_speaks_of_one_partnership_in_the_singular():
    round = round_on(2023)
    partnership_in(round, moment(round.ends_on, 12))
    assert "1 of 1 partnership kept in touch until the end of the round." in html.unescape(
        render(round)
    )


def test_round_stats_with_partnerships_cost_one_query_whatever_their_number():
    round = round_on(2022)
    partnership_in(round, moment(round.ends_on, 12))
    small = count_queries(round_stats, round)
    for _ in range(20):
        partnership_in(round, moment(round.ends_on, 12))
    assert round_stats(round).partnerships == 21
    assert count_queries(round_stats, round) == small == 1


def test_each_count_reads_the_enrolments_as_they_are_now():
    earlier, round = round_on(2024), round_on(2025)
    enrol(round, "FR")
    first = round_stats(round)
    enrol(earlier, "FR")
    enrol(round, "KE")
    round.starts_on = datetime.date(2023, 1, 1)  # now before the other round
    second = round_stats(round)

    assert (first.participants, first.countries, first.is_first) == (1, 1, True)
    assert (second.participants, second.countries, second.is_first) == (2, 2, True)
    round.starts_on = datetime.date(2025, 3, 1)
    third = round_stats(round)
    assert (third.is_first, [c.code for c in third.new_countries]) == (False, ["KE"])
