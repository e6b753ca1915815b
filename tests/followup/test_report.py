"""The annual report: every figure on a small dataset worked out by hand, the PDF's text, generation and publishing.

The dataset (two rounds, four members, three goals):

2025 (earlier round): A and B submitted; goal 5: A 4 tenders / 2 with criteria, B 6 / 4.
2026: A submitted (volume 1,000,000): goal 5: 5 / 4, 100,000 DKK, partly, a challenge; goal 7: not relevant.
      B submitted (volume 3,000,000): goal 5: 3 / 0, 50,000 DKK, not yet;               goal 7: 0 / 0, not relevant.
      C has a draft (profile volume 7,000,000) with 100 / 100 for goal 5: not counted.
      D has not started and has no profile volume.
      Goal 9 is in the round but nobody answered it.
"""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from followup import pdf, services
from followup.models import GoalAnswer, Report, ReportQuote, Response
from followup.selectors import reports as report_selectors
from followup.services import reports as report_services
from members.models import Organisation
from tests.conftest import service_missing

pytestmark = pytest.mark.django_db


def test_every_figure_matches_the_hand_computed_values(world, django_assert_num_queries):
    # when (the answer figures computed: their fingerprint, the summary, the versions, two GROUP BYs, the rounds and
    # the quotes)
    with django_assert_num_queries(7):
        data = report_selectors.report_data(round=world["round"])
    # then the summary: 2 of 4 submitted; volume 1 M + 3 M stated, C by its profile, D by the average (2 M)
    assert (data.members, data.respondents, data.response_rate) == (4, 2, Decimal("50.0"))
    assert data.volume_answered_dkk == 4_000_000 and data.volume_answered_count == 2
    assert data.volume_average_dkk == 2_000_000
    assert (data.volume_profile_dkk, data.volume_profile_count, data.volume_averaged_count) == (7_000_000, 1, 1)
    assert data.volume_estimated_dkk == 9_000_000 and data.volume_total_dkk == 13_000_000
    # all goals: 8 tenders, 4 with the criteria (C's draft not counted)
    assert (data.completed, data.with_criteria, data.share) == (8, 4, Decimal("50.0"))
    g5, g7, g9 = data.goals
    # goal 5: 2 respondents, 5+3 tenders, 4+0 with criteria, 150,000 DKK; one partly, one not yet
    assert (g5.respondents, g5.completed, g5.with_criteria, g5.share, g5.volume_dkk) == (
        2,
        8,
        4,
        Decimal("50.0"),
        150_000,
    )
    assert g5.statuses == {"meets": 0, "partly": 1, "not_yet": 1, "not_relevant": 0}
    assert g5.challenges == 1
    # trend: 2025 (2+4)/(4+6) = 60 %, 2026 50 %: a drop of 10 points
    assert [(p.year, p.completed, p.with_criteria, p.share) for p in g5.trend] == [
        (2025, 10, 6, Decimal("60.0")),
        (2026, 8, 4, Decimal("50.0")),
    ]
    assert (g5.previous_share, g5.change) == (Decimal("60.0"), Decimal("-10.0"))
    # goal 7: answered, but no tenders: no share
    assert (g7.respondents, g7.completed, g7.share, g7.statuses["not_relevant"]) == (2, 0, None, 2)
    # goal 9: nobody answered
    assert (g9.respondents, g9.completed, g9.share, g9.trend) == (0, 0, None, [])
    # problem areas
    assert [g.number for g in data.lowest_uptake] == [5]
    assert [g.number for g in data.largest_drop] == [5]
    assert [g.number for g in data.most_challenges] == [5]


def test_share_rounds_half_up():
    assert report_selectors.share(1, 3) == Decimal("33.3")
    assert report_selectors.share(2, 3) == Decimal("66.7")
    assert report_selectors.share(1, 8) == Decimal("12.5")
    assert report_selectors.share(1, 16) == Decimal("6.3")
    assert report_selectors.share(3, 0) is None


