import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goals.models import ProductArea
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, UserFactory, in_days
from workgroups import selectors, services
from workgroups.models import Hearing, HearingResponse
from workgroups.tasks import hearing_notify_members

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_rationale():
    """The revision group here is on the work plan because of Svanemærket's new criteria."""
    return "Nye kriterier for Svanemærket."


class TestWorkingGroups:
    def test_revision_group_works_on_a_new_draft(self, group, goal_in_force):
        assert group.draft.number == 2
        assert group.draft.status == "draft"
        assert group.slug == "2026-revision-af-rengoering"

    def test_new_goal_group_creates_the_goal(self, secretariat_user, goal_in_force):
        plan = services.work_plan_create(year=2027, by=secretariat_user)
        item = services.work_plan_item_add(
            plan=plan,
            kind="new",
            title="Fødevarer",
            product_area=ProductArea.objects.get(slug="foedevarer"),
            by=secretariat_user,
        )
        with pytest.raises(ValidationError):
            services.working_group_create(item=item, facilitator=secretariat_user, by=secretariat_user)
        group = services.working_group_create(
            item=item, facilitator=secretariat_user, goal_number=1, statement="Mere økologi.", by=secretariat_user
        )
        assert group.goal.number == 1 and group.draft.status == "draft"
        item.refresh_from_db()
        assert item.goal == group.goal

    def test_revision_must_name_the_goal_and_a_goal_is_on_a_plan_once(self, secretariat_user, goal_in_force):
        plan = services.work_plan_create(year=2027, by=secretariat_user)
        area = goal_in_force.goal.product_area
        with pytest.raises(ValidationError):
            services.work_plan_item_add(plan=plan, kind="revision", title="x", product_area=area, by=secretariat_user)
        services.work_plan_item_add(
            plan=plan, kind="revision", goal=goal_in_force.goal, title="x", product_area=area, by=secretariat_user
        )
        with pytest.raises(ValidationError):
            services.work_plan_item_add(
                plan=plan, kind="revision", goal=goal_in_force.goal, title="y", product_area=area, by=secretariat_user
            )

    def test_composition_warnings_until_five_members_with_steering_group_and_chair(self, group, secretariat_user):
        assert len(selectors.working_group_warnings(group=group)) == 3
        steering = RepresentativeFactory(organisation=MembershipFactory().organisation, steering_group=True).user
        services.working_group_member_add(group=group, user=steering, is_chair=True, by=secretariat_user)
        for _ in range(4):
            user = RepresentativeFactory(organisation=MembershipFactory().organisation).user
            services.working_group_member_add(group=group, user=user, by=secretariat_user)
        assert selectors.working_group_warnings(group=group) == []

    def test_only_representatives_of_active_members_and_one_chair(self, group, secretariat_user):
        with pytest.raises(ValidationError):
            services.working_group_member_add(group=group, user=UserFactory(), by=secretariat_user)
        withdrawn = RepresentativeFactory(organisation=MembershipFactory(status="withdrawn").organisation).user
        with pytest.raises(ValidationError):
            services.working_group_member_add(group=group, user=withdrawn, by=secretariat_user)
        first = RepresentativeFactory(organisation=MembershipFactory().organisation).user
        services.working_group_member_add(group=group, user=first, is_chair=True, by=secretariat_user)
        second = RepresentativeFactory(organisation=MembershipFactory().organisation).user
        with pytest.raises(ValidationError):
            services.working_group_member_add(group=group, user=second, is_chair=True, by=secretariat_user)
        with pytest.raises(ValidationError):
            services.working_group_member_add(group=group, user=first, by=secretariat_user)


class TestHearings:
    def test_internal_hearing_moves_the_draft_and_emails_members_once(
        self, group, secretariat_user, rep_a, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            hearing = services.hearing_open(
                version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user
            )
        group.draft.refresh_from_db()
        assert group.draft.status == "internal_hearing"
        assert [m.to for m in mail.outbox] == [[rep_a.email]]
        assert f"/workgroups/hearings/{hearing.pk}/" in mail.outbox[0].body
        assert hearing_notify_members(hearing.pk) == 0  # a second run sends nothing
        assert len(mail.outbox) == 1

    def test_industry_hearing_follows_the_internal_one_and_closes_it(self, group, secretariat_user):
        with pytest.raises(ValidationError):
            services.hearing_open(version=group.draft, kind="industry", closes_at=in_days(14), by=secretariat_user)
        internal = services.hearing_open(
            version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user
        )
        services.hearing_open(version=group.draft, kind="industry", closes_at=in_days(28), by=secretariat_user)
        internal.refresh_from_db()
        assert internal.closed_at is not None
        group.draft.refresh_from_db()
        assert group.draft.status == "industry_hearing"

    def test_internal_hearing_is_for_member_representatives(self, group, secretariat_user, rep_a):
        hearing = services.hearing_open(
            version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user
        )
        with pytest.raises(ValidationError):
            services.hearing_respond(
                hearing=hearing, text="x", respondent_name="A", respondent_organisation="Firma", user=UserFactory()
            )
        criterion = group.draft.criteria.get()
        response = services.hearing_respond(
            hearing=hearing,
            text="Skærp kravet.",
            criterion=criterion,
            respondent_name="",
            respondent_organisation="",
            user=rep_a,
        )
        assert response.member == rep_a.representative.organisation
        assert response.respondent_organisation == rep_a.representative.organisation.name

    def test_no_response_after_the_deadline_but_email_received_in_time_may_be_registered(self, group, secretariat_user):
        services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(1), by=secretariat_user)
        hearing = services.hearing_open(version=group.draft, kind="industry", closes_at=in_days(1), by=secretariat_user)
        Hearing.objects.filter(pk=hearing.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        hearing.refresh_from_db()
        with pytest.raises(ValidationError, match=r"lukkede|closed"):
            services.hearing_respond(
                hearing=hearing, text="For sent.", respondent_name="A", respondent_organisation="Branchen"
            )
        registered = services.hearing_respond(
            hearing=hearing,
            text="Sendt pr. mail i tide.",
            respondent_name="B",
            respondent_organisation="Leverandør",
            user=secretariat_user,
            channel=HearingResponse.Channel.EMAIL,
            received_at=timezone.now() - timedelta(hours=2),
        )
        assert registered.channel == "email"

    def test_answer_needs_assessment_and_reason(self, group, secretariat_user):
        services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(1), by=secretariat_user)
        hearing = services.hearing_open(
            version=group.draft, kind="industry", closes_at=in_days(14), by=secretariat_user
        )
        response = services.hearing_respond(
            hearing=hearing, text="Kravet er for hårdt.", respondent_name="A", respondent_organisation="Branchen"
        )
        with pytest.raises(ValidationError):
            services.hearing_response_answer(response=response, answer="accepted", text=" ", by=secretariat_user)
        services.hearing_response_answer(
            response=response, answer="partly", text="Overgangsperiode indført.", by=secretariat_user
        )
        response.refresh_from_db()
        assert response.get_answer_display() and response.answered_by == secretariat_user


