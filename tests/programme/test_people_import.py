import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, ManagementUtility, call_command
from django.test import override_settings
from django.urls import reverse

from tests.factories import EnrolmentFactory, ParticipantFactory, RoundFactory
from wagtail_iln.models import Enrolment, MatchingRun, Participant
from wagtail_iln.programme.importing import CREATE, UNCHANGED, UPDATE, import_participants

pytestmark = pytest.mark.django_db

HEADINGS = (
    "name,email,country,city,time_zone,languages,workplace,workplace_kind,workplace_size,role,"
    "day_to_day,career_path,hopes_career,hopes_partnership,contact_frequency,contact_methods"
)
GOOD = (
    HEADINGS
    + "\n"
    + "Ana Souza,ana@example.org,BR,Recife,America/Recife,pt; en,Biblioteca Municipal,public,"
    + "small,Children's librarian,Story time,Teacher then librarian,Run a library,Ideas,"
    + "weekly,email; video call\n"
    + "Kofi Mensah,Kofi@Example.org,Ghana,Accra,Africa/Accra,en,Balme Library,academic library,"
    + 'big,Cataloguer,"Cataloguing, mostly",Archivist,Head of cataloguing,Friends,'
    + "fortnightly,messaging\n"
)
BAD = (
    HEADINGS
    + "\n"
    + "Ana Souza,not-an-address,Atlantis,Recife,Mars/Base,pt; xx,Biblioteca,castle,small,,,,,,"
    + "daily,pigeon\n"
    + "\n"
    + "Kofi Mensah,kofi@example.org,GH,Accra,Africa/Accra,en,Balme,academic,big,,,,,,weekly,email\n"
    + ",KOFI@example.org,GH,Accra,Africa/Accra,en,Balme,academic,big,,,,,,weekly,email\n"
)


@pytest.fixture
def round():
    return RoundFactory(name="2026")


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_a_good_file_creates_participants_and_enrolments(round):
    report = import_participants(GOOD.encode(), round)
    assert report.is_valid and report.imported
    assert (report.created, report.updated, report.enrolled) == (2, 0, 2)
    ana = Participant.objects.get(email="ana@example.org")
    assert ana.languages == ["pt", "en"]
    assert ana.contact_methods == ["email", "video_call"]
    kofi = Participant.objects.get(email="Kofi@Example.org")
    assert (kofi.country.code, kofi.workplace_kind, kofi.day_to_day) == (
        "GH",
        "academic",
        "Cataloguing, mostly",
    )
    assert set(Enrolment.objects.values_list("participant__name", "round", "status")) == {
        ("Ana Souza", round.pk, "applied"),
        ("Kofi Mensah", round.pk, "applied"),
    }


def test_every_bad_row_is_reported_and_nothing_is_stored(round):
    report = import_participants(BAD.encode(), round)
    assert not report.imported
    errors = errors_of(report)
    columns_of_row_2 = sorted(column for row, column, _message in errors if row == 2)
    assert columns_of_row_2 == [
        "contact_frequency",
        "contact_methods",
        "country",
        "email",
        "languages",
        "time_zone",
        "workplace_kind",
    ]
    messages = {column: message for row, column, message in errors if row == 2}
    assert "Atlantis" in messages["country"]
    assert "Mars/Base" in messages["time_zone"]
    assert "xx" in messages["languages"]
    assert "pigeon" in messages["contact_methods"]
    # The blank line is row 3 of the spreadsheet, so the rows after it keep their numbers.
    assert (5, "email", "This e-mail address is already on row 4.") in errors
    assert (5, "name", "This field cannot be blank.") in errors
    assert not any(row == 4 for row, _column, _message in errors)
    assert not Participant.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_missing_required_column_is_reported(round):
    report = import_participants(b"name,email\nAna,ana@example.org\n", round)
    assert errors_of(report) == [
        (1, "country", "This column is missing."),
        (1, "time_zone", "This column is missing."),
    ]


def test_reimporting_the_same_file_creates_no_duplicates(round):
    import_participants(GOOD.encode(), round)
    again = import_participants(GOOD.encode(), round)
    assert again.is_valid
    assert [row.action for row in again.rows] == [UNCHANGED, UNCHANGED]
    assert again.enrolled == 0
    assert Participant.objects.count() == 2
    assert Enrolment.objects.count() == 2


