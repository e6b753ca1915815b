"""Export to XLSX and CSV, and the import in the same format: all rows or none, errors with row and reason."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from followup import services, spreadsheet
from followup.models import GoalAnswer, Response

from .conftest import complete

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def upload_csv(rows, name="svar.csv", delimiter=";"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(spreadsheet.ANSWER_COLUMNS)
    for row in rows:
        writer.writerow([row.get(c, "") for c in spreadsheet.ANSWER_COLUMNS])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"))


def upload_xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "answers"
    sheet.append(spreadsheet.ANSWER_COLUMNS)
    for row in rows:
        sheet.append([row.get(c) for c in spreadsheet.ANSWER_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("svar.xlsx", out.getvalue())


def answers_snapshot(round_):
    return sorted(
        GoalAnswer.objects.filter(response__round=round_).values_list(
            "response__organisation__slug",
            "goal_version__goal__number",
            "tenders_completed",
            "tenders_with_criteria",
            "volume_dkk",
            "status",
            "reason",
            "challenges",
            "comment",
        )
    )


def organisation_snapshot(round_):
    return sorted(
        round_.responses.values_list(
            "organisation__slug", "total_volume_dkk", "policy_url_valid", "policy_url", "contact_name", "contact_email"
        )
    )


def good_rows(org):
    common = {
        "year": 2026,
        "organisation_slug": org.slug,
        "total_volume_dkk": "2.500.000",
        "policy_url_valid": "nej",
        "policy_url": "https://ny.example/politik",
        "contact_name": "Eva Import",
        "contact_email": "eva@import.dk",
    }
    return [
        {
            **common,
            "goal_number": 5,
            "tenders_completed": 3,
            "tenders_with_criteria": 2,
            "volume_dkk": "1.250.000",
            "goal_status": "partly",
            "reason": "Gamle kontrakter.",
        },
        {
            **common,
            "goal_number": 7,
            "tenders_completed": "1",
            "tenders_with_criteria": "1",
            "volume_dkk": 400000,
            "goal_status": "Opfylder målet",
        },
    ]


@pytest.mark.parametrize("make_upload", [upload_csv, upload_xlsx])
def test_a_good_file_is_imported_and_recorded_as_the_secretariat(
    open_round, response_b, org_b, secretariat_user, make_upload
):
    # when the secretariat imports B's answers received by email
    rows = spreadsheet.read(make_upload(good_rows(org_b)))
    result = services.round_import(round=open_round, rows=rows, by=secretariat_user, submit=True)
    # then every answer is saved, the response submitted on B's behalf, and the history says who did it
    assert (result.responses, result.answers, result.submitted) == (1, 2, 1)
    response_b.refresh_from_db()
    assert response_b.status == Response.Status.SUBMITTED
    assert (response_b.total_volume_dkk, response_b.policy_url_valid, response_b.policy_url) == (
        2_500_000,
        False,
        "https://ny.example/politik",
    )
    answers = {a.goal_version.goal.number: a for a in response_b.answers.select_related("goal_version__goal")}
    assert answers[5].volume_dkk == 1_250_000 and answers[5].status == "partly"
    assert answers[7].status == "meets"
    assert answers[5].history.first().history_user == secretariat_user


def test_a_bad_file_is_refused_with_row_numbers_and_reasons_and_nothing_is_saved(
    open_round, response_a, response_b, org_a, org_b, rep_a, goals, secretariat_user
):
    # given A has submitted, and a file with one good row and several bad ones
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    before = answers_snapshot(open_round), organisation_snapshot(open_round)
    good = good_rows(org_b)
    rows = [
        good[0],  # row 2: fine
        {**good[1], "tenders_with_criteria": 5, "tenders_completed": 2},  # row 3
        {"organisation_slug": "ukendt", "goal_number": 5, "goal_status": "meets"},  # row 4
        {"organisation_slug": org_b.slug, "goal_number": 99, "goal_status": "meets"},  # row 5
        {"organisation_slug": org_b.slug, "goal_number": 7, "volume_dkk": "-10", "goal_status": "meets"},  # row 6
        {"organisation_slug": org_b.slug, "goal_number": 7, "goal_status": "måske"},  # row 7
        {"organisation_slug": org_a.slug, "goal_number": 5, "goal_status": "meets"},  # row 8: A has submitted
        {**good[0], "total_volume_dkk": "1.250,5"},  # row 9
        {"year": 2025, "organisation_slug": org_b.slug, "goal_number": 5},  # row 10
    ]
    parsed = spreadsheet.read(upload_csv(rows))
    # when importing
    with pytest.raises(services.ImportRefused) as caught:
        services.round_import(round=open_round, rows=parsed, by=secretariat_user)
    # then each bad row is reported with its number and reason
    errors = dict(caught.value.rows)
    assert 2 not in errors
    assert "more than the number of tenders completed" in errors[3]
    assert "ukendt" in errors[4]
    assert "goal 99" in errors[5]
    assert "negative" in errors[6]
    assert "goal_status" in errors[7]
    assert "reopen" in errors[8]
    assert "decimals" in errors[9]
    assert "2025" in errors[10]
    # and nothing was saved, not even the good row
    assert (answers_snapshot(open_round), organisation_snapshot(open_round)) == before


def test_submitting_an_incomplete_import_keeps_it_as_a_draft_and_says_what_is_missing(
    open_round, response_b, org_b, secretariat_user
):
    # given a file with only one of B's two goals
    rows = spreadsheet.read(upload_csv([good_rows(org_b)[0]]))
    # when it is imported with submit
    result = services.round_import(round=open_round, rows=rows, by=secretariat_user, submit=True)
    # then the answer is saved, the response stays a draft, and the result says what it lacks
    assert GoalAnswer.objects.filter(response=response_b).count() == 1
    response_b.refresh_from_db()
    assert response_b.status == Response.Status.DRAFT
    assert result.submitted == 0
    (outcome,) = result.members
    assert outcome.outcome == "draft" and outcome.organisation == str(org_b)
    assert any("7 IT-udstyr: say where you stand" in m for m in outcome.missing)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "tom.csv", "empty"),
        (b"navn;beloeb\nx;1\n", "forkert.csv", "organisation_slug"),
        (b"PK\x03\x04 not really a workbook", "skadet.xlsx", "could not be read"),
    ],
)
def test_unreadable_files_are_explained(content, name, message):
    with pytest.raises(spreadsheet.UnreadableFile, match=message):
        spreadsheet.read(SimpleUploadedFile(name, content))


def test_export_round_trip_xlsx_and_csv(open_round, response_a, response_b, rep_a, rep_b, goals, secretariat_user):
    # given A has answered everything and B one goal
    complete(response_a, rep_a, goals)
    services.response_goal_save(
        response=response_b,
        goal_version=goals[1],
        by=rep_b,
        expected_version=0,
        data={"tenders_completed": 2, "status": "not_yet", "reason": "Budget"},
    )
    answers, organisations = answers_snapshot(open_round), organisation_snapshot(open_round)
    xlsx = spreadsheet.xlsx_bytes(round=open_round)
    answers_csv = spreadsheet.csv_bytes(spreadsheet.ANSWER_COLUMNS, spreadsheet.answer_rows(round=open_round))
    # the workbook has the answers (2 members, 2 goals each) and the overview
    book = load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames == ["answers", "overview"]
    assert [c.value for c in book["answers"][1]] == spreadsheet.ANSWER_COLUMNS
    assert book["answers"].max_row == 5 and book["overview"].max_row == 3
    for content, name in ((xlsx, "runde.xlsx"), (answers_csv, "runde.csv")):
        # when every answer is removed and the export imported again
        GoalAnswer.objects.all().delete()
        Response.objects.update(total_volume_dkk=None, policy_url_valid=None, contact_name="", contact_email="")
        rows = spreadsheet.read(SimpleUploadedFile(name, content))
        services.round_import(round=open_round, rows=rows, by=secretariat_user)
        # then the answers are back as they were
        assert answers_snapshot(open_round) == answers
        assert organisation_snapshot(open_round) == organisations


def test_the_overview_csv_lists_each_member_with_its_status(open_round, response_a, rep_a, goals):
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    text = spreadsheet.csv_bytes(spreadsheet.OVERVIEW_COLUMNS, spreadsheet.overview_rows(round=open_round)).decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {r["organisation"]: r["response_status"] for r in rows} == {
        "Testby Kommune": "submitted",
        "Andenby Kommune": "not_started",
    }
    assert next(r for r in rows if r["response_status"] == "submitted")["submitted_by"] == str(rep_a)


def test_importing_into_a_round_being_prepared_is_refused(goals, secretariat_user, org_b):
    import datetime

    round_ = services.round_create(
        year=2030, opens_on=datetime.date(2030, 1, 1), deadline=datetime.date(2030, 2, 1), by=secretariat_user
    )
    with pytest.raises(ValidationError, match="not open"):
        services.round_import(round=round_, rows=[{"__row__": 2, "organisation_slug": org_b.slug}], by=secretariat_user)


def test_empty_cells_leave_saved_answers_as_they_are(open_round, response_b, org_b, rep_b, goals, secretariat_user):
    # given B's saved answer about goal 5
    services.response_goal_save(
        response=response_b,
        goal_version=goals[0],
        by=rep_b,
        expected_version=0,
        data={"tenders_completed": 5, "tenders_with_criteria": 2, "challenges": "Få leverandører", "status": "partly"},
    )
    # when a file gives only a new number of tenders with the criteria
    rows = spreadsheet.read(
        upload_csv([{"organisation_slug": org_b.slug, "goal_number": 5, "tenders_with_criteria": 4}])
    )
    services.round_import(round=open_round, rows=rows, by=secretariat_user)
    # then only that answer changed
    answer = GoalAnswer.objects.get(response=response_b, goal_version=goals[0])
    assert (answer.tenders_completed, answer.tenders_with_criteria, answer.challenges, answer.status) == (
        5,
        4,
        "Få leverandører",
        "partly",
    )


def test_the_rule_between_the_counts_holds_against_the_saved_answer(
    open_round, response_b, org_b, rep_b, goals, secretariat_user
):
    services.response_goal_save(
        response=response_b, goal_version=goals[0], by=rep_b, expected_version=0, data={"tenders_completed": 2}
    )
    rows = spreadsheet.read(
        upload_csv([{"organisation_slug": org_b.slug, "goal_number": 5, "tenders_with_criteria": 3}])
    )
    with pytest.raises(services.ImportRefused) as caught:
        services.round_import(round=open_round, rows=rows, by=secretariat_user)
    assert caught.value.rows == [(2, "Cannot be more than the number of tenders completed (2).")]
    assert GoalAnswer.objects.get(response=response_b).tenders_with_criteria is None


def test_text_that_looks_like_a_formula_stays_text_and_survives_the_round_trip(
    open_round, response_b, org_b, rep_b, goals, secretariat_user
):
    formula = '=HYPERLINK("https://evil.example","klik")'
    services.response_goal_save(
        response=response_b,
        goal_version=goals[0],
        by=rep_b,
        expected_version=0,
        data={"challenges": formula, "comment": "-minus"},
    )
    xlsx = spreadsheet.xlsx_bytes(round=open_round)
    sheet = load_workbook(io.BytesIO(xlsx))["answers"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == formula]
    assert cells and all(c.data_type == "s" for c in cells)
    text = spreadsheet.csv_bytes(spreadsheet.ANSWER_COLUMNS, spreadsheet.answer_rows(round=open_round)).decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text and "'-minus" in text
    for content, name in ((xlsx, "runde.xlsx"), (text.encode(), "runde.csv")):
        GoalAnswer.objects.update(challenges="", comment="")
        services.round_import(
            round=open_round, rows=spreadsheet.read(SimpleUploadedFile(name, content)), by=secretariat_user
        )
        answer = GoalAnswer.objects.get(response=response_b, goal_version=goals[0])
        assert (answer.challenges, answer.comment) == (formula, "-minus")
