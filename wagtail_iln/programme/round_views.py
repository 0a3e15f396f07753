"""The rounds list: one row per round with its translations, and the round's edit view."""

import datetime

from django.apps import apps
from django.contrib.admin.utils import quote
from django.db.models import Count, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import BaseButton, Button, ButtonWithDropdown
from wagtail.models import Locale
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from ..matching.views import match_button, matching_urlpatterns
from ..topics.calendar_views import calendar_button, calendar_urlpatterns
from .choices import EnrolmentStatus
from .filters import RoundFilterSet
from .models import Enrolment, Round

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def local_minute(value):
    """A date and time for a spreadsheet cell: "2026-11-30 14:02" in the admin's time zone."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def local_naive(value):
    """An XLSX cell holds no time zone: the time as the admin's time zone reads it."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class ProgrammeIndexView(IndexView):
    """Listing whose export a coordinator reads in a spreadsheet.

    Dates and times are those of the admin's time zone, to the minute (Wagtail
    writes them in CSV as Python prints them, in XLSX in UTC); a CSV cell cannot
    smuggle a formula into the spreadsheet.
    """

    # Scrolls sideways on a phone (css/admin.css), its last columns in reach.
    table_classname = "listing iln-listing"
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            IndexView.FORMAT_CSV: local_minute,
            IndexView.FORMAT_XLSX: local_naive,
        },
        # In words, in the admin's language ("oui", "no"); a spreadsheet's own in XLSX.
        bool: {IndexView.FORMAT_CSV: lambda value: gettext("yes") if value else gettext("no")},
    }

    def stream_csv(self, queryset):
        # Wagtail streams the CSV once the view has returned, outside the admin user's
        # language and time zone: each line is written in those the view ran in.
        lines = super().stream_csv(queryset)
        zone, language = timezone.get_current_timezone(), translation.get_language()

        def written():
            # Excel reads a CSV file as UTF-8 only when it starts with the byte order mark:
            # without it, "Gonçalo" shows as "GonÃ§alo".
            yield "\ufeff"
            while True:
                with timezone.override(zone), translation.override(language):
                    line = next(lines, None)
                if line is None:
                    return
                yield line

        return written()

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if (
            export_format == self.FORMAT_CSV
            and isinstance(value, str)
            and value.startswith(FORMULA_PREFIXES)
        ):
            return "'" + value
        return value


class RoundIndexView(ProgrammeIndexView):
    """One row per round, whatever the number of its translations, named in the row."""

    matching_url_name = None
    calendar_url_name = None

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        rounds = list(object_list)
        keys = {round.translation_key for round in rounds}
        others = {}
        for other in (
            Round.objects.filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("locale__language_code")
        ):
            others.setdefault(other.translation_key, []).append(other)
        for round in rounds:
            round.translations_in_row = [
                other for other in others.get(round.translation_key, []) if other.pk != round.pk
            ]
        page.object_list = self.rounds_in_page = rounds
        return paginator, page, rounds, is_paginated

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        extra = [
            match_button(user, instance, self.matching_url_name, priority=5),
            calendar_button(user, instance, self.calendar_url_name, priority=6),
        ]
        buttons = [*buttons, *(button for button in extra if button)]
        return [*buttons, *self.translation_buttons(instance)]

    @cached_property
    def locale_ids(self):
        return set(Locale.objects.values_list("pk", flat=True))

    @cached_property
    def synced_sources(self):
        """``{translation key: TranslationSource id}`` of the rounds shown with synced copies."""
        if not apps.is_installed("wagtail_localize"):
            return {}
        from django.contrib.contenttypes.models import ContentType
        from wagtail_localize.models import TranslationSource

        keys = [round.translation_key for round in getattr(self, "rounds_in_page", [])]
        rows = TranslationSource.objects.filter(
            object__translation_key__in=keys,
            object__content_type=ContentType.objects.get_for_model(Round),
            translations__enabled=True,
        ).values_list("object__translation_key", "locale_id", "pk")
        return {(key, locale): pk for key, locale, pk in rows}

    def translation_buttons(self, instance):
        """wagtail-localize's "Translate" and "Sync" buttons, from what the row already knows."""
        user = self.request.user
        if not apps.is_installed("wagtail_localize") or not user.has_perm(
            "wagtail_localize.submit_translation"
        ):
            return []
        buttons = []
        translated = {instance.locale_id} | {
            other.locale_id for other in getattr(instance, "translations_in_row", [])
        }
        if self.locale_ids - translated:
            buttons.append(
                Button(
                    gettext("Translate"),
                    reverse(
                        "wagtail_localize:submit_snippet_translation",
                        args=["wagtail_iln", "round", quote(instance.pk)],
                    ),
                    icon_name="wagtail-localize-language",
                    priority=100,
                )
            )
        source = self.synced_sources.get((instance.translation_key, instance.locale_id))
        if source is not None:
            buttons.append(
                Button(
                    gettext("Sync translated snippets"),
                    reverse("wagtail_localize:update_translations", args=[source])
                    + f"?next={self.request.path}",
                    icon_name="resubmit",
                    priority=106,
                )
            )
        return buttons

    def get_list_buttons(self, instance):
        # Wagtail's, without wagtail-localize's listing hook, which asks the database
        # twice for every row: translation_buttons() makes the same buttons.
        buttons = self.get_list_more_buttons(instance)
        for hook in hooks.get_hooks("register_snippet_listing_buttons"):
            if getattr(hook, "__module__", "") != "wagtail_localize.wagtail_hooks":
                buttons.extend(hook(instance, self.request.user, self.request.path))
        list_buttons, more_buttons = [], []
        for button in buttons:
            if isinstance(button, BaseButton) and not button.allow_in_dropdown:
                list_buttons.append(button)
            elif isinstance(button, MenuItem):
                if button.is_shown(self.request.user):
                    more_buttons.append(Button.from_menu_item(button))
            elif button.show:
                more_buttons.append(button)
        for hook in hooks.get_hooks("construct_snippet_listing_buttons"):
            hook(more_buttons, instance, self.request.user)
        if more_buttons:
            list_buttons.append(
                ButtonWithDropdown(
                    buttons=more_buttons,
                    icon_name="dots-horizontal",
                    attrs={
                        "aria-label": gettext("More options for '%(title)s'")
                        % {"title": str(instance)}
                    },
                )
            )
        return list_buttons