def test_a_known_person_is_matched_by_e_mail_whatever_its_case_and_updated(round):
    earlier = RoundFactory(name="2025")
    kofi = ParticipantFactory(email="kofi@example.org", city="Kumasi", role="Intern")
    EnrolmentFactory(participant=kofi, round=earlier)
    report = import_participants(GOOD.encode(), round, dry_run=True)
    actions = {row.participant.name: (row.action, row.changed_fields) for row in report.rows}
    assert actions["Ana Souza"] == (CREATE, [])
    assert actions["Kofi Mensah"][0] == UPDATE
    assert {"city", "role"} <= set(actions["Kofi Mensah"][1])
    assert not report.imported
    kofi.refresh_from_db()
    assert kofi.city == "Kumasi"

    import_participants(GOOD.encode(), round)
    kofi.refresh_from_db()
    assert (kofi.city, kofi.role) == ("Accra", "Cataloguer")
    assert Participant.objects.count() == 2
    assert kofi.enrolments.count() == 2


def test_utf8_with_a_byte_order_mark_and_semicolons(round):
    data = "\ufeffname;email;country;time_zone\nJosé Núñez;jose@example.org;PE;America/Lima\n"
    report = import_participants(data.encode("utf-8"), round)
    assert report.is_valid, errors_of(report)
    assert Participant.objects.get().name == "José Núñez"


def test_a_file_that_is_not_utf8_is_refused(round):
    data = "name,email,country,time_zone\nJosé,jose@example.org,PE,America/Lima\n"
    report = import_participants(data.encode("latin-1"), round)
    assert len(report.errors) == 1
    assert "UTF-8" in report.errors[0].message


def test_unknown_columns_are_ignored_and_listed(round):
    data = (
        "Timestamp,name,email,country,time_zone\n2026-01-01,Ana,ana@example.org,BR,America/Recife\n"
    )
    report = import_participants(data.encode(), round)
    assert report.is_valid
    assert report.ignored_columns == ["timestamp"]


# The admin upload


def import_url():
    return reverse("wagtailsnippets_wagtail_iln_participant:import")


def upload(content, name="applicants.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_admin_previews_then_imports(admin_client, round, django_capture_on_commit_callbacks):
    page = admin_client.get(import_url())
    assert page.status_code == 200
    preview = admin_client.post(
        import_url(), {"round": round.pk, "file": upload(GOOD.encode()), "action": "preview"}
    )
    assert preview.status_code == 200
    assert not Participant.objects.exists()
    soup = BeautifulSoup(preview.content, "html.parser")
    rows = soup.select("[data-import-rows] tbody tr")
    assert [r.select("td")[1].get_text() for r in rows] == ["Ana Souza", "Kofi Mensah"]
    previewed = soup.select_one("input[name=previewed]")["value"]

    # The import is queued for the task worker (the immediate backend runs it after commit);
    # its page shows how far it has gone, then what it did.
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            import_url(), {"round": round.pk, "previewed": previewed, "action": "import"}
        )
    assert response.status_code == 302
    job = MatchingRun.objects.get(kind="import")
    assert response["Location"] == reverse(
        "wagtailsnippets_wagtail_iln_participant:import_progress", args=[job.pk]
    )
    assert Participant.objects.count() == 2
    assert Enrolment.objects.filter(round=round).count() == 2
    done = BeautifulSoup(admin_client.get(response["Location"]).content, "html.parser")
    assert "2 new" in done.select_one("[data-iln-import-done]").get_text()
    assert bytes(MatchingRun.objects.get(kind="import").payload) == b""  # the file is dropped


def test_admin_lists_every_error_and_offers_no_import(admin_client, round):
    response = admin_client.post(
        import_url(), {"round": round.pk, "file": upload(BAD.encode()), "action": "import"}
    )
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    cells = [
        [td.get_text() for td in tr.select("td")]
        for tr in soup.select("[data-import-errors] tbody tr")
    ]
    assert ["5", "email", "This e-mail address is already on row 4."] in cells
    assert len(cells) == len(import_participants(BAD.encode(), round, dry_run=True).errors)
    assert soup.select_one("input[name=previewed]") is None
    assert not Participant.objects.exists()


