from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..fragments import CachedRenderMixin
from ..per_request import ChosenSnippetBlockMixin, SharedSnippetChooserBlock
from .stats import round_has_ended, round_stats

# The chart: countries drawn as bars before the rest are added up as "other countries".
CHART_TOP_COUNTRIES = 10
# Geometry in SVG user units. The chart is at most 30rem wide (480 px) and the
# whole width of a phone (~340 px): 16 units of text stay 12 px and more.
CHART_WIDTH = 440
CHART_LABEL_WIDTH = 165
CHART_COUNT_WIDTH = 45
CHART_BAR_HEIGHT = 20
CHART_ROW_GAP = 8
CHART_FONT_SIZE = 16
# "Other countries" is a sum, not a country: drawn apart, below a rule, without a bar.
CHART_OTHER_GAP = 16
# Longer country names are shortened on the chart; the table has them whole.
CHART_LABEL_CHARACTERS = 15


def number(value):
    return number_format(value, force_grouping=True)


class RoundBlock(ChosenSnippetBlockMixin, blocks.StructBlock):
    """A block about one round, under an optional heading; subclasses add the rest.

    Its context holds the ``round`` in the reader's language (``ChosenSnippetBlockMixin``).
    """

    round = SharedSnippetChooserBlock("wagtail_iln.Round", label=_("round"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=120)


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    # Where the label ends (right-aligned) and the count starts, and their baseline.
    label_x: float
    count_x: float
    text_y: float
    is_other: bool = False

    @property
    def count_display(self):
        return number(self.count)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    #: Where the rule above "other countries" is drawn, or None.
    rule_y: float | None = None
    font_size: int = CHART_FONT_SIZE


def shorten(label, characters=CHART_LABEL_CHARACTERS):
    return label if len(label) <= characters else label[: characters - 1].rstrip() + "…"


def country_bar_chart(per_country, top=CHART_TOP_COUNTRIES):
    """Horizontal bars for ``per_country`` (``CountryCount``s, most first): ``top`` + the rest.

    The rest, "other countries", is a sum of many countries: it is drawn apart
    from the bars (``is_other``, below a rule at ``rule_y``), its count without
    a bar, so that it cannot be read as one country's.
    """
    rows = [(item.name, item.count, False) for item in per_country[:top]]
    rest = sum(item.count for item in per_country[top:])
    if rest:
        rows.append((gettext("other countries"), rest, True))
    longest = max((count for _, count, other in rows if not other), default=0) or 1
    room = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_COUNT_WIDTH
    pitch = CHART_BAR_HEIGHT + CHART_ROW_GAP
    bars = []
    for index, (label, count, is_other) in enumerate(rows):
        y = CHART_ROW_GAP / 2 + index * pitch + (CHART_OTHER_GAP if is_other else 0)
        width = 0 if is_other else min(max(round(room * count / longest, 1), 1.0), room)
        bars.append(
            Bar(
                label=label,
                short_label=shorten(label),
                count=count,
                x=CHART_LABEL_WIDTH,
                y=y,
                width=width,
                height=CHART_BAR_HEIGHT,
                label_x=CHART_LABEL_WIDTH - 8,
                count_x=CHART_LABEL_WIDTH + width + 6,
                text_y=y + CHART_BAR_HEIGHT / 2,
                is_other=is_other,
            )
        )
    height = len(rows) * pitch + (CHART_OTHER_GAP if rest else 0)
    rule_y = (len(rows) - 1) * pitch + CHART_OTHER_GAP / 2 if rest else None
    return BarChart(
        width=CHART_WIDTH, height=height, bars=bars, rule_y=rule_y, font_size=CHART_FONT_SIZE
    )


def round_sentence(stats):
    """The announcement: "This round we have 762 participants from 78 countries, including …"."""
    if not stats.participants:
        return gettext("Nobody has been accepted in this round yet.")
    values = {
        "participants": ngettext(
            "%(count)s participant", "%(count)s participants", stats.participants
        )
        % {"count": number(stats.participants)},
        "countries": ngettext("%(count)s country", "%(count)s countries", stats.countries)
        % {"count": number(stats.countries)},
    }
    new = len(stats.new_countries)
    if not new or stats.is_first:
        return gettext("This round we have %(participants)s from %(countries)s.") % values
    return ngettext(
        "This round we have %(participants)s from %(countries)s, "
        "including %(count)s new country: %(names)s.",
        "This round we have %(participants)s from %(countries)s, "
        "including %(count)s new countries: %(names)s.",
        new,
    ) % {**values, "count": number(new), "names": ", ".join(stats.new_country_names)}


def returning_sentence(stats):
    if not stats.returning:
        return ""
    return ngettext(
        "%(count)s of them has taken part in an earlier round.",
        "%(count)s of them have taken part in an earlier round.",
        stats.returning,
    ) % {"count": number(stats.returning)}


def kept_in_touch_sentence(stats):
    """After the round: "41 of 50 partnerships kept in touch until the end of the round."."""
    if not stats.has_ended or not stats.partnerships:
        return ""
    return ngettext(
        "%(kept)s of %(count)s partnership kept in touch until the end of the round.",
        "%(kept)s of %(count)s partnerships kept in touch until the end of the round.",
        stats.partnerships,
    ) % {"kept": number(stats.kept_in_touch), "count": number(stats.partnerships)}


class RoundStatsBlock(CachedRenderMixin, RoundBlock):
    """A round's figures in a sentence, a chart of participants per country and a table.

    Rendered once for every reader until a round, participant, accepted enrolment
    or, once the round has ended, partnership changes (``fragment_models``;
    extend it when ``get_stats`` reads more).
    """

    heading = blocks.CharBlock(
        label=_("heading"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to use the name of the round."),
    )
    show_chart = blocks.BooleanBlock(
        label=_("show the chart of participants per country"), required=False, default=True
    )

    class Meta:
        icon = "table"
        label = _("Round stats")
        template = "wagtail_iln/blocks/round_stats.html"

    fragment_models = [
        "wagtail_iln.Round",
        "wagtail_iln.Participant",
        "wagtail_iln.Enrolment",
        "wagtail_iln.Partnership",
    ]

    def get_fragment_dependencies(self, value, context):
        # Accepted enrolments alone are counted: an application leaves the stats as they
        # are. Partnerships are counted once the round has ended: matching leaves them too.
        from .choices import EnrolmentStatus
        from .models import Enrolment, Partnership, enrolment_status_scope

        scope = enrolment_status_scope(EnrolmentStatus.ACCEPTED)
        round = value[self.chosen]
        counts_partnerships = round is None or round_has_ended(round)
        return [
            (model, scope) if model is Enrolment else model
            for model in super().get_fragment_dependencies(value, context)
            if model is not Partnership or counts_partnerships
        ]

    def get_stats(self, round):
        """The ``RoundStats`` shown; override to count differently."""
        return round_stats(round)

    def get_chart(self, stats):
        """The ``BarChart`` drawn, or None for none."""
        return country_bar_chart(stats.per_country)

    def chosen_context(self, round, value, context):
        stats = self.get_stats(round)
        block_id = context.get("id")
        return {
            "stats": stats,
            "sentence": round_sentence(stats),
            "returning_sentence": returning_sentence(stats),
            "kept_in_touch_sentence": kept_in_touch_sentence(stats),
            "chart": self.get_chart(stats) if value["show_chart"] else None,
            "stats_id": f"iln-round-stats-{str(block_id)[:8] if block_id else round.pk}",
        }
