"""Import applicants from an organiser's spreadsheet into a round.

The file is CSV, UTF-8 with or without a byte-order mark ("CSV UTF-8" in
Excel, the default in LibreOffice and Google Sheets), at most 5 MB, separated
by commas, semicolons or tabs. The first row holds the column names, in any
order and any case; columns the importer does not know are ignored and listed
in the report. One row per applicant:

==================  ========  ==========================================================
column              required  value
==================  ========  ==========================================================
name                yes       the person's name
email               yes       e-mail address; the same address twice in a file is an error
country             yes       ISO 3166 code (``AU``) or English name (``Australia``)
city                          text
time_zone           yes       IANA name such as ``Australia/Sydney``
languages                     ISO 639-1 codes separated by ``;``, e.g. ``en; es``
workplace                     text
workplace_kind                academic, public, school, special, national,
                              library_school, not_in_a_library or other
                              (or the English label, e.g. ``academic library``)
workplace_size                big or small
role                          text
day_to_day                    text: what the person does day to day
career_path                   text
hopes_career                  text: where the person hopes to go
hopes_partnership             text: what the person hopes to get from a partnership
contact_frequency             weekly or fortnightly
contact_methods               email, video_call, messaging, social_media, phone (or
                              their labels, e.g. ``video call``) separated by ``;``
language                      the code of one of the site's languages (``LANGUAGES``),
                              e.g. ``fr``: the language of the person's e-mails
==================  ========  ==========================================================

A participant is matched by e-mail address, ignoring case: a known person is
updated with the columns the file has (a column left out keeps its value), a
new one is created. Each person is then enrolled in the round, as *applied*,
unless already enrolled. Nothing is stored unless every row is valid, so the
same file can be fixed and imported again; importing it twice changes nothing
the second time.

Override points: subclass :class:`ParticipantImporter` and change
``columns``, ``required_columns`` or ``clean_<column>`` methods.
"""

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django_countries import countries

from .choices import ContactFrequency, ContactMethod, WorkplaceKind, WorkplaceSize
from .models import PROFILE_FIELDS, Enrolment, Participant

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"


@dataclass
class RowError:
    """What is wrong, and where: ``row`` as a spreadsheet numbers it (headings are row 1)."""

    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Row %(row)s, %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class RowResult:
    row: int
    participant: Participant
    action: str
    changed_fields: list = field(default_factory=list)
    enrol: bool = True


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    imported: bool = False

    @property
    def is_valid(self):
        return not self.errors

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count(CREATE)

    @property
    def updated(self):
        return self.count(UPDATE)

    @property
    def unchanged(self):
        return self.count(UNCHANGED)

    @property
    def enrolled(self):
        return sum(1 for row in self.rows if row.enrol)