class RoundEditView(EditView):
    matching_url_name = None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        button = match_button(self.request.user, self.object, self.matching_url_name, priority=5)
        return [*buttons, button] if button else buttons


def count_of(queryset):
    """A subquery counting the rows of ``queryset`` (which refers to the outer row)."""
    counted = queryset.order_by().values("round__translation_key").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def status_in_listing(round):
    """The round's status as a cell of the listing: "Applications open".

    The labels are lower case, to read inside sentences: the cell capitalises its
    own, as the dashboard's round panel does.
    """
    return capfirst(round.get_current_status_display())


def translation_names(round):
    """The round's other languages and names: "fr: Session 12, es: Ronda 12"."""
    return ", ".join(
        f"{other.locale.language_code}: {other.name}"
        for other in getattr(round, "translations_in_row", [])
    )


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "date"
    index_view_class = RoundIndexView
    edit_view_class = RoundEditView
    list_display = [
        "name",
        Column("current_status", label=capfirst(_("status")), accessor=status_in_listing),
        "starts_on",
        "ends_on",
        Column("translation_names", label=capfirst(_("translations")), accessor=translation_names),
        Column("applicant_count", label=capfirst(_("applicants")), sort_key="applicant_count"),
        Column("accepted_count", label=capfirst(_("accepted")), sort_key="accepted_count"),
    ]
    filterset_class = RoundFilterSet
    list_export = [
        "name",
        "get_current_status_display",
        "applications_open_at",
        "applications_close_at",
        "starts_on",
        "ends_on",
        "applicant_count",
        "accepted_count",
    ]
    export_headings = {
        "get_current_status_display": capfirst(_("status")),
        "applicant_count": capfirst(_("applicants")),
        "accepted_count": capfirst(_("accepted")),
    }
    search_fields = ["name"]
    search_backend_name = None
    ordering = ["-starts_on"]

    def get_queryset(self, request):
        # One row per round: its first version; enrolments through any translation count.
        first = Round.objects.values("translation_key").annotate(first=Min("pk")).values("first")
        enrolments = Enrolment.objects.filter(round__translation_key=OuterRef("translation_key"))
        return (
            Round.objects.filter(pk__in=first)
            .select_related("locale")
            .annotate(
                applicant_count=count_of(enrolments),
                accepted_count=count_of(enrolments.filter(status=EnrolmentStatus.ACCEPTED)),
            )
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            matching_url_name=self.get_url_name("matching"),
            calendar_url_name=self.get_url_name("calendar"),
            **kwargs,
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            matching_url_name=self.get_url_name("matching"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            *matching_urlpatterns(self),
            *calendar_urlpatterns(self),
        ]