class TestPages:
    def test_overview_shows_the_plan_and_the_kpi(self, client, group):
        response = client.get("/en/workgroups/?year=2026")
        assert response.status_code == 200
        assert "Revision af rengøring" in response.text
        kpi = {row["year"]: row for row in response.context["kpi"]}
        # goal 5's version in force was adopted (registered from the records) on the day it came into force
        assert kpi[2024]["adopted"] == 1
        assert kpi[timezone.localdate().year]["adopted"] == 0
        assert kpi[timezone.localdate().year]["target"] == 3

    def test_group_page_shows_status_not_internal_documents(self, client, group, secretariat_user):
        services.milestone_add(
            group=group, title="Første møde", planned_on=datetime.date(2026, 4, 1), by=secretariat_user
        )
        response = client.get(reverse("workgroups:group-detail", kwargs={"slug": group.slug}))
        assert response.status_code == 200
        assert "Første møde" in response.text
        assert "terms_pdf" not in response.text

    def test_member_responds_to_internal_hearing(self, client, group, secretariat_user, rep_a):
        hearing = services.hearing_open(
            version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user
        )
        client.force_login(rep_a)
        url = reverse("workgroups:hearing-detail", kwargs={"pk": hearing.pk})
        response = client.post(url, {"criterion": group.draft.criteria.get().pk, "text": "Godt forslag."}, follow=True)
        assert response.status_code == 200
        assert hearing.responses.get().text == "Godt forslag."

    def test_public_industry_hearing_form_with_spam_and_rate_protection(
        self, client, group, secretariat_user, settings
    ):
        services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(1), by=secretariat_user)
        hearing = services.hearing_open(
            version=group.draft, kind="industry", closes_at=in_days(14), by=secretariat_user
        )
        url = reverse("workgroups:hearing-public", kwargs={"token": hearing.token})
        data = {
            "respondent_name": "Eva",
            "respondent_organisation": "Dansk Branche",
            "respondent_email": "eva@branche.example",
            "text": "Indsigelse.",
        }
        assert client.post(url, data).status_code == 302
        assert client.post(url, {**data, "homepage": "http://spam"}).status_code == 200  # the honeypot
        for i in range(9):
            client.post(url, {**data, "text": f"Indsigelse {i}."})
        refused = client.post(url, {**data, "text": "Indsigelse 10."})
        assert refused.status_code == 200
        assert hearing.responses.count() == 10
        # the same response sent again (a second tab, a double click) is kept once
        assert client.post(url, data).status_code in (200, 302)
        assert hearing.responses.filter(text="Indsigelse.").count() == 1
        assert (
            client.get(
                reverse("workgroups:hearing-public", kwargs={"token": "00000000-0000-0000-0000-000000000000"})
            ).status_code
            == 404
        )

    def test_internal_hearing_has_no_public_link(self, client, group, secretariat_user):
        hearing = services.hearing_open(
            version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user
        )
        assert client.get(reverse("workgroups:hearing-public", kwargs={"token": hearing.token})).status_code == 404

    def test_responses_are_public_only_after_the_hearing_and_not_when_asked(self, client, group, secretariat_user):
        services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(1), by=secretariat_user)
        hearing = services.hearing_open(
            version=group.draft, kind="industry", closes_at=in_days(14), by=secretariat_user
        )
        services.hearing_respond(
            hearing=hearing, text="Offentligt svar.", respondent_name="A", respondent_organisation="Firma A"
        )
        services.hearing_respond(
            hearing=hearing,
            text="Fortroligt svar.",
            respondent_name="B",
            respondent_organisation="Firma B",
            keep_private=True,
        )
        url = reverse("workgroups:hearing-public", kwargs={"token": hearing.token})
        assert "Offentligt svar." not in client.get(url).text
        services.hearing_close(hearing=hearing, by=secretariat_user, reason="Alle har svaret.")
        text = client.get(url).text
        assert "Offentligt svar." in text and "Fortroligt svar." not in text


def test_other_organisation_name_is_not_trusted_in_internal_hearing(group, secretariat_user, rep_a):
    hearing = services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user)
    response = services.hearing_respond(
        hearing=hearing, text="x", respondent_name="", respondent_organisation=OrganisationFactory().name, user=rep_a
    )
    assert response.respondent_organisation == rep_a.representative.organisation.name
