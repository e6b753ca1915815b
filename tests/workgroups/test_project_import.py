"""Projects and their phases as a spreadsheet: the export (XLSX, CSV), the import previewed before anything is
saved and then applied all or nothing, the round trip that changes nothing or exactly what was edited, and
every file the import refuses with the reason, by sheet, row and column, never with a server error."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.formats import date_text
from goals import reference
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, goal_in_force
from tests.workgroups.test_projects import approved, phase, propose
from workgroups import project_spreadsheet, services
from workgroups.models import Project, ProjectPhase
from workgroups.services import project_import

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today
EXPORT = "/en/projects/export/"
IMPORT = "/en/projects/import/"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def members(db):
    return [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ["Aby", "Bby", "Cby"]
    ]


@pytest.fixture
def portfolio(members, secretariat_user):
    """A running Lab project with a plan of three phases (one reached), a Move proposal with goals, areas and a CO2
    potential, owned by another member, and a completed Lab project."""
    reference.load()
    cleaning = goal_in_force(title="Rengøring")
    lab = approved(members, secretariat_user)
    for weight in (1, 2, 1):
        phase(lab, secretariat_user, weight=weight, title=f"Fase {weight}")
    first = lab.phases.order_by("position").first()
    services.project_phase_update(
        phase=first,
        by=secretariat_user,
        status="done",
        actual_start=TODAY() - datetime.timedelta(days=20),
        actual_end=TODAY() - datetime.timedelta(days=2),
        spent_dkk=120_000,
    )
    services.project_start(project=lab, by=secretariat_user)
    move = propose(
        members[1],
        kind="purchasing",
        title="=Mærkede rengøringsmidler",
        purpose='-Kun svanemærkede produkter; "citat" og æøå\nanden linje.',
        goals=[cleaning.goal],
        co2_potential_tonnes=Decimal("12.5"),
        co2_assumption="@2.500 indkøb",
    )
    move.product_areas.set(reference_area("rengoering"))
    done = approved(members, secretariat_user)
    phase(done, secretariat_user, title="Eneste fase")
    services.project_phase_update(
        phase=done.phases.get(), by=secretariat_user, status="done", actual_end=TODAY() - datetime.timedelta(days=1)
    )
    services.project_start(project=done, by=secretariat_user)
    services.project_complete(
        project=done, by=secretariat_user, measured_effect_tonnes=Decimal("40"), effect_note="Målt i forsøget."
    )
    for project in (lab, move, done):
        project.refresh_from_db()
    return {"lab": lab, "move": move, "done": done, "goal": cleaning.goal}


def reference_area(slug):
    from goals.models import ProductArea

    return [ProductArea.objects.get(slug=slug)]


def snapshot():
    """Everything an import could change, and the history's length: equal snapshots mean an unchanged database."""
    projects = [
        (
            p.slug,
            {k: v for k, v in vars(p).items() if not k.startswith("_")},
            sorted(p.goals.values_list("number", flat=True)),
            sorted(p.product_areas.values_list("slug", flat=True)),
        )
        for p in Project.objects.order_by("slug")
    ]
    phases = [{k: v for k, v in vars(p).items() if not k.startswith("_")} for p in ProjectPhase.objects.order_by("pk")]
    return projects, phases, Project.history.count(), ProjectPhase.history.count()


def export(client, kind="xlsx", path=EXPORT):
    response = client.get(f"{path}?format={kind}")
    assert response.status_code == 200
    return response.content


def upload(client, *files):
    return client.post(IMPORT, {"spreadsheet": [SimpleUploadedFile(name, content) for name, content in files]})


def confirm(client, response):
    token = response.context["confirm_form"].initial["token"]
    return client.post(IMPORT, {"token": token}, follow=True)


