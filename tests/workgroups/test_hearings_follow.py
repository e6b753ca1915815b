"""Hearings members can follow: the dashboard, the member hearing page with its redline and the organisation's own
responses, and notices that reach every member organisation and the working group, recorded for the secretariat."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from goals import services as goal_services
from goals.models import GoalVersion
from tests.factories import HearingFactory, MembershipFactory, OrganisationFactory, RepresentativeFactory, in_days
from workgroups import services
from workgroups.models import Hearing, HearingNotice
from workgroups.tasks import hearing_notify_members

pytestmark = pytest.mark.django_db


def member(name: str, **reps):
    """An active member organisation with representatives given as position=name ("primary", "deputy", ...)."""
    org = MembershipFactory(organisation=OrganisationFactory(name=name)).organisation
    people = {}
    for key, person in reps.items():
        position, steering = {
            "primary": ("primary", False),
            "deputy": ("deputy", False),
            "steering": ("specialist", True),
            "specialist": ("specialist", False),
        }[key]
        people[key] = RepresentativeFactory(
            organisation=org,
            position=position,
            steering_group=steering,
            user__name=person,
            user__email=f"{person.lower().replace(' ', '.')}@{org.slug}.example",
        ).user
    return org, people


def internal_hearing(group, by, *, days=14) -> Hearing:
    return services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(days), by=by)


class TestDashboard:
    def test_lists_open_internal_hearings_with_the_member_link(self, client, rep_a, group, secretariat_user):
        # given an open internal hearing on the group's draft and a closed one on another draft
        hearing = internal_hearing(group, secretariat_user)
        closed = HearingFactory(closed_at=timezone.now())
        # when the member representative opens the dashboard
        client.force_login(rep_a)
        page = client.get(reverse("dashboard")).content.decode()
        # then the open hearing is listed with its deadline and the member page's link, not the secretariat's
        assert reverse("workgroups:hearing-detail", kwargs={"pk": hearing.pk}) in page
        assert reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk}) not in page
        assert "Rengøring" in page
        assert f"{timezone.localtime(hearing.closes_at):%-d}." in page  # the deadline, in Danish format
        # and the closed hearing is not
        assert reverse("workgroups:hearing-detail", kwargs={"pk": closed.pk}) not in page

    def test_a_hearing_whose_deadline_has_passed_and_industry_hearings_are_not_listed(self, client, rep_a):
        late = HearingFactory()
        Hearing.objects.filter(pk=late.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        industry = HearingFactory(kind=Hearing.Kind.INDUSTRY)
        client.force_login(rep_a)
        page = client.get(reverse("dashboard")).content.decode()
        assert f"/workgroups/hearings/{late.pk}/" not in page
        assert f"/workgroups/hearings/{industry.pk}/" not in page

    @pytest.mark.parametrize("n", [1, 10])
    def test_the_dashboard_does_not_grow_with_the_hearings(self, n, client, rep_a, django_assert_num_queries):
        for _ in range(n):
            HearingFactory()
        client.force_login(rep_a)
        client.get(reverse("dashboard"))  # the session is read once, as for any visitor
        with django_assert_num_queries(DASHBOARD_QUERIES):
            response = client.get(reverse("dashboard"))
        assert len(response.context["hearings"]) == n


# with the membership, its project participations (the project commitment) and the dialogues one assesses
DASHBOARD_QUERIES = 11


class TestMemberHearingPage:
    @pytest.fixture
    def hearing(self, group, secretariat_user):
        # the draft changes the criterion in force and says why
        criterion = group.draft.criteria.get()
        goal_services.criterion_update(
            criterion=criterion, by=secretariat_user, text="Svanemærket eller EU-Blomsten.", kind="requirement"
        )
        GoalVersion.objects.filter(pk=group.draft.pk).update(change_note="EU-Blomsten er nu også godkendt.")
        return internal_hearing(group, secretariat_user)

    def test_shows_the_draft_as_a_redline_against_the_version_in_force(self, client, rep_a, hearing):
        client.force_login(rep_a)
        page = client.get(reverse("workgroups:hearing-detail", kwargs={"pk": hearing.pk})).content.decode()
        assert "EU-Blomsten er nu også godkendt." in page  # the change note
        assert "<ins>" in page and "EU-Blomsten" in page  # what is added
        assert "Ændringer i forhold til den gældende version 1" in page

    def test_the_member_sees_its_own_responses_and_the_answers_not_other_organisations(
        self, client, rep_a, rep_b, hearing, secretariat_user
    ):
        # given responses from two member organisations, the first one answered by the secretariat
        own = services.hearing_respond(
            hearing=hearing, text="Vores svar om kravet.", respondent_name="", respondent_organisation="", user=rep_a
        )
        services.hearing_respond(
            hearing=hearing, text="Andenbys hemmelige svar.", respondent_name="", respondent_organisation="", user=rep_b
        )
        url = reverse("workgroups:hearing-detail", kwargs={"pk": hearing.pk})
        client.force_login(rep_a)
        # when the first organisation's representative opens the hearing
        page = client.get(url).content.decode()
        # then it sees its own response, not answered yet, and not the other organisation's
        assert "Vores svar om kravet." in page
        assert "Sekretariatet har endnu ikke svaret." in page
        assert "Andenbys hemmelige svar." not in page
        # and when the secretariat has answered, the answer is shown with the response
        services.hearing_response_answer(
            response=own, answer="accepted", text="Taget med i udkastet.", by=secretariat_user
        )
        page = client.get(url).content.decode()
        assert "Taget med i udkastet." in page
        assert "Andenbys hemmelige svar." not in page


class TestNotices:
    def test_every_member_organisation_and_the_working_group_are_told(
        self, group, secretariat_user, django_capture_on_commit_callbacks
    ):
        # given a member with a primary representative and a deputy, one without a primary representative,
        # one with only a specialist, and a working group with a chair and a member
        with_primary, a = member("Primærby Kommune", primary="Pia Primær", deputy="Dan Deputy")
        without_primary, b = member("Stedby Kommune", deputy="Stine Sted", steering="Styrk Styre", specialist="Ole")
        nobody, c = member("Ingenby Kommune", specialist="Karl Fagperson")
        services.working_group_member_add(group=group, user=c["specialist"], is_chair=True, by=secretariat_user)
        services.working_group_member_add(group=group, user=b["specialist"], by=secretariat_user)
        # when the internal hearing opens
        with django_capture_on_commit_callbacks(execute=True):
            hearing = internal_hearing(group, secretariat_user)
        # then each person is emailed once, the steering-group representative because there is no primary one
        told = sorted(m.to[0] for m in mail.outbox)
        assert told == sorted(
            u.email for u in (a["primary"], a["deputy"], b["deputy"], b["steering"], c["specialist"], b["specialist"])
        )
        assert all(f"/workgroups/hearings/{hearing.pk}/" in m.body for m in mail.outbox)
        # and it is recorded who was told as what, and which organisation had no one
        notices = {(n.organisation_id, n.user_id): n for n in hearing.notices.all()}
        assert notices[(without_primary.pk, b["steering"].pk)].role == HearingNotice.Role.STEERING_GROUP
        assert notices[(nobody.pk, c["specialist"].pk)].role == HearingNotice.Role.CHAIR
        assert notices[(without_primary.pk, b["specialist"].pk)].role == HearingNotice.Role.GROUP_MEMBER
        assert notices[(with_primary.pk, a["primary"].pk)].status == HearingNotice.Status.SENT
        assert notices[(nobody.pk, None)].status == HearingNotice.Status.NO_RECIPIENT
        # and a second run sends nothing
        assert hearing_notify_members(hearing.pk) == 0
        assert len(mail.outbox) == 6

    def test_a_refused_email_waits_and_the_retry_sends_only_what_is_missing(self, group, secretariat_user, monkeypatch):
        member("Primærby Kommune", primary="Pia Primær")
        member("Andenby Kommune", primary="Anders And")
        hearing = internal_hearing(group, secretariat_user)
        from workgroups import emails

        real = emails.hearing_notice_send
        calls = []

        def flaky(*, hearing, recipients, **options):
            calls.append(recipients[0])
            if len(calls) == 2:
                raise OSError("the mail server is down")
            return real(hearing=hearing, recipients=recipients)

        monkeypatch.setattr(emails, "hearing_notice_send", flaky)
        with pytest.raises(OSError):
            services.hearing_notice_deliver(hearing_id=hearing.pk)
        assert hearing.notices.filter(status=HearingNotice.Status.PENDING).count() == 1
        assert services.hearing_notice_deliver(hearing_id=hearing.pk) == 1
        assert sorted(m.to[0] for m in mail.outbox) == sorted(set(calls))
        assert not hearing.notices.filter(status=HearingNotice.Status.PENDING).exists()

    def test_the_secretariat_sees_who_was_told_and_who_could_not_be(self, secretariat_client, group, secretariat_user):
        member("Primærby Kommune", primary="Pia Primær")
        member("Ingenby Kommune", specialist="Karl Fagperson")
        hearing = internal_hearing(group, secretariat_user)
        services.hearing_notice_deliver(hearing_id=hearing.pk)
        page = secretariat_client.get(reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk})).content.decode()
        assert "Hvem blev underrettet" in page
        assert "pia.primær@primærby-kommune.example" in page or "Pia Primær" in page
        assert "Ingenby Kommune" in page
        assert "1 medlemsorganisation havde ingen at underrette" in page
        assert "Ingen primær repræsentant, stedfortræder eller repræsentant i styregruppen" in page

    @pytest.mark.parametrize("n", [3, 30])
    def test_the_hearing_page_does_not_grow_with_the_notices(
        self, n, secretariat_client, group, secretariat_user, django_assert_num_queries
    ):
        for i in range(n):
            member(f"Kommune {i}", primary=f"Person {i}")
            member(f"Uden {i}", specialist=f"Fag {i}")
        hearing = internal_hearing(group, secretariat_user)
        services.hearing_notice_deliver(hearing_id=hearing.pk)
        url = reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk})
        secretariat_client.get(url)
        with django_assert_num_queries(HEARING_PAGE_QUERIES):
            response = secretariat_client.get(url)
        assert len(response.context["notices"]) == 2 * n


HEARING_PAGE_QUERIES = 10


@pytest.mark.parametrize("n", [1, 10])
def test_the_member_page_does_not_grow_with_the_responses(
    n, client, rep_a, group, secretariat_user, django_assert_num_queries
):
    hearing = internal_hearing(group, secretariat_user)
    for i in range(n):
        response = services.hearing_respond(
            hearing=hearing, text=f"Svar {i}.", respondent_name="", respondent_organisation="", user=rep_a
        )
        services.hearing_response_answer(response=response, answer="partly", text=f"Svar til {i}.", by=secretariat_user)
    url = reverse("workgroups:hearing-detail", kwargs={"pk": hearing.pk})
    client.force_login(rep_a)
    client.get(url)
    with django_assert_num_queries(MEMBER_PAGE_QUERIES):
        response = client.get(url)
    assert len(response.context["own_responses"]) == n


MEMBER_PAGE_QUERIES = 12