def pdf_text(content: bytes, tmp_path, layout: bool = True) -> str:
    if shutil.which("pdftotext") is None:
        service_missing("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    options = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_shows_the_figures_and_names_no_member(world, tmp_path):
    # given a quote chosen and edited so the member cannot be recognised
    quoted = GoalAnswer.objects.get(
        response__round=world["round"], response__organisation__name="Aby Kommune", goal_version=world["goals"][0]
    )
    report_services.quote_add(
        round=world["round"], answer=quoted, by=None, text="Leverandørerne manglede dokumentation."
    )
    data = report_selectors.report_data(round=world["round"])
    # when
    with translation.override("da"):
        text = pdf_text(pdf.report_pdf_render(round=world["round"], data=data), tmp_path)
    # then the figures are in it, Danish style
    for expected in ("POGI-årsrapport 2026", "Indhold", "50,0 %", "13.000.000", "4.000.000", "9.000.000", "60,0 %"):
        assert expected in text, expected
    assert "-10,0" in text  # the drop since 2025
    assert "Leverandørerne manglede dokumentation." in text
    assert "Ingen medlemmer svarede om dette mål i denne runde." in text  # goal 9
    # and no member is named, not even in the raw challenge text
    for organisation in Organisation.objects.all():
        assert organisation.name not in text
    assert "Kladde" not in text


def test_the_english_edition_comes_from_the_same_figures(world, tmp_path):
    data = report_selectors.report_data(round=world["round"])
    with translation.override("en"):
        text = pdf_text(pdf.report_pdf_render(round=world["round"], data=data), tmp_path)
    assert "POGI annual report 2026" in text
    assert "13,000,000" in text and "50.0 %" in text


def test_the_pdf_is_tagged_with_bookmarks_per_goal(world, tmp_path):
    from pypdf import PdfReader

    data = report_selectors.report_data(round=world["round"])
    path = tmp_path / "r.pdf"
    with translation.override("da"):
        path.write_bytes(pdf.report_pdf_render(round=world["round"], data=data))
    reader = PdfReader(path)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Indkøbsmål 5: Rengøring" in titles and "Indkøbsmål 9: Tekstiler" in titles
    # page numbers "n / total" on the pages after the cover
    assert f"2 / {len(reader.pages)}" in reader.pages[1].extract_text()


def test_the_annex_lists_each_members_answers(world, tmp_path):
    with translation.override("da"):
        text = " ".join(pdf_text(pdf.annex_pdf_render(round=world["round"]), tmp_path, layout=False).split())
    assert "Kun til sekretariatet" in text
    for name in ("Aby Kommune", "Bby Kommune", "Cby Kommune"):
        assert name in text


def test_csv_tables_come_from_the_same_figures(world, secretariat_client):
    reply = secretariat_client.get(reverse("followup:report-csv", kwargs={"year": 2026, "table": "goals"}))
    lines = reply.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("year;goal;title;respondents;tenders_completed;tenders_with_criteria;share_percent")
    assert lines[1].startswith("2026;5;Rengøring;2;8;4;50.0;60.0;-10.0;150000;0;1;1;0;1")
    trend = secretariat_client.get(reverse("followup:report-csv", kwargs={"year": 2026, "table": "trend"}))
    assert "5;Rengøring;2025;10;6;60.0" in trend.content.decode("utf-8-sig")
    summary = secretariat_client.get(reverse("followup:report-csv", kwargs={"year": 2026, "table": "summary"}))
    assert "2026;volume_total_dkk;13000000" in summary.content.decode("utf-8-sig")


# --- generation ---------------------------------------------------------------------------------------


def generate(round_, by, language="da", kind="report", capture=None):
    with capture(execute=True):
        report = report_services.report_generate(round=round_, kind=kind, language=language, by=by)
    report.refresh_from_db()
    return report


def test_generating_stores_the_pdf_with_its_hash_and_reuses_it_for_unchanged_data(
    world, secretariat_user, django_capture_on_commit_callbacks, private_media
):
    # when the report is generated (in-process here)
    report = generate(world["round"], secretariat_user, capture=django_capture_on_commit_callbacks)
    # then it is stored with its content hash
    assert report.status == Report.Status.DONE and report.attempts == 1
    content = report.file.read()
    report.file.close()
    import hashlib

    assert hashlib.sha256(content).hexdigest() == report.content_hash and report.size == len(content)
    first_file = report.file.name
    # when generated again with the same figures, the stored file is kept
    again = generate(world["round"], secretariat_user, capture=django_capture_on_commit_callbacks)
    assert again.file.name == first_file and again.reused
    # when the figures change (Bby's response is reopened, so its answers no longer count), a new file replaces it
    # and the old one is removed
    response_b = Response.objects.get(round=world["round"], organisation__name="Bby Kommune")
    services.response_reopen(response=response_b, by=secretariat_user, reason="Medlemmet retter et tal.")
    changed = generate(world["round"], secretariat_user, capture=django_capture_on_commit_callbacks)
    assert changed.file.name != first_file and not changed.reused
    assert not changed.file.storage.exists(first_file)


def test_a_second_request_while_one_is_queued_changes_nothing(world, secretariat_user):
    # given a request that is queued (the worker has not started)
    report = report_services.report_generate(round=world["round"], kind="report", language="da", by=secretariat_user)
    # when asked again
    again = report_services.report_generate(round=world["round"], kind="report", language="da", by=secretariat_user)
    # then it is the same request
    assert again.pk == report.pk and again.requested_at == report.requested_at
    # and a task delivered for a report already done does nothing
    report_services.report_build(report_id=report.pk)
    assert report_services.report_build(report_id=report.pk) is None


def test_a_failure_is_shown_with_its_reason(
    world, secretariat_user, secretariat_client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ValueError("the font is missing")

    monkeypatch.setattr(pdf, "report_pdf_render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_generate(round=world["round"], kind="report", language="da", by=secretariat_user)
    report = Report.objects.get()
    assert report.status == Report.Status.FAILED and "the font is missing" in report.error
    # and the page says so
    client = secretariat_client
    page = client.get(reverse("followup:report-detail", kwargs={"year": world["round"].year})).content.decode()
    assert "Fejlet" in page and "the font is missing" in page


def test_a_transient_failure_is_retried_with_backoff_then_shown(world, secretariat_user, monkeypatch):
    from celery.exceptions import Retry
    from django.db import OperationalError

    from followup.tasks import report_render

    def flaky(**kwargs):
        raise OperationalError("the database went away")

    delays = []

    def retry(exc=None, countdown=None, **kwargs):
        delays.append(countdown)
        raise Retry(exc=exc, when=countdown)

    monkeypatch.setattr(pdf, "report_pdf_render", flaky)
    monkeypatch.setattr(report_render, "retry", retry)
    report = report_services.report_generate(round=world["round"], kind="report", language="da", by=secretariat_user)
    # when a worker meets a transient error on the first attempts
    for attempt in range(4):
        report_render.push_request(retries=attempt, is_eager=False)
        try:
            with pytest.raises(Retry):
                report_render.run(report.pk)
        finally:
            report_render.pop_request()
        report.refresh_from_db()
        # then the task is retried later, and the report waits in the queue with the reason
        assert report.status == Report.Status.QUEUED and "prøver igen" in report.error
    assert delays == [10, 20, 40, 80]
    # when the last retry fails too, the failure is shown
    report_render.push_request(retries=4, is_eager=False)
    try:
        assert report_render.run(report.pk) == Report.Status.FAILED
    finally:
        report_render.pop_request()
    report.refresh_from_db()
    assert report.status == Report.Status.FAILED and "the database went away" in report.error
    assert report.attempts == 5


def test_in_process_a_transient_failure_is_shown_at_once(
    world, secretariat_user, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    def flaky(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(pdf, "report_pdf_render", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        report_services.report_generate(round=world["round"], kind="report", language="da", by=secretariat_user)
    report = Report.objects.get()
    assert report.status == Report.Status.FAILED and "the database went away" in report.error


def test_the_status_panel_polls_only_while_a_report_is_on_its_way(world, secretariat_user, secretariat_client):
    url = reverse("followup:report-status", kwargs={"year": world["round"].year})
    assert "hx-trigger" not in secretariat_client.get(url).content.decode()
    # given a request the worker has not taken yet
    report_services.report_generate(round=world["round"], kind="report", language="en", by=secretariat_user)
    body = secretariat_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in body and "I kø" in body
    # when it is done, polling stops
    report_services.report_build(report_id=Report.objects.get().pk)
    body = secretariat_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in body and "Færdig" in body


def test_publishing_puts_the_report_on_the_public_list(
    world, secretariat_user, secretariat_client, client, django_capture_on_commit_callbacks
):
    report = generate(world["round"], secretariat_user, capture=django_capture_on_commit_callbacks)
    # when published from the report page
    reply = secretariat_client.post(reverse("followup:report-publish", kwargs={"year": 2026, "language": "da"}))
    assert reply.status_code == 302
    # then the public list shows it with its size, and anyone can download it
    page = client.get("/followup/reports/")
    assert "2026" in page.content.decode() and "/followup/reports/2026/da.pdf" in page.content.decode()
    download = client.get("/followup/reports/2026/da.pdf")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "public, max-age=3600"
    assert b"".join(download.streaming_content) == report.file.storage.open(report.file.name).read()
    # and the English edition, not published, is not there
    assert client.get("/followup/reports/2026/en.pdf").status_code == 404


def test_publishing_is_refused_for_the_annex_and_before_generating(
    world, secretariat_user, django_capture_on_commit_callbacks
):
    annex = generate(world["round"], secretariat_user, kind="annex", capture=django_capture_on_commit_callbacks)
    with pytest.raises(Exception, match="aldrig"):
        report_services.report_publish(report=annex, by=secretariat_user)
    queued = report_services.report_generate(round=world["round"], kind="report", language="en", by=secretariat_user)
    with pytest.raises(Exception, match="Generér rapporten"):
        report_services.report_publish(report=queued, by=secretariat_user)


def test_the_annex_is_never_reachable_by_the_public(
    world, secretariat_user, client, rep_a, django_capture_on_commit_callbacks
):
    annex = generate(world["round"], secretariat_user, kind="annex", capture=django_capture_on_commit_callbacks)
    assert annex.status == Report.Status.DONE
    url = reverse("followup:report-download", kwargs={"year": 2026, "kind": "annex", "language": "da"})
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(rep_a)
    assert client.get(url).status_code == 403
    # the public URL only serves published reports
    for language in ("da", "en"):
        assert client.get(f"/followup/reports/2026/{language}.pdf").status_code == 404
    assert "annex" not in client.get("/followup/reports/").content.decode()
    # and the database refuses a published annex
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=annex.pk).update(published_at=timezone.now(), published_file=annex.file.name)


def test_quotes_are_chosen_edited_and_removed(world, secretariat_client):
    url = reverse("followup:report-quotes", kwargs={"year": 2026})
    page = secretariat_client.get(url, {"goal": 5})
    assert "Aby Kommune: leverandørerne manglede dokumentation." in page.content.decode()
    assert "Kladde" not in page.content.decode()  # drafts are not quoted
    answer_a = GoalAnswer.objects.get(
        response__round=world["round"], response__organisation__name="Aby Kommune", goal_version=world["goals"][0]
    )
    secretariat_client.post(url, {"goal": 5, "action": "add", "answer": answer_a.pk, "text": "Leverandører manglede."})
    quote = ReportQuote.objects.get()
    assert quote.text == "Leverandører manglede." and quote.goal.number == 5
    # an empty edit is refused with a message, and the quote stays
    reply = secretariat_client.post(url, {"goal": 5, "action": "update", "quote": quote.pk, "text": " "}, follow=True)
    assert "Skriv citatet" in reply.content.decode()
    assert ReportQuote.objects.get().text == "Leverandører manglede."
    # the same answer cannot be quoted twice
    reply = secretariat_client.post(url, {"goal": 5, "action": "add", "answer": answer_a.pk}, follow=True)
    assert ReportQuote.objects.count() == 1
    secretariat_client.post(url, {"goal": 5, "action": "remove", "quote": quote.pk})
    assert not ReportQuote.objects.exists()


@pytest.mark.parametrize("action, field", [("add", "answer"), ("update", "quote"), ("remove", "quote")])
def test_a_forged_quote_id_is_not_found_never_an_error(world, secretariat_client, action, field):
    # when a posted id is not a number (a forged or broken form)
    url = reverse("followup:report-quotes", kwargs={"year": 2026})
    response = secretariat_client.post(url, {"goal": 5, "action": action, field: "1 OR 1=1", "text": "x"})
    # then the portal answers "not found", and no quote changes
    assert response.status_code == 404
    assert not ReportQuote.objects.exists()


def test_answer_figures_are_cached_until_a_submitted_response_changes(
    world, secretariat_user, django_assert_num_queries
):
    round_ = world["round"]
    first = report_selectors.report_data(round=round_)
    # asked again, the two GROUP BYs over the answers are not run
    with django_assert_num_queries(5):
        assert report_selectors.report_data(round=round_) == first
    # when the secretariat reopens a's response, a's answers leave the figures at once
    response_a = Response.objects.get(round=round_, organisation=world["orgs"][0])
    services.response_reopen(response=response_a, by=secretariat_user, reason="Medlemmet retter et tal.")
    reopened = report_selectors.report_data(round=round_)
    assert (first.respondents, first.completed) == (2, 8)
    assert (reopened.respondents, reopened.completed) == (1, 3)


def test_report_page_shows_the_figures_and_the_status(world, secretariat_client, django_assert_num_queries):
    url = reverse("followup:report-detail", kwargs={"year": 2026})
    secretariat_client.get(url)  # charts cached
    # session, user, roles, two-factor; the round; five for the figures (the answer figures cached); the reports;
    # the quotes count
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        reply = secretariat_client.get(url)
    body = reply.content.decode()
    assert "Årsrapport 2026" in body and "50,0 %" in body and "13.000.000" in body
    assert "Ikke genereret" in body
    assert 'src="data:image/svg+xml;base64,' in body


REPORT_PAGE_QUERIES = 12


def test_report_page_queries_do_not_grow_with_members(world, secretariat_client, django_assert_num_queries):
    url = reverse("followup:report-detail", kwargs={"year": 2026})
    g5 = world["goals"][0]
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Medlem {i:03d}", slug=f"medlem-{i:03d}", kind="municipality") for i in range(60)]
    )
    responses = Response.objects.bulk_create(
        [
            Response(round=world["round"], organisation=o, status="submitted", submitted_at=timezone.now())
            for o in organisations
        ]
    )
    GoalAnswer.objects.bulk_create(
        [GoalAnswer(response=r, goal_version=g5, tenders_completed=2, tenders_with_criteria=1) for r in responses]
    )
    secretariat_client.get(url)
    with django_assert_num_queries(REPORT_PAGE_QUERIES):
        assert secretariat_client.get(url).status_code == 200


def test_public_list_queries(client, django_assert_num_queries, world):
    with django_assert_num_queries(1):
        assert client.get("/followup/reports/").status_code == 200