def xlsx_edit(content, sheet, edit):
    """The workbook with ``edit(worksheet)`` applied, as a spreadsheet program would save it."""
    book = load_workbook(io.BytesIO(content))
    edit(book[sheet])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_table(content):
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def csv_bytes(table):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(table)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def cell(worksheet, slug, column, position=None):
    """The cell of a project's (or a phase's) column in an exported sheet."""
    header = [c.value for c in worksheet[1]]
    key = header.index("slug" if "slug" in header else "project")
    for row in worksheet.iter_rows(min_row=2):
        if row[key].value == slug and (position is None or row[header.index("position")].value == position):
            return row[header.index(column)]
    raise AssertionError(f"{slug} {position} not in the sheet")


class TestExport:
    def test_one_workbook_with_the_projects_and_their_phases(self, secretariat_client, portfolio):
        # when the secretariat downloads every project as XLSX
        response = secretariat_client.get(f"{EXPORT}?format=xlsx")

        # then it gets one workbook with a sheet of projects and a sheet of phases, one row each
        assert response["Content-Disposition"] == 'attachment; filename="pogi-projekter.xlsx"'
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["projects", "phases"]
        projects, phases = book["projects"], book["phases"]
        assert [c.value for c in projects[1]] == project_spreadsheet.PROJECT_COLUMNS
        assert [c.value for c in phases[1]] == project_spreadsheet.PHASE_COLUMNS
        assert projects.max_row == 1 + 3 and phases.max_row == 1 + 4
        move, lab = portfolio["move"], portfolio["lab"]
        assert cell(projects, move.slug, "owner").value == move.owner.slug
        assert cell(projects, move.slug, "lead_email").value == move.lead.email
        assert cell(projects, move.slug, "goals").value == str(portfolio["goal"].number)
        assert cell(projects, move.slug, "product_areas").value == "rengoering"
        assert cell(projects, move.slug, "co2_potential_tonnes").value == 12.5
        assert cell(projects, lab.slug, "status").value == "running"
        reached = cell(phases, lab.slug, "actual_end", position=1).value
        assert reached.date() == TODAY() - datetime.timedelta(days=2)
        assert cell(phases, lab.slug, "status", position=1).value == "done"
        assert cell(phases, lab.slug, "weight", position=2).value == 2
        # text that starts like a formula is text, never a formula
        title = cell(projects, move.slug, "title")
        assert title.value == "=Mærkede rengøringsmidler" and title.data_type == "s"

    def test_csv_files_excel_reads_as_text(self, secretariat_client, portfolio):
        # when the secretariat downloads the two CSV files
        projects = export(secretariat_client, "projects-csv")
        phases = export(secretariat_client, "phases-csv")

        # then each is UTF-8 with a byte-order mark, separated by semicolons, with the export's columns
        assert projects.startswith("\ufeff".encode()) and phases.startswith("\ufeff".encode())
        table = csv_table(projects)
        assert table[0] == project_spreadsheet.PROJECT_COLUMNS
        assert csv_table(phases)[0] == project_spreadsheet.PHASE_COLUMNS
        row = next(r for r in table if r[0] == portfolio["move"].slug)
        values = dict(zip(table[0], row, strict=True))
        # cells that start like a formula (= + - @) are written behind a quote; the decimal has a comma
        assert values["title"] == "'=Mærkede rengøringsmidler"
        assert values["purpose"].startswith("'-Kun svanemærkede") and "æøå\nanden linje" in values["purpose"]
        assert values["co2_assumption"] == "'@2.500 indkøb"
        assert values["co2_potential_tonnes"] == "12,5"

    def test_the_export_takes_the_same_queries_for_many_projects(
        self, secretariat_client, portfolio, members, django_assert_num_queries
    ):
        export(secretariat_client)  # the session and its user are read once before counting
        # session, user, representative role, two-factor check, projects, goals, areas, phases, security log
        with django_assert_num_queries(9):
            export(secretariat_client)
        for n in range(4):
            project = propose(members[n % 3], title=f"Projekt {n}")
            phase(project, members[n % 3].user)
        with django_assert_num_queries(9):
            export(secretariat_client)

    def test_a_projects_managers_export_their_own_project_only(self, client, portfolio, members):
        move = portfolio["move"]
        client.force_login(members[1].user)
        # the owner's representative downloads their project
        content = export(client, "xlsx", path=f"/en/projects/{move.slug}/export/")
        book = load_workbook(io.BytesIO(content))
        assert [r[0].value for r in book["projects"].iter_rows(min_row=2)] == [move.slug]
        # but not another member's project, nor every project
        assert client.get(f"/en/projects/{portfolio['lab'].slug}/export/").status_code == 404
        assert client.get(EXPORT).status_code == 403
        assert client.get(IMPORT).status_code == 403

    def test_an_unknown_format_is_not_found(self, secretariat_client, portfolio):
        assert secretariat_client.get(f"{EXPORT}?format=pdf").status_code == 404


