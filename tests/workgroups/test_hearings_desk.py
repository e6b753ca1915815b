"""The secretariat's hearing desk: industry responses left out as spam or irrelevant, closing a hearing early
with a reason, and the work-plan item forms."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import in_days
from workgroups import selectors, services
from workgroups.forms_secretariat import WorkPlanItemForm
from workgroups.models import Hearing, HearingResponse, WorkPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def industry(group, secretariat_user):
    services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(7), by=secretariat_user)
    return services.hearing_open(version=group.draft, kind="industry", closes_at=in_days(14), by=secretariat_user)


def respond(hearing, text, organisation="Branchen"):
    return services.hearing_respond(
        hearing=hearing, text=text, respondent_name="A", respondent_organisation=organisation
    )


class TestLeaveOut:
    def test_spam_is_kept_but_left_out_of_the_memo_and_counted(self, secretariat_client, industry, group):
        # given a real response and a spam one
        respond(industry, "Kravet er for hårdt.")
        spam = respond(industry, "Køb billige ure her!", organisation="Spammer")
        # when the secretariat leaves the spam out through the hearing page
        response = secretariat_client.post(
            reverse("workgroups:manage-response-dismiss", kwargs={"pk": spam.pk}), {f"d{spam.pk}-reason": "spam"}
        )
        assert response.status_code == 302
        # then it is kept, marked and audited with who did it
        spam.refresh_from_db()
        assert spam.dismissed == "spam" and spam.dismissed_by is not None and spam.dismissed_at is not None
        assert spam.history.first().history_user == spam.dismissed_by
        assert HearingResponse.objects.filter(pk=spam.pk).exists()
        # and the memo leaves it out and says how many were left out
        memo = secretariat_client.get(reverse("workgroups:manage-memo", kwargs={"version_pk": group.draft.pk}))
        page = memo.content.decode()
        assert "Køb billige ure her!" not in page and "Kravet er for hårdt." in page
        assert memo.context["counts"] == {"total": 1, "answered": 0, "unanswered": 1, "left_out": 1}
        assert "1 svar i branchehøringen er udeladt af høringsnotatet som spam eller uvedkommende." in page
        # and the hearing page says so, with a way back
        hearing_page = secretariat_client.get(reverse("workgroups:manage-hearing", kwargs={"pk": industry.pk}))
        assert hearing_page.context["unanswered"] == 1
        assert reverse("workgroups:manage-response-restore", kwargs={"pk": spam.pk}) in hearing_page.content.decode()

    def test_the_memo_pdf_leaves_it_out_too(self, secretariat_user, industry, group):
        respond(industry, "Relevant.")
        spam = respond(industry, "Uvedkommende reklame.")
        services.hearing_response_dismiss(response=spam, reason="irrelevant", by=secretariat_user)
        report = selectors.memo_report(version=group.draft)
        texts = [r.text for s in report["sections"] for c in s["criteria"] for r in c["responses"]]
        assert texts == ["Relevant."]
        assert report["counts"]["left_out"] == 1

    def test_it_can_be_taken_back_into_the_memo(self, secretariat_client, secretariat_user, industry, group):
        spam = respond(industry, "Måske alligevel relevant.")
        services.hearing_response_dismiss(response=spam, reason="spam", by=secretariat_user)
        response = secretariat_client.post(reverse("workgroups:manage-response-restore", kwargs={"pk": spam.pk}))
        assert response.status_code == 302
        spam.refresh_from_db()
        assert spam.dismissed == "" and spam.dismissed_by is None
        assert selectors.memo_counts(version=group.draft)["total"] == 1
        assert [h.dismissed for h in spam.history.order_by("history_date")][-2:] == ["spam", ""]

    def test_only_the_secretariat_and_only_industry_responses(self, client, rep_a, secretariat_user, industry):
        spam = respond(industry, "Spam.")
        with pytest.raises(ValidationError):
            services.hearing_response_dismiss(response=spam, reason="spam", by=rep_a)
        client.force_login(rep_a)
        url = reverse("workgroups:manage-response-dismiss", kwargs={"pk": spam.pk})
        assert client.post(url, {f"d{spam.pk}-reason": "spam"}).status_code == 403
        internal = industry.version.hearings.get(kind="internal")
        Hearing.objects.filter(pk=internal.pk).update(closed_at=None, closes_at=in_days(1))
        internal.refresh_from_db()
        own = services.hearing_respond(
            hearing=internal, text="Medlemssvar.", respondent_name="", respondent_organisation="", user=rep_a
        )
        with pytest.raises(ValidationError):
            services.hearing_response_dismiss(response=own, reason="spam", by=secretariat_user)
        spam.refresh_from_db()
        assert spam.dismissed == ""

    def test_an_unknown_reason_is_refused_with_a_message(self, secretariat_client, industry):
        spam = respond(industry, "Spam.")
        response = secretariat_client.post(
            reverse("workgroups:manage-response-dismiss", kwargs={"pk": spam.pk}), {f"d{spam.pk}-reason": "nonsense"}
        )
        assert response.status_code == 200
        assert response.context["has_errors"]
        spam.refresh_from_db()
        assert spam.dismissed == ""


class TestClose:
    def test_closing_before_the_deadline_asks_for_confirmation_and_a_reason(self, secretariat_client, industry):
        url = reverse("workgroups:manage-hearing-close", kwargs={"pk": industry.pk})
        # the hearing page links to a confirmation page, which changes nothing
        page = secretariat_client.get(reverse("workgroups:manage-hearing", kwargs={"pk": industry.pk}))
        assert url in page.content.decode()
        confirm = secretariat_client.get(url)
        assert confirm.status_code == 200 and "reason" in confirm.context["form"].fields
        industry.refresh_from_db()
        assert industry.closed_at is None
        # without a reason it is refused, with a message
        refused = secretariat_client.post(url, {"reason": " "})
        assert refused.status_code == 200
        assert "Giv en begrundelse" in refused.content.decode()
        industry.refresh_from_db()
        assert industry.closed_at is None
        # with a reason it is closed, and the reason is kept and shown
        assert secretariat_client.post(url, {"reason": "Styregruppen mødes tidligere."}).status_code == 302
        industry.refresh_from_db()
        assert industry.closed_at is not None and industry.close_reason == "Styregruppen mødes tidligere."
        page = secretariat_client.get(reverse("workgroups:manage-hearing", kwargs={"pk": industry.pk}))
        assert "Styregruppen mødes tidligere." in page.content.decode()

    def test_closing_after_the_deadline_needs_no_reason(self, secretariat_client, secretariat_user, industry):
        Hearing.objects.filter(pk=industry.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        response = secretariat_client.post(reverse("workgroups:manage-hearing-close", kwargs={"pk": industry.pk}))
        assert response.status_code == 302
        industry.refresh_from_db()
        assert industry.closed_at is not None and industry.close_reason == ""

    def test_the_service_refuses_an_early_close_without_a_reason(self, secretariat_user, industry):
        with pytest.raises(ValidationError):
            services.hearing_close(hearing=industry, by=secretariat_user)
        closed = services.hearing_close(hearing=industry, by=secretariat_user, reason="Alle har svaret.")
        assert closed.closed_early and closed.close_reason == "Alle har svaret."
        # closing again changes nothing
        again = services.hearing_close(hearing=industry, by=secretariat_user)
        assert again.closed_at == closed.closed_at

    def test_opening_the_industry_hearing_closes_the_internal_one_with_a_reason(self, industry):
        internal = industry.version.hearings.get(kind="internal")
        assert internal.closed_at is not None and internal.close_reason


class TestWorkPlanItemForm:
    def test_a_revision_does_not_ask_for_a_product_area(self, goal_in_force):
        revision = WorkPlanItemForm(prefix="plan1", kind="revision")
        new = WorkPlanItemForm(prefix="plan1", kind="new")
        assert "product_area" not in revision.fields and "goal" in revision.fields
        assert "goal" not in new.fields and "product_area" in new.fields

    def test_goal_choices_show_number_and_title(self, goal_in_force):
        form = WorkPlanItemForm(prefix="plan1", kind="revision")
        labels = [label for value, label in form.fields["goal"].choices if value]
        assert labels == ["5 – Rengøring"]

    def test_a_revision_takes_its_goals_product_area(self, secretariat_client, secretariat_user, goal_in_force):
        plan = services.work_plan_create(year=2027, by=secretariat_user)
        desk = secretariat_client.get(reverse("workgroups:manage-desk")).content.decode()
        assert 'id="plan-2027-revision"' in desk and 'id="plan-2027-new"' in desk
        revision_form = desk.split('id="plan-2027-revision"')[1].split("</form>")[0]
        assert "product_area" not in revision_form and "5 – Rengøring" in revision_form
        response = secretariat_client.post(
            reverse("workgroups:manage-plan-item-add", kwargs={"pk": plan.pk}),
            {
                f"plan{plan.pk}-kind": "revision",
                f"plan{plan.pk}-goal": goal_in_force.goal.pk,
                f"plan{plan.pk}-title": "Revision af rengøring",
            },
        )
        assert response.status_code == 302
        item = WorkPlan.objects.get(year=2027).items.get()
        assert item.goal == goal_in_force.goal and item.product_area == goal_in_force.goal.product_area

    def test_a_new_goal_needs_its_product_area(self, secretariat_client, secretariat_user, goal_in_force):
        plan = services.work_plan_create(year=2027, by=secretariat_user)
        response = secretariat_client.post(
            reverse("workgroups:manage-plan-item-add", kwargs={"pk": plan.pk}),
            {f"plan{plan.pk}-kind": "new", f"plan{plan.pk}-title": "Fødevarer"},
        )
        assert response.status_code == 200
        assert "Fødevarer" in response.content.decode()
        assert not plan.items.exists()


def test_the_memo_the_steering_group_decided_on_is_not_changed_after(secretariat_user, group):
    """After the adoption no industry response is left out of the memo or taken back into it."""
    from goals.models import GoalVersion

    services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(1), by=secretariat_user)
    industry = services.hearing_open(version=group.draft, kind="industry", closes_at=in_days(9), by=secretariat_user)
    response = services.hearing_respond(
        hearing=industry, text="Køb vores produkt!", respondent_name="X", respondent_organisation="Y"
    )
    GoalVersion.objects.filter(pk=group.draft_id).update(status="adopted")
    with pytest.raises(ValidationError, match="notatet ændres ikke længere"):
        services.hearing_response_dismiss(response=response, reason="spam", by=secretariat_user)
    response.refresh_from_db()
    assert response.dismissed == ""
