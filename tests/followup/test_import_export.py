"""The export's columns hold their own values; an export imported unchanged changes nothing; submitting on
import is per member, with a report of what each member still lacks."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from followup import services, spreadsheet
from followup.models import GoalAnswer, Response

from .conftest import complete
from .test_spreadsheet import good_rows, upload_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def answers_state(round_):
    """Every saved value and version, of the responses and of their answers."""
    answers = sorted(
        GoalAnswer.objects.filter(response__round=round_).values_list(
            "pk",
            "version",
            "tenders_completed",
            "tenders_with_criteria",
            "volume_dkk",
            "status",
            "reason",
            "challenges_met",
            "challenges",
            "comment",
        )
    )
    responses = sorted(
        round_.responses.values_list(
            "pk",
            "status",
            "version",
            "organisation_version",
            "total_volume_dkk",
            "policy_url_valid",
            "policy_url",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    )
    return answers, responses


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_the_answers_sheet_puts_each_value_under_its_own_column(open_round, response_a, response_b, rep_a, goals):
    # given A submitted (not in transition) and B is in its transition period and has not started
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    Response.objects.filter(pk=response_b.pk).update(in_transition=True)
    # when the answers are exported as CSV and XLSX
    rows = csv_rows(spreadsheet.csv_bytes(spreadsheet.ANSWER_COLUMNS, spreadsheet.answer_rows(round=open_round)))
    book = load_workbook(io.BytesIO(spreadsheet.xlsx_bytes(round=open_round)))
    sheet = [[c.value for c in row] for row in book["answers"].iter_rows()]
    xlsx_rows = [dict(zip(sheet[0], row, strict=True)) for row in sheet[1:]]
    # then response_status holds the status and in_transition yes or no, in both
    for table in (rows, xlsx_rows):
        by_org = {row["organisation_slug"]: row for row in table}
        assert by_org[response_a.organisation.slug]["response_status"] == "submitted"
        assert by_org[response_a.organisation.slug]["in_transition"] == "no"
        assert by_org[response_b.organisation.slug]["response_status"] == "not_started"
        assert by_org[response_b.organisation.slug]["in_transition"] == "yes"
        assert by_org[response_a.organisation.slug]["challenges_met"] == "yes"
        assert by_org[response_a.organisation.slug]["challenges"] == "Få leverandører."
        assert all(len(row) == len(spreadsheet.ANSWER_COLUMNS) for row in table)
    assert spreadsheet.ANSWER_COLUMNS.index("challenges_met") + 1 == spreadsheet.ANSWER_COLUMNS.index("challenges")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_export_imported_unchanged_changes_no_answer(
    open_round, response_a, response_b, rep_a, rep_b, goals, secretariat_user, kind
):
    # given A submitted, and B has a draft with one goal and text that looks like a formula
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    services.response_goal_save(
        response=response_b,
        goal_version=goals[1],
        by=rep_b,
        expected_version=0,
        data={"tenders_completed": 2, "status": "not_yet", "reason": "=Budget", "challenges_met": False},
    )
    before = answers_state(open_round)
    history_before = GoalAnswer.history.count() + Response.history.count()
    if kind == "xlsx":
        upload = SimpleUploadedFile("runde.xlsx", spreadsheet.xlsx_bytes(round=open_round))
    else:
        content = spreadsheet.csv_bytes(spreadsheet.ANSWER_COLUMNS, spreadsheet.answer_rows(round=open_round))
        upload = SimpleUploadedFile("runde.csv", content)
    # when the same file is imported again, unchanged
    result = services.round_import(round=open_round, rows=spreadsheet.read(upload), by=secretariat_user)
    # then there is no error, and no value, version or history record changed
    assert (result.responses, result.answers, result.submitted) == (0, 0, 0)
    assert answers_state(open_round) == before
    assert GoalAnswer.history.count() + Response.history.count() == history_before


def test_a_changed_row_of_a_submitted_response_is_still_refused(open_round, response_a, rep_a, goals, secretariat_user):
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    rows = csv_rows(spreadsheet.csv_bytes(spreadsheet.ANSWER_COLUMNS, spreadsheet.answer_rows(round=open_round)))
    changed = next(i for i, row in enumerate(rows) if row["organisation_slug"] == response_a.organisation.slug)
    rows[changed]["comment"] = "Ændret efter indsendelse"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=spreadsheet.ANSWER_COLUMNS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    parsed = spreadsheet.read(SimpleUploadedFile("svar.csv", out.getvalue().encode()))
    with pytest.raises(services.ImportRefused) as caught:
        services.round_import(round=open_round, rows=parsed, by=secretariat_user)
    message = f"{response_a.organisation} has submitted; reopen the response before importing."
    assert caught.value.rows == [(changed + 2, message)]


def test_challenges_met_is_imported_and_a_bad_value_names_row_and_column(
    open_round, response_b, org_b, secretariat_user
):
    rows = good_rows(org_b)
    rows[0] |= {"challenges_met": "ja", "challenges": "Få tilbud."}
    rows[1] |= {"challenges_met": "nej"}
    services.round_import(round=open_round, rows=spreadsheet.read(upload_csv(rows)), by=secretariat_user)
    got = dict(
        GoalAnswer.objects.filter(response=response_b).values_list("goal_version__goal__number", "challenges_met")
    )
    assert got == {5: True, 7: False}
    rows[1]["challenges_met"] = "måske"
    with pytest.raises(services.ImportRefused) as caught:
        services.round_import(round=open_round, rows=spreadsheet.read(upload_csv(rows)), by=secretariat_user)
    assert caught.value.rows == [(3, "challenges_met must be yes or no.")]


def test_a_bad_value_still_refuses_the_whole_file_even_when_submitting(
    open_round, response_a, response_b, org_a, org_b, secretariat_user
):
    rows = good_rows(org_a) + good_rows(org_b)
    rows[3]["tenders_completed"] = "mange"
    with pytest.raises(services.ImportRefused) as caught:
        services.round_import(
            round=open_round, rows=spreadsheet.read(upload_csv(rows)), by=secretariat_user, submit=True
        )
    assert [n for n, _reason in caught.value.rows] == [5]
    assert not GoalAnswer.objects.exists()
    assert set(open_round.responses.values_list("status", flat=True)) == {"not_started"}


def test_submitting_an_import_submits_the_complete_responses_and_reports_each_member(
    secretariat_client, open_round, response_a, response_b, org_a, org_b
):
    # given a file with every answer for A, and only goal 5 for B
    rows = good_rows(org_a) + good_rows(org_b)[:1]
    # when it is imported with "submit"
    reply = secretariat_client.post(
        reverse("followup:round-import", kwargs={"year": 2026}), {"file": upload_csv(rows), "submit": "on"}
    )
    # then A is submitted and B kept as a draft with its answer saved
    assert reply.status_code == 302
    response_a.refresh_from_db()
    response_b.refresh_from_db()
    assert response_a.status == Response.Status.SUBMITTED and response_a.submitted_at is not None
    assert response_b.status == Response.Status.DRAFT
    assert GoalAnswer.objects.filter(response=response_b).count() == 1
    # and the page after the import says so, member by member, with what B still lacks
    page = " ".join(secretariat_client.get(reply.url).content.decode().split())
    assert "Result of the import" in page
    assert f'{org_a.name}</a></th> <td><span class="badge badge-success">Submitted' in page
    assert f'{org_b.name}</a></th> <td><span class="badge badge-warning">Saved as a draft, not submitted' in page
    assert "Goal 7 IT-udstyr: say where you stand on the goal." in page
    # shown once: a reload does not show it again
    assert "Result of the import" not in secretariat_client.get(reply.url).content.decode()
