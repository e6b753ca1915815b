"""The questionnaire and the secretariat's pages through HTTP: what a person sees and what is saved."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from followup import services
from followup.models import GoalAnswer, Response, Round
from tests.factories import GoalAnswerFactory, ResponseFactory, RoundFactory

from .conftest import GOAL, complete

pytestmark = pytest.mark.django_db


def url(name, response, **kwargs):
    return reverse(f"followup:{name}", kwargs={"pk": response.pk, **kwargs})


def goal_post(version, **fields):
    data = {
        "version": version,
        "tenders_completed": "4",
        "tenders_with_criteria": "3",
        "volume_dkk": "1.250.000",
        "status": "partly",
        "reason": "Ny kontrakt",
        "challenges": "",
        "comment": "",
    }
    data.update(fields)
    return data


def test_the_task_list_shows_which_sections_are_done(client, response_a, rep_a, goals):
    services.response_goal_save(response=response_a, goal_version=goals[0], by=rep_a, expected_version=0, data=GOAL)
    services.response_goal_save(
        response=response_a, goal_version=goals[1], by=rep_a, expected_version=0, data={"comment": "x"}
    )
    client.force_login(rep_a)
    page = client.get(url("response-detail", response_a)).content.decode()
    assert "About your organisation" in page or "Om jeres organisation" in page
    assert page.count('class="badge badge-success"') == 1  # goal 5 completed
    assert page.count('class="badge badge-warning"') == 2  # goal 7 in progress, and the response status


def test_saving_a_section_keeps_danish_amounts_and_continues_to_the_next(client, response_a, rep_a, goals):
    client.force_login(rep_a)
    reply = client.post(url("response-goal", response_a, number=5), {**goal_post(0), "continue": ""})
    assert reply.status_code == 302 and reply.url.endswith("/goals/7/")
    answer = GoalAnswer.objects.get(response=response_a, goal_version=goals[0])
    assert answer.volume_dkk == 1_250_000 and answer.version == 1
    # the form shows the amount again with thousand separators
    assert 'value="1.250.000"' in client.get(url("response-goal", response_a, number=5)).content.decode()


def test_errors_are_summarised_at_the_top_with_links_to_the_fields_and_nothing_is_lost(
    client, response_a, rep_a, goals
):
    client.force_login(rep_a)
    reply = client.post(
        url("response-goal", response_a, number=5),
        goal_post(0, tenders_completed="2", tenders_with_criteria="3", volume_dkk="-5", challenges="Mine noter"),
    )
    page = reply.content.decode()
    assert reply.status_code == 200
    assert 'class="alert alert-error error-summary' in page
    assert 'href="#id_tenders_with_criteria"' in page and 'href="#id_volume_dkk"' in page
    assert "(2)" in page  # the limit is named
    assert "Tallet kan ikke være negativt." in page  # in Danish by default
    assert "Mine noter" in page  # what was typed comes back
    assert not GoalAnswer.objects.exists()


def test_english_users_get_english_messages(client, response_a, rep_a, goals):
    client.force_login(rep_a)
    reply = client.post("/en" + url("response-goal", response_a, number=5), goal_post(0, volume_dkk="1.250,50"))
    assert "Enter a whole number without decimals" in reply.content.decode()


def test_a_stale_form_gets_the_conflict_message_with_the_other_persons_answers(
    client, response_a, rep_a, deputy_a, goals
):
    # given the deputy saved goal 5 after the representative opened it
    services.response_goal_save(
        response=response_a,
        goal_version=goals[0],
        by=deputy_a,
        expected_version=0,
        data={**GOAL, "challenges": "Deputy skrev"},
    )
    client.force_login(rep_a)
    # when the representative saves the page they opened at version 0
    reply = client.post(url("response-goal", response_a, number=5), goal_post(0, challenges="Min tekst"))
    # then nothing is overwritten, the page says so and shows both
    page = reply.content.decode()
    assert reply.status_code == 409
    assert "Deputy skrev" in page and "Min tekst" in page and str(deputy_a) in page
    assert GoalAnswer.objects.get().challenges == "Deputy skrev"
    # and sending the form again (now at the current version) saves theirs on purpose
    reply = client.post(url("response-goal", response_a, number=5), goal_post(1, challenges="Min tekst"))
    assert reply.status_code == 302
    assert GoalAnswer.objects.get().challenges == "Min tekst"


def test_last_years_answers_are_shown_as_hints_not_copied(
    client, open_round, response_a, rep_a, goals, secretariat_user, org_a
):
    # given last year's round with A's answers
    last = RoundFactory(
        year=2025, opens_on=datetime.date(2025, 2, 1), deadline=datetime.date(2025, 4, 1), status="closed"
    )
    last.goal_versions.set(goals)
    old = ResponseFactory(round=last, organisation=org_a, status="draft", total_volume_dkk=9_000_000)
    GoalAnswerFactory(
        response=old,
        goal_version=goals[0],
        tenders_completed=11,
        tenders_with_criteria=7,
        volume_dkk=3_000_000,
        status="meets",
    )
    client.force_login(rep_a)
    page = client.get(url("response-goal", response_a, number=5)).content.decode()
    assert "11" in page and "3.000.000" in page
    assert 'name="tenders_completed" value' not in page  # the field itself is empty
    assert "9.000.000" in client.get(url("response-organisation", response_a)).content.decode()


def test_check_submit_receipt_and_read_only(client, response_a, rep_a, goals, django_capture_on_commit_callbacks):
    complete(response_a, rep_a, goals)
    response_a.refresh_from_db()
    client.force_login(rep_a)
    # the check page lists every answer
    page = client.get(url("response-check", response_a)).content.decode()
    assert "Få leverandører." in page and "Kim Indkøb" in page
    # submitting without the confirmation is refused with an error summary
    reply = client.post(url("response-check", response_a), {"version": response_a.version})
    assert 'href="#id_confirm"' in reply.content.decode()
    # with it, the response is submitted and the receipt shown
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post(
            url("response-check", response_a), {"version": response_a.version, "confirm": "on"}, follow=True
        )
    assert reply.redirect_chain[-1][0] == url("response-receipt", response_a)
    response_a.refresh_from_db()
    assert response_a.status == "submitted"
    assert mail.outbox[-1].to == [rep_a.email] and mail.outbox[-1].attachments
    # afterwards the sections are read-only: a post changes nothing
    reply = client.post(url("response-goal", response_a, number=5), goal_post(1, tenders_completed="40"))
    assert reply.status_code == 302
    assert GoalAnswer.objects.get(response=response_a, goal_version=goals[0]).tenders_completed == 4
    assert "disabled" in client.get(url("response-goal", response_a, number=5)).content.decode()
    # and the answers can be downloaded as PDF
    pdf = client.get(url("response-pdf", response_a))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_incomplete_response_shows_what_is_missing_with_links(client, response_a, rep_a, goals):
    client.force_login(rep_a)
    page = client.get(url("response-check", response_a)).content.decode()
    assert f"{url('response-organisation', response_a)}#id_total_volume_dkk" in page
    assert f"{url('response-goal', response_a, number=7)}#id_status" in page
    # a goal not yet answered shows dashes, an answered zero shows 0
    services.response_goal_save(
        response=response_a, goal_version=goals[0], by=rep_a, expected_version=0, data={"tenders_completed": 0}
    )
    page = client.get(url("response-check", response_a)).content.decode()
    assert "<dd>0</dd>" in page and "<dd>–</dd>" in page and "<dd></dd>" not in page
    response_a.refresh_from_db()
    reply = client.post(url("response-check", response_a), {"version": response_a.version, "confirm": "on"})
    assert reply.status_code == 200
    response_a.refresh_from_db()
    assert response_a.status == "draft"


def test_representative_of_a_cannot_read_or_write_bs_response_by_any_url_or_field(
    client, response_a, response_b, rep_a, rep_b, goals
):
    client.force_login(rep_a)
    for name, extra in [
        ("response-detail", {}),
        ("response-organisation", {}),
        ("response-goal", {"number": 5}),
        ("response-check", {}),
        ("response-receipt", {}),
        ("response-pdf", {}),
    ]:
        assert client.get(url(name, response_b, **extra)).status_code == 404
        assert (
            client.post(
                url(name, response_b, **extra), {**goal_post(0), "confirm": "on", "total_volume_dkk": "1"}
            ).status_code
            == 404
        )
    # a form of A's own response with B's ids smuggled in changes only A's
    client.post(
        url("response-goal", response_a, number=5),
        {**goal_post(0), "response": response_b.pk, "pk": response_b.pk, "organisation": response_b.organisation_id},
    )
    assert not GoalAnswer.objects.filter(response=response_b).exists()
    response_b.refresh_from_db()
    assert response_b.status == "not_started" and response_b.version == 0
    # and the secretariat's actions are refused
    assert client.post(url("response-remind", response_b)).status_code == 403
    assert client.post(url("response-reopen", response_b), {"reason": "x"}).status_code == 403


def test_the_representative_sees_this_and_earlier_years_of_their_own_organisation_only(
    client, open_round, response_a, rep_a, org_a, org_b, goals
):
    last = RoundFactory(
        year=2025, opens_on=datetime.date(2025, 2, 1), deadline=datetime.date(2025, 4, 1), status="closed"
    )
    ResponseFactory(round=last, organisation=org_a)
    ResponseFactory(round=last, organisation=org_b)
    client.force_login(rep_a)
    page = client.get(reverse("followup:home")).content.decode()
    assert "2026" in page and "2025" in page
    assert page.count("/followup/responses/") == 2


# --- the secretariat ----------------------------------------------------------------------------------


def test_secretariat_creates_and_opens_a_round(
    secretariat_client, goals, org_a, rep_a, django_capture_on_commit_callbacks
):
    reply = secretariat_client.post(
        reverse("followup:round-create"),
        {
            "year": "2027",
            "opens_on": "2027-02-01",
            "deadline": "2027-01-01",
            "intro": "",
            "reminder_days_before": "14,3",
            "reminder_days_after": "7",
        },
    )
    assert "deadline" in reply.content.decode() and not Round.objects.filter(year=2027).exists()
    reply = secretariat_client.post(
        reverse("followup:round-create"),
        {
            "year": "2027",
            "opens_on": "2027-02-01",
            "deadline": "2027-04-01",
            "intro": "Velkommen",
            "reminder_days_before": "14, 3",
            "reminder_days_after": "7",
            "goal_versions": [goals[0].pk],
        },
    )
    round_ = Round.objects.get(year=2027)
    assert reply.url == reverse("followup:round-detail", kwargs={"year": 2027})
    assert list(round_.goal_versions.all()) == [goals[0]] and round_.days_before == [14, 3]
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(reverse("followup:round-open", kwargs={"year": 2027}), {"confirm": "on"})
    round_.refresh_from_db()
    assert round_.status == "open" and round_.responses.count() == 1
    assert [m.to for m in mail.outbox] == [[rep_a.email]]
    # the round can still get a later deadline, not other goals
    secretariat_client.post(
        reverse("followup:round-edit", kwargs={"year": 2027}),
        {"deadline": "2027-05-01", "intro": "Velkommen", "reminder_days_before": "3", "reminder_days_after": ""},
    )
    round_.refresh_from_db()
    assert round_.deadline == datetime.date(2027, 5, 1) and round_.reminder_days_after == ""
    assert list(round_.goal_versions.all()) == [goals[0]]


def test_overview_filters_sorts_and_reminds(
    secretariat_client, open_round, response_a, response_b, rep_a, rep_b, goals
):
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    overview = reverse("followup:round-detail", kwargs={"year": 2026})
    page = secretariat_client.get(overview).content.decode()
    assert "50 %" in page and "Testby Kommune" in page and "Andenby Kommune" in page
    page = secretariat_client.get(overview, {"status": "submitted"}).content.decode()
    assert "Testby Kommune" in page and "Andenby Kommune" not in page
    page = secretariat_client.get(overview, {"order": "-organisation"}).content.decode()
    assert page.index("Testby Kommune") < page.index("Andenby Kommune")
    mail.outbox.clear()
    # the invitation is not a reminder
    assert secretariat_client.get(overview).context["page"].object_list[0].last_reminded is None
    reply = secretariat_client.post(
        url("response-remind", response_b), {"next": overview + "?status=not_started"}, follow=True
    )
    assert reply.redirect_chain[-1][0] == overview + "?status=not_started"
    assert [m.to for m in mail.outbox] == [[rep_b.email]]
    reply = secretariat_client.post(url("response-remind", response_b), {"next": "//evil.example/"})
    assert reply.url == overview  # never sent off the portal
    assert len(mail.outbox) == 1  # not twice the same day
    reminded = {
        r.organisation.name: r.last_reminded for r in secretariat_client.get(overview).context["page"].object_list
    }
    assert reminded["Andenby Kommune"] is not None and reminded["Testby Kommune"] is None


def test_secretariat_exports_and_imports(secretariat_client, open_round, response_a, response_b, rep_a, goals):
    complete(response_a, rep_a, goals)
    reply = secretariat_client.get(reverse("followup:round-export", kwargs={"year": 2026, "kind": "xlsx"}))
    assert reply["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(reply.content))
    assert book["answers"].max_row == 5
    assert secretariat_client.get(
        reverse("followup:round-export", kwargs={"year": 2026, "kind": "answers-csv"})
    ).content.startswith("\ufeffyear".encode())
    assert (
        secretariat_client.get(reverse("followup:round-export", kwargs={"year": 2026, "kind": "pdf"})).status_code
        == 404
    )
    # a bad file lists the rows and saves nothing
    bad = "organisation_slug;goal_number;goal_status;tenders_completed;tenders_with_criteria\n"
    bad += f"{response_b.organisation.slug};5;meets;1;2\n"
    reply = secretariat_client.post(
        reverse("followup:round-import", kwargs={"year": 2026}), {"file": SimpleUploadedFile("svar.csv", bad.encode())}
    )
    page = reply.content.decode()
    assert "import-errors" in page and "<td>2</td>" in page
    assert not GoalAnswer.objects.filter(response=response_b).exists()
    # a good one is saved
    good = bad.replace(";1;2", ";2;1")
    reply = secretariat_client.post(
        reverse("followup:round-import", kwargs={"year": 2026}), {"file": SimpleUploadedFile("svar.csv", good.encode())}
    )
    assert reply.status_code == 302
    assert GoalAnswer.objects.get(response=response_b).tenders_with_criteria == 1
    # a file of another kind is refused
    reply = secretariat_client.post(
        reverse("followup:round-import", kwargs={"year": 2026}), {"file": SimpleUploadedFile("svar.pdf", b"%PDF")}
    )
    assert "XLSX or CSV" in reply.content.decode() or "XLSX eller CSV" in reply.content.decode()


def test_secretariat_reopens_a_submitted_response(secretariat_client, response_a, rep_a, goals):
    services.response_submit(response=complete(response_a, rep_a, goals), by=rep_a)
    page = secretariat_client.get(url("response-detail", response_a)).content.decode()
    assert url("response-reopen", response_a) in page
    secretariat_client.post(url("response-reopen", response_a), {"reason": ""})
    response_a.refresh_from_db()
    assert response_a.status == "submitted"
    secretariat_client.post(url("response-reopen", response_a), {"reason": "Medlemmet bad om det"})
    response_a.refresh_from_db()
    assert response_a.status == "reopened" and response_a.reopen_reason == "Medlemmet bad om det"


def test_the_session_warning_is_wired_on_every_section(client, response_a, rep_a, settings):
    client.force_login(rep_a)
    page = client.get(url("response-organisation", response_a)).content.decode()
    assert f'data-session-seconds="{settings.SESSION_COOKIE_AGE}"' in page
    assert 'id="session-warning"' in page and "js/followup.js" in page


def test_members_that_join_during_the_round_are_added_and_invited(
    secretariat_client, open_round, django_capture_on_commit_callbacks
):
    from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory

    overview = reverse("followup:round-detail", kwargs={"year": open_round.year})
    assert "add-members" not in secretariat_client.get(overview).content.decode()
    # given a municipality that joined after the round opened
    newcomer = MembershipFactory(organisation=OrganisationFactory(name="Nyby Kommune")).organisation
    rep = RepresentativeFactory(organisation=newcomer, position="primary").user
    assert "add-members" in secretariat_client.get(overview).content.decode()
    mail.outbox.clear()
    # when the secretariat adds it
    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(reverse("followup:round-members-add", kwargs={"year": open_round.year}))
    # then it has a response and only its representative is invited (the others were invited at the opening)
    assert open_round.responses.filter(organisation=newcomer, status="not_started").exists()
    assert [m.to for m in mail.outbox] == [[rep.email]]


def test_the_back_office_shows_the_follow_up_without_changing_it(secretariat_client, secretariat_user, response_a):
    from django.contrib.admin.sites import site

    from followup.models import ReminderLog

    secretariat_user.is_superuser = True
    secretariat_user.save(update_fields=["is_superuser"])
    for model in (Round, Response, ReminderLog):
        name = model._meta.model_name
        assert secretariat_client.get(reverse(f"admin:followup_{name}_changelist")).status_code == 200
        admin = site._registry[model]
        assert not admin.has_add_permission(None) and not admin.has_change_permission(None)
    detail = reverse("admin:followup_response_change", args=[response_a.pk])
    assert secretariat_client.get(detail).status_code == 200
    secretariat_client.post(detail, {"status": "submitted"})
    response_a.refresh_from_db()
    assert response_a.status == "not_started"


def test_the_dashboard_points_the_representative_to_this_years_questionnaire(client, response_a, rep_a):
    client.force_login(rep_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'href="{response_a.get_absolute_url()}"' in page
    assert "Målopfølgning 2026" in page and "Ikke påbegyndt" in page