def test_a_file_too_large_for_a_form_field_is_imported_after_its_preview(
    admin_client, round, settings, django_capture_on_commit_callbacks
):
    """The previewed file waits on the server, not in the confirm form."""
    rows = [
        f"Person {n},person{n}@example.org,{country},City {n},Europe/Paris,fr; en,"
        f"Library {n},public,small,Librarian,{'Story time and a reading club ' * 8}{n},"
        f"Teacher,Run a library,Ideas,weekly,email"
        for n, country in zip(range(120), ["FR", "BR", "KE", "IN", "PE", "JP"] * 20, strict=True)
    ]
    content = (HEADINGS + "\n" + "\n".join(rows) + "\n").encode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4_000  # far below the file
    assert len(content) > 10 * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    preview = admin_client.post(
        import_url(), {"round": round.pk, "file": upload(content), "action": "preview"}
    )
    previewed = BeautifulSoup(preview.content, "html.parser").select_one("input[name=previewed]")[
        "value"
    ]
    assert "Story time" not in previewed and len(previewed) < 200

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            import_url(), {"round": round.pk, "previewed": previewed, "action": "import"}
        )
    assert response.status_code == 302
    assert Participant.objects.count() == 120


def test_a_preview_gone_from_the_cache_asks_for_the_file_again(admin_client, round):
    preview = admin_client.post(
        import_url(), {"round": round.pk, "file": upload(GOOD.encode()), "action": "preview"}
    )
    previewed = BeautifulSoup(preview.content, "html.parser").select_one("input[name=previewed]")[
        "value"
    ]
    cache.clear()

    response = admin_client.post(
        import_url(), {"round": round.pk, "previewed": previewed, "action": "import"}
    )
    assert response.context["form"].errors["file"] == ["Choose the file again."]
    assert not Participant.objects.exists()


def test_a_tampered_preview_is_refused(admin_client, round):
    response = admin_client.post(
        import_url(), {"round": round.pk, "previewed": "forged", "action": "import"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Choose the file again."]


def test_a_file_over_the_size_limit_is_refused(admin_client, round, monkeypatch):
    monkeypatch.setattr("wagtail_iln.programme.import_views.MAX_UPLOAD_BYTES", 100)
    response = admin_client.post(
        import_url(), {"round": round.pk, "file": upload(GOOD.encode()), "action": "preview"}
    )
    assert response.context["form"].errors["file"] == ["The file is larger than 0 MB."]


# The management command


def test_command_imports(tmp_path, round, capsys):
    path = tmp_path / "applicants.csv"
    path.write_bytes(GOOD.encode("utf-8-sig"))
    call_command("iln_import_participants", str(path), "--round", str(round.pk))
    assert "2 new" in capsys.readouterr().out
    assert Participant.objects.count() == 2


def test_command_dry_run_stores_nothing(tmp_path, round, capsys):
    path = tmp_path / "applicants.csv"
    path.write_bytes(GOOD.encode())
    call_command("iln_import_participants", str(path), "--round", str(round.pk), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Participant.objects.exists()


def test_command_fails_with_every_error(tmp_path, round, capsys):
    path = tmp_path / "applicants.csv"
    path.write_bytes(BAD.encode())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("iln_import_participants", str(path), "--round", str(round.pk))
    err = capsys.readouterr().err
    assert "Row 2, time_zone:" in err
    assert "Row 5, email: This e-mail address is already on row 4." in err
    assert not Participant.objects.exists()


def test_command_exits_non_zero_on_errors(tmp_path, round):
    path = tmp_path / "applicants.csv"
    path.write_bytes(BAD.encode())
    argv = [
        "manage.py",
        "iln_import_participants",
        str(path),
        "--round",
        str(round.pk),
        "--dry-run",
    ]
    with pytest.raises(SystemExit) as exit:
        ManagementUtility(argv).execute()
    assert exit.value.code == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_a_worker_the_import_shows_its_progress_until_done(
    admin_client, round, django_capture_on_commit_callbacks
):
    from tests.helpers import run_task_worker

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            import_url(), {"round": round.pk, "file": upload(GOOD.encode()), "action": "import"}
        )
    progress = response["Location"]
    assert not Participant.objects.exists()
    page = BeautifulSoup(admin_client.get(progress).content, "html.parser")
    box = page.select_one("[data-iln-import-progress]")
    assert box.select_one("progress") is not None
    assert admin_client.get(box["data-url"]).json()["done"] is False

    run_task_worker()
    assert Participant.objects.count() == 2
    assert admin_client.get(box["data-url"]).json() | {"url": ""} == {
        "status": "finished",
        "status_label": "finished",
        "progress": 1.0,
        "done": True,
        "url": "",
    }
    page = BeautifulSoup(admin_client.get(progress).content, "html.parser")
    assert "2 new" in page.select_one("[data-iln-import-done]").get_text()