def decode(data):
    """The text of an uploaded file: UTF-8, the byte-order mark dropped."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _(
                "The file is not UTF-8 text (a byte at position %(position)s is not). "
                "Save the spreadsheet as “CSV UTF-8” and try again."
            ),
            code="encoding",
            params={"position": error.start},
        ) from error


def choice_lookup(choices):
    """Map codes and English labels, in any case, to codes."""
    lookup = {}
    for code, label in choices:
        lookup[code.lower()] = code
        lookup[code.replace("_", " ").lower()] = code
        lookup[str(label).lower()] = code
    return lookup


def split_list(value):
    return [item.strip() for item in value.split(";") if item.strip()]


class ParticipantImporter:
    """Validate, then import, the rows of a CSV file into ``round``."""

    columns = [*PROFILE_FIELDS, "language"]
    required_columns = ["name", "email", "country", "time_zone"]
    max_bytes = MAX_UPLOAD_BYTES

    def __init__(self, round):
        self.round = round

    # Reading

    def read_rows(self, text, report):
        """Yield ``(row number, {column: text})`` for each non-empty row."""
        first_line = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first_line.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            headings = next(reader)
        except StopIteration:
            report.errors.append(RowError(1, "", _("The file is empty.")))
            return
        headings = [heading.strip().lower() for heading in headings]
        report.ignored_columns = [h for h in headings if h and h not in self.columns]
        for column in self.required_columns:
            if column not in headings:
                report.errors.append(RowError(1, column, _("This column is missing.")))
        seen = set()
        for heading in headings:
            if heading in self.columns and heading in seen:
                report.errors.append(RowError(1, heading, _("This column appears twice.")))
            seen.add(heading)
        if report.errors:
            return
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            values = {
                heading: cell.strip()
                for heading, cell in zip(headings, cells, strict=False)
                if heading in self.columns
            }
            yield number, values

    # Cleaning, one method per column that needs more than its text

    def clean_email(self, value):
        return value

    def clean_country(self, value):
        if not value:
            return ""
        if value.upper() in dict(countries):
            return value.upper()
        code = countries.by_name(value)
        if code:
            return code
        raise ValidationError(
            _("“%(value)s” is neither a country code such as AU nor a country name in English."),
            params={"value": value},
        )

    def clean_languages(self, value):
        return [code.lower() for code in split_list(value)]

    def _clean_choice(self, value, choices):
        if not value:
            return ""
        lookup = choice_lookup(choices)
        try:
            return lookup[value.lower()]
        except KeyError:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s."),
                params={"value": value, "choices": ", ".join(code for code, _label in choices)},
            ) from None

    def clean_workplace_kind(self, value):
        return self._clean_choice(value, WorkplaceKind.choices)

    def clean_workplace_size(self, value):
        return self._clean_choice(value, WorkplaceSize.choices)

    def clean_contact_frequency(self, value):
        return self._clean_choice(value, ContactFrequency.choices)

    def clean_contact_methods(self, value):
        return [self._clean_choice(item, ContactMethod.choices) for item in split_list(value)]

    def clean_language(self, value):
        if not value:
            return ""
        codes = [code for code, _name in settings.LANGUAGES]
        if value.lower() in codes:
            return value.lower()
        raise ValidationError(
            _("“%(value)s” is not one of the site's languages: %(choices)s."),
            params={"value": value, "choices": ", ".join(codes)},
        )

    # Validating and importing

    def existing_participants(self, emails):
        return {
            participant.email_lower: participant
            for participant in Participant.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=emails
            )
        }

    def enrolled_participant_ids(self):
        return set(
            Enrolment.objects.filter(round__translation_key=self.round.translation_key).values_list(
                "participant_id", flat=True
            )
        )

    def validate(self, data):
        """Return an :class:`ImportReport`; nothing is stored."""
        report = ImportReport()
        if len(data) > self.max_bytes:
            report.errors.append(
                RowError(
                    1,
                    "",
                    _("The file is larger than %(size)s MB.")
                    % {"size": self.max_bytes // (1024 * 1024)},
                )
            )
            return report
        try:
            text = decode(data)
        except ValidationError as error:
            report.errors.append(RowError(1, "", error.messages[0]))
            return report

        rows = list(self.read_rows(text, report))
        if report.errors:
            return report

        emails = {values.get("email", "").lower() for _number, values in rows}
        existing = self.existing_participants(emails)
        enrolled = self.enrolled_participant_ids()
        first_row_of_email = {}

        for number, values in rows:
            errors = []
            cleaned = {}
            for column, text_value in values.items():
                cleaner = getattr(self, f"clean_{column}", None)
                try:
                    cleaned[column] = cleaner(text_value) if cleaner else text_value
                except ValidationError as error:
                    errors.extend(RowError(number, column, m) for m in error.messages)

            email = values.get("email", "").lower()
            if email and email in first_row_of_email:
                errors.append(
                    RowError(
                        number,
                        "email",
                        _("This e-mail address is already on row %(row)s.")
                        % {"row": first_row_of_email[email]},
                    )
                )
            elif email:
                first_row_of_email[email] = number

            participant = existing.get(email)
            action = UPDATE if participant else CREATE
            if participant is None:
                participant = Participant()
            changed = [
                column
                for column, value in cleaned.items()
                if column not in {c.column for c in errors}
                and getattr(participant, column) != value
            ]
            for column in changed:
                setattr(participant, column, cleaned[column])
            if action == UPDATE and not changed:
                action = UNCHANGED

            failed_columns = {error.column for error in errors}
            try:
                participant.full_clean(exclude=failed_columns)
            except ValidationError as error:
                for column, messages in error.message_dict.items():
                    column = "" if column == NON_FIELD_ERRORS else column
                    errors.extend(RowError(number, column, message) for message in messages)

            report.errors.extend(errors)
            if not errors:
                report.rows.append(
                    RowResult(
                        row=number,
                        participant=participant,
                        action=action,
                        changed_fields=changed if action == UPDATE else [],
                        enrol=participant.pk is None or participant.pk not in enrolled,
                    )
                )
        if report.errors:
            report.rows = []
        return report

    def run(self, data, dry_run=False, progress=None):
        """Validate ``data`` and, unless ``dry_run`` or a row is wrong, store it all.

        ``progress(fraction)`` is told how far the storing has gone.
        """
        report = self.validate(data)
        if dry_run or not report.is_valid:
            return report
        with transaction.atomic():
            for number, row in enumerate(report.rows, start=1):
                if row.action != UNCHANGED:
                    row.participant.save()
                if row.enrol:
                    Enrolment.objects.get_or_create(participant=row.participant, round=self.round)
                if progress is not None:
                    progress(number / len(report.rows))
        report.imported = True
        return report


def import_participants(data, round, dry_run=False, importer_class=ParticipantImporter):
    """Import the CSV ``data`` (bytes or text) into ``round``; return an :class:`ImportReport`."""
    return importer_class(round).run(data, dry_run=dry_run)