class TestRoundTrip:
    @pytest.mark.parametrize("kind", ["xlsx", "csv"])
    def test_a_file_imported_unchanged_changes_nothing(self, secretariat_client, portfolio, kind):
        # given the export, as one workbook or as its two CSV files
        if kind == "xlsx":
            files = [("projekter.xlsx", export(secretariat_client))]
        else:
            files = [
                ("projekter.csv", export(secretariat_client, "projects-csv")),
                ("faser.csv", export(secretariat_client, "phases-csv")),
            ]
        before = snapshot()

        # when it is uploaded again unchanged
        response = upload(secretariat_client, *files)

        # then the preview has no errors, reports no change and offers nothing to save
        assert response.status_code == 200
        preview = response.context["preview"]
        assert preview.errors == [] and preview.projects == []
        assert preview.rows == {"projects": 3, "phases": 4}
        assert response.context["confirm_form"] is None
        assert "The file changes nothing" in response.content.decode()
        # and the database is as it was
        assert snapshot() == before

    @pytest.mark.parametrize("kind", ["xlsx", "csv"])
    def test_a_milestone_edited_in_the_file_is_exactly_the_change(self, secretariat_client, portfolio, kind):
        lab = portfolio["lab"]
        reached = TODAY() - datetime.timedelta(days=1)
        # given the export with one milestone marked as reached in the file
        if kind == "xlsx":

            def edit(sheet):
                cell(sheet, lab.slug, "status", position=2).value = "done"
                cell(sheet, lab.slug, "actual_end", position=2).value = reached

            files = [("projekter.xlsx", xlsx_edit(export(secretariat_client), "phases", edit))]
        else:
            table = csv_table(export(secretariat_client, "phases-csv"))
            header = table[0]
            row = next(r for r in table[1:] if r[0] == lab.slug and r[1] == "2")
            row[header.index("status")] = "Milestone reached"  # a label is read as well as the code
            row[header.index("actual_end")] = reached.strftime("%d-%m-%Y")  # as Danish Excel saves a date
            files = [
                ("projekter.csv", export(secretariat_client, "projects-csv")),
                ("faser.csv", csv_bytes(table)),
            ]
        before = snapshot()

        # when it is uploaded
        response = upload(secretariat_client, *files)

        # then the preview shows that phase's status and date, and nothing else; nothing is saved yet
        preview = response.context["preview"]
        assert preview.errors == []
        assert [p.slug for p in preview.projects] == [lab.slug]
        (change,) = preview.projects
        assert change.changes == []
        assert [(ph.position, ph.created) for ph in change.phases] == [(2, False)]
        assert [(c.column, c.before, c.after) for c in change.phases[0].changes] == [
            ("actual_end", "", date_text(reached)),
            ("status", "Planned", "Milestone reached"),
        ]
        assert snapshot() == before

        # when the preview is confirmed
        page = confirm(secretariat_client, response)

        # then exactly that phase changed, recorded as the secretariat's change, and the progress follows
        assert "The import is saved: 0 projects, 1 phase changed and 0 new phases added." in page.content.decode()
        after = snapshot()
        assert after[0] == before[0]
        changed = [(b, a) for b, a in zip(before[1], after[1], strict=True) if b != a]
        assert len(changed) == 1
        old, new = changed[0]
        assert {k for k in old if old[k] != new[k]} == {"status", "actual_end"}
        assert new["status"] == "done" and new["actual_end"] == reached
        phase_ = ProjectPhase.objects.get(pk=new["id"])
        assert phase_.history.first().history_user == response.wsgi_request.user
        assert Project.objects.get(pk=lab.pk).progress == 75
        # and importing the same file again changes nothing more
        again = upload(secretariat_client, *files)
        assert again.context["preview"].projects == []

    def test_a_new_phase_and_a_projects_own_values_are_imported(self, secretariat_client, portfolio, members):
        lab, move = portfolio["lab"], portfolio["move"]
        start, end = TODAY() + datetime.timedelta(days=10), TODAY() + datetime.timedelta(days=90)

        def phases(sheet):
            sheet.append([lab.slug, 4, "Udrulning", "Alle forvaltninger er med", 3, start, end, None, None, "planned"])

        def projects(sheet):
            cell(sheet, move.slug, "title").value = "Mærkede rengøringsmidler"
            cell(sheet, move.slug, "co2_potential_tonnes").value = 20
            cell(sheet, move.slug, "goals").value = ""

        content = xlsx_edit(xlsx_edit(export(secretariat_client), "phases", phases), "projects", projects)
        response = upload(secretariat_client, ("projekter.xlsx", content))
        preview = response.context["preview"]
        assert preview.errors == []
        assert preview.phases_created == 1 and preview.projects_changed == 1
        html = response.content.decode()
        assert "New phase 4" in html and "Mærkede rengøringsmidler" in html

        confirm(secretariat_client, response)

        added = lab.phases.get(position=4)
        assert (added.title, added.weight, added.planned_start, added.status) == ("Udrulning", 3, start, "planned")
        move.refresh_from_db()
        assert move.title == "Mærkede rengøringsmidler" and move.co2_potential_tonnes == Decimal("20.0")
        assert not move.goals.exists()
        assert move.status == "proposed"


