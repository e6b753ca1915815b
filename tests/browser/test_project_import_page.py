"""The secretariat updates a project's progress from a spreadsheet: downloads every project, marks a milestone as
reached in the file, uploads it, reads the preview and saves it. The import page and its preview are checked with
axe-core in Danish and English, at 1280 px and at 320 px, without sideways scrolling."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups import services as wg_services

from .pages import assert_no_sideways_scroll, check_a11y, check_page, sign_in_with_two_factor

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def project(transactional_db):
    """A member's proposal with a plan of two phases."""
    rep = RepresentativeFactory(
        organisation=MembershipFactory(organisation=OrganisationFactory(name="Aby Kommune")).organisation,
        position="primary",
    )
    project = wg_services.project_propose(
        owner=rep.organisation,
        kind="development",
        title="Genbrug af kontormøbler",
        purpose="Kontormøbler genbruges på tværs af forvaltningerne.",
        by=rep.user,
    )
    today = timezone.localdate()
    for title in ("Kortlægning", "Forsøg"):
        wg_services.project_phase_add(
            project=project,
            by=rep.user,
            title=title,
            milestone=f"{title} er afsluttet",
            planned_start=today - datetime.timedelta(days=60),
            planned_end=today + datetime.timedelta(days=60),
        )
    return project


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_secretariat_updates_a_milestone_from_a_spreadsheet(new_page, project, secretariat_user, device):
    page = new_page(**device)
    sign_in_with_two_factor(page, secretariat_user, "/projects/import/")
    check_page(page, "the projects' import page")
    assert_no_sideways_scroll(page, "the projects' import page")

    # the secretariat downloads every project and marks the first milestone as reached in the file
    download = page.request.get("/projects/export/?format=xlsx")
    assert download.ok
    book = load_workbook(io.BytesIO(download.body()))
    phases = book["phases"]
    header = [c.value for c in phases[1]]
    first = next(row for row in phases.iter_rows(min_row=2) if row[header.index("position")].value == 1)
    first[header.index("status")].value = "done"
    first[header.index("actual_end")].value = timezone.localdate()
    edited = io.BytesIO()
    book.save(edited)

    # and uploads it: the preview shows the change, nothing is saved yet
    page.locator("#id_spreadsheet").set_input_files(
        files=[{"name": "projekter.xlsx", "mimeType": XLSX, "buffer": edited.getvalue()}]
    )
    page.locator("form[enctype] button[type=submit]").click()
    preview = page.locator(".import-preview")
    expect(preview).to_contain_text("Kortlægning")
    expect(preview.locator("table.import-changes")).to_have_count(1)
    assert project.phases.get(position=1).status == "planned"
    check_a11y(page, "the import's preview")
    assert_no_sideways_scroll(page, "the import's preview")

    # when the preview is saved, the milestone is reached and the progress follows
    preview.locator("form button[type=submit]").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    saved = project.phases.get(position=1)
    assert saved.status == "done" and saved.actual_end == timezone.localdate()
    project.refresh_from_db()
    assert project.progress == 50