class TestRefused:
    """Every error is listed with its sheet, row and column; the whole file is refused and nothing is saved."""

    def errors(self, client, *files):
        before = snapshot()
        response = upload(client, *files)
        assert response.status_code == 200
        assert response.context["confirm_form"] is None
        assert snapshot() == before
        return [(e.sheet, e.row, e.column, e.message) for e in response.context["errors"]]

    def test_a_status_is_never_changed_by_an_import(self, secretariat_client, portfolio):
        move = portfolio["move"]
        content = xlsx_edit(
            export(secretariat_client),
            "projects",
            lambda sheet: setattr(cell(sheet, move.slug, "status"), "value", "approved"),
        )
        ((sheet, row, column, message),) = self.errors(secretariat_client, ("p.xlsx", content))
        assert (sheet, column) == ("projects", "status")
        assert row == cell(load_workbook(io.BytesIO(content))["projects"], move.slug, "status").row
        assert "The status is not changed by an import" in message and "management page" in message
        assert Project.objects.get(pk=move.pk).status == "proposed"

    def test_the_dates_track_kind_and_owner_the_steps_record_are_kept(self, secretariat_client, portfolio, members):
        lab = portfolio["lab"]

        def edit(sheet):
            cell(sheet, lab.slug, "started_on").value = TODAY() - datetime.timedelta(days=100)
            cell(sheet, lab.slug, "kind").value = "purchasing"
            cell(sheet, lab.slug, "owner").value = members[1].organisation.slug

        found = self.errors(secretariat_client, ("p.xlsx", xlsx_edit(export(secretariat_client), "projects", edit)))
        assert {column for _s, _r, column, _m in found} == {"started_on", "kind", "owner"}

    def test_one_bad_row_refuses_the_good_ones_too(self, secretariat_client, portfolio):
        lab = portfolio["lab"]

        def edit(sheet):
            cell(sheet, lab.slug, "spent_dkk", position=2).value = 5000  # fine
            cell(sheet, lab.slug, "weight", position=3).value = 101  # out of range
            cell(sheet, lab.slug, "planned_end", position=3).value = "31.02.2026"  # no such day

        found = self.errors(secretariat_client, ("p.xlsx", xlsx_edit(export(secretariat_client), "phases", edit)))
        assert [(s, c) for s, _r, c, _m in found] == [("phases", "weight"), ("phases", "planned_end")]
        assert "outside the allowed range, 1 to 100" in found[0][3]
        assert "is not a date" in found[1][3]
        assert lab.phases.get(position=2).spent_dkk is None

    def test_unknown_projects_and_values_the_rules_refuse(self, secretariat_client, portfolio, members):
        lab, done = portfolio["lab"], portfolio["done"]

        def phases(sheet):
            sheet.append(["no-such-project", 1, "Fase", "Milepæl", 1, TODAY(), TODAY()])
            cell(sheet, lab.slug, "actual_end", position=3).value = TODAY() + datetime.timedelta(days=5)
            cell(sheet, lab.slug, "status", position=3).value = "done"
            cell(sheet, lab.slug, "status", position=2).value = "finished"
            cell(sheet, done.slug, "title", position=1).value = "Ny titel"

        def projects(sheet):
            cell(sheet, lab.slug, "lead_email").value = members[1].user.email
            cell(sheet, lab.slug, "measured_effect_tonnes").value = 10
            cell(sheet, portfolio["move"].slug, "goals").value = "5, 999"
            cell(sheet, portfolio["move"].slug, "co2_assumption").value = ""

        content = xlsx_edit(xlsx_edit(export(secretariat_client), "phases", phases), "projects", projects)
        found = self.errors(secretariat_client, ("p.xlsx", content))
        messages = {(s, c): m for s, _r, c, m in found}
        assert "must represent the owner organisation" in messages[("projects", "lead_email")]
        assert "recorded when the project is completed" in messages[("projects", "measured_effect_tonnes")]
        assert "No goal has the number 999" in messages[("projects", "goals")]
        assert "assumption behind the CO2" in messages[("projects", "co2_assumption")]
        assert "No project has the address “no-such-project”" in messages[("phases", "project")]
        assert "cannot be reached in the future" in messages[("phases", "actual_end")]
        assert "“finished” is not one of: planned, in_progress, done, cancelled" in messages[("phases", "status")]
        assert "its plan is closed" in messages[("phases", "")]
        # the page lists each with its row and the column's letter in the spreadsheet
        html = upload(secretariat_client, ("p.xlsx", content)).content.decode()
        assert "lead_email (H)" in html and "actual_end (I)" in html

    def test_numbers_no_sheet_can_hold_are_refused_with_a_message(self, secretariat_client, portfolio):
        lab, move = portfolio["lab"], portfolio["move"]

        def phases(sheet):
            cell(sheet, lab.slug, "weight", position=2).value = "²"
            cell(sheet, lab.slug, "budget_dkk", position=3).value = "9" * 5000

        def projects(sheet):
            cell(sheet, move.slug, "co2_potential_tonnes").value = "1e30"
            cell(sheet, move.slug, "goals").value = "²"

        content = xlsx_edit(xlsx_edit(export(secretariat_client), "phases", phases), "projects", projects)
        found = self.errors(secretariat_client, ("p.xlsx", content))
        messages = {(s, c): m for s, _r, c, m in found}
        assert "is not a whole number" in messages[("phases", "weight")]
        assert "outside the allowed range" in messages[("phases", "budget_dkk")]
        assert "more tonnes than the portal records" in messages[("projects", "co2_potential_tonnes")]
        assert "No goal has the number ²" in messages[("projects", "goals")]

    def test_the_co2_potential_is_kept_once_the_project_is_approved(self, secretariat_client, portfolio):
        lab = portfolio["lab"]

        def projects(sheet):
            cell(sheet, lab.slug, "co2_potential_tonnes").value = 999
            cell(sheet, lab.slug, "co2_assumption").value = "Et nyt skøn."

        content = xlsx_edit(export(secretariat_client), "projects", projects)
        found = self.errors(secretariat_client, ("p.xlsx", content))
        messages = {(s, c): m for s, _r, c, m in found}
        assert "set while the project is proposed or prioritised" in messages[("projects", "co2_potential_tonnes")]
        assert "set while the project is proposed or prioritised" in messages[("projects", "co2_assumption")]
        lab.refresh_from_db()
        assert lab.co2_potential_tonnes != 999

    def test_another_organisations_projects_are_refused(self, portfolio, members):
        # a project's manager imports a file with another member's project: refused by the service itself
        sheets = project_spreadsheet.read(
            [SimpleUploadedFile("p.xlsx", project_spreadsheet.xlsx_bytes(list(Project.objects.all())))]
        )
        lab = portfolio["lab"]
        sheet = sheets["phases"]
        index = sheet.header.index("weight")
        for _n, cells in sheet.rows:
            cells[index] = "5"
        preview = project_import.project_import_preview(sheets=sheets, by=members[1].user)
        refused = {(e.sheet, e.message) for e in preview.errors}
        assert (
            "phases",
            f"The project “{lab.title}” belongs to Aby Kommune; you can only import your own organisation's projects.",
        ) in refused
        with pytest.raises(project_import.ImportRefused):
            project_import.project_import_apply(sheets=sheets, by=members[1].user, expected=preview.digest)
        assert not ProjectPhase.objects.filter(weight=5).exists()

    def test_a_project_changed_after_the_preview_is_not_overwritten(self, secretariat_client, portfolio):
        lab = portfolio["lab"]
        content = xlsx_edit(
            export(secretariat_client),
            "phases",
            lambda sheet: setattr(cell(sheet, lab.slug, "spent_dkk", position=2), "value", 9000),
        )
        response = upload(secretariat_client, ("p.xlsx", content))
        # meanwhile the project's lead records the spend on the project's page
        second = lab.phases.get(position=2)
        services.project_phase_update(phase=second, by=lab.lead, status="in_progress", spent_dkk=7000)

        page = confirm(secretariat_client, response)

        assert "The projects have changed since the preview" in page.content.decode()
        assert lab.phases.get(position=2).spent_dkk == 7000

    def test_a_confirmation_without_its_preview_saves_nothing(self, secretariat_client, portfolio):
        page = secretariat_client.post(IMPORT, {"token": "forged"}, follow=True)
        assert "The preview is no longer waiting to be imported" in page.content.decode()

    def test_the_apply_service_makes_only_the_previewed_changes(self, portfolio, secretariat_user):
        sheets = project_spreadsheet.read(
            [SimpleUploadedFile("p.xlsx", project_spreadsheet.xlsx_bytes(list(Project.objects.all())))]
        )
        with pytest.raises(ValidationError, match="changes nothing"):
            project_import.project_import_apply(sheets=sheets, by=secretariat_user, expected="")


class TestFiles:
    """Files that are not the export's: a clear message on the form, a 400, never a server error."""

    def refused(self, client, *files):
        response = upload(client, *files)
        assert response.status_code == 400
        return " ".join(response.context["form"].errors["spreadsheet"])

    def test_a_file_that_is_not_a_workbook(self, secretariat_client, portfolio):
        assert "could not be read as an XLSX workbook" in self.refused(
            secretariat_client, ("p.xlsx", b"PK\x03\x04 not really a zip")
        )
        assert "neither an XLSX nor a CSV file" in self.refused(secretariat_client, ("p.xlsm", b"x"))

    def test_a_zip_bomb(self, secretariat_client, portfolio):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (70 * 1024 * 1024))
        assert len(out.getvalue()) < 200_000
        assert "unpacks to more than a workbook" in self.refused(secretariat_client, ("p.xlsx", out.getvalue()))

    def test_a_file_larger_than_5_mb(self, secretariat_client, portfolio):
        assert "larger than 5 MB" in self.refused(secretariat_client, ("p.csv", b"slug;title\n" + b"x" * 5_300_000))

    def test_too_many_rows(self, secretariat_client, portfolio, monkeypatch):
        monkeypatch.setattr(project_spreadsheet, "MAX_ROWS", 2)
        assert "more than 2 rows" in self.refused(secretariat_client, ("p.xlsx", export(secretariat_client)))

    def test_csv_files_with_the_wrong_columns_or_no_text(self, secretariat_client, portfolio):
        assert "neither the projects' columns" in self.refused(secretariat_client, ("p.csv", b"navn;titel\nx;y\n"))
        assert "is not a CSV text file" in self.refused(secretariat_client, ("p.csv", b"slug;title\n\x00\x01\x02"))
        assert "is empty" in self.refused(secretariat_client, ("p.csv", b""))
        assert "Choose the file to import" in self.refused(secretariat_client)

    def test_a_workbook_without_the_exports_sheets(self, secretariat_client, portfolio):
        book = Workbook()
        book.active.title = "Ark1"
        out = io.BytesIO()
        book.save(out)
        assert "no sheet named “projects” or “phases”" in self.refused(secretariat_client, ("p.xlsx", out.getvalue()))

    def test_two_files_of_the_same_sheet_or_an_xlsx_with_another_file(self, secretariat_client, portfolio):
        projects = export(secretariat_client, "projects-csv")
        assert "upload each sheet once" in self.refused(secretariat_client, ("a.csv", projects), ("b.csv", projects))
        assert "choose it alone" in self.refused(
            secretariat_client, ("a.xlsx", export(secretariat_client)), ("b.csv", projects)
        )

    def test_unknown_and_missing_columns(self, secretariat_client, portfolio):
        table = csv_table(export(secretariat_client, "phases-csv"))
        for row in table:
            del row[-1]  # spent_dkk: left as it is
        table[0][2] = "titel"  # not a column of the export
        response = upload(secretariat_client, ("faser.csv", csv_bytes(table)))
        assert response.status_code == 200
        errors = response.context["errors"]
        assert [(e.row, e.column, e.letter) for e in errors] == [(1, "titel", "C")]
        assert "“titel” is not one of the export's columns" in errors[0].message
        del table[0][2]
        for row in table[1:]:
            del row[2]
        preview = upload(secretariat_client, ("faser.csv", csv_bytes(table))).context["preview"]
        assert preview.errors == [] and preview.projects == []
        assert any("no column title, spent_dkk" in notice for notice in preview.notices)
        assert any("no projects sheet" in notice for notice in preview.notices)


class TestPage:
    def test_the_import_page_and_its_links(self, secretariat_client, portfolio, django_assert_num_queries):
        secretariat_client.get(IMPORT)
        # session, user, TOTP check, the user's representative role (menu)
        with django_assert_num_queries(4):
            html = secretariat_client.get(IMPORT).content.decode()
        assert "Import projects and phases" in html
        assert "/en/projects/export/?format=xlsx" in html
        listing = secretariat_client.get("/en/projects/").content.decode()
        assert "/en/projects/import/" in listing and "/en/projects/export/?format=xlsx" in listing
        overview = secretariat_client.get("/en/projects/reports/").content.decode()
        assert "/en/projects/import/" in overview

    def test_export_and_import_are_never_a_projects_address(self, members):
        project = propose(members[0], title="Import")
        assert project.slug not in ("import", "export")
