"""Meetings of the bodies, the steering group's decisions and its review of drafts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from goals import reference
from goals import services as goal_services
from goals.models import GoalVersion
from members.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RepresentativeFactory,
    earlier_today,
    goal_in_force,
    in_days,
)
from workgroups import selectors, services
from workgroups.models import Decision, DraftComment, Meeting, Vote, WorkPlanItem
from workgroups.tasks import meeting_invitation_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(db):
    """Five member organisations, each with its steering-group representative."""
    reps = []
    for name in ["Aby", "Bby", "Cby", "Dby", "Eby"]:
        organisation = MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation
        reps.append(RepresentativeFactory(organisation=organisation, position="primary", steering_group=True))
    return reps


@pytest.fixture
def submitted_draft(secretariat_user):
    """Goal 5: version 1 in force, version 2 through both hearings (closed), ready to be put on a steering-group
    agenda, which submits it."""
    reference.load()
    version = goal_in_force(secretariat_user)
    plan = services.work_plan_create(year=timezone.localdate().year, by=secretariat_user)
    item = services.work_plan_item_add(
        plan=plan,
        kind=WorkPlanItem.Kind.REVISION,
        goal=version.goal,
        product_area=version.goal.product_area,
        title="Revision af rengøring",
        by=secretariat_user,
    )
    group = services.working_group_create(item=item, facilitator=secretariat_user, by=secretariat_user)
    draft = group.draft
    criterion = draft.criteria.get()
    goal_services.criterion_update(
        criterion=criterion, by=secretariat_user, text="Svanemærket eller EU-Blomsten.", kind="requirement"
    )
    services.hearing_open(version=draft, kind="internal", closes_at=in_days(7), by=secretariat_user)
    industry = services.hearing_open(version=draft, kind="industry", closes_at=in_days(14), by=secretariat_user)
    response = services.hearing_respond(
        hearing=industry, text="Husk EU-Blomsten.", respondent_name="Ann", respondent_organisation="Branchen"
    )
    services.hearing_response_answer(response=response, answer="accepted", text="Tilføjet.", by=secretariat_user)
    services.hearing_close(hearing=industry, by=secretariat_user, reason="Alle har svaret.")
    draft.refresh_from_db()
    return draft


@pytest.fixture
def group_with_open_industry_hearing(secretariat_user):
    """Goal 5: version 2 in its industry hearing, open for two more weeks; the draft and the hearing."""
    reference.load()
    version = goal_in_force(secretariat_user)
    plan = services.work_plan_create(year=timezone.localdate().year, by=secretariat_user)
    item = services.work_plan_item_add(
        plan=plan,
        kind=WorkPlanItem.Kind.REVISION,
        goal=version.goal,
        product_area=version.goal.product_area,
        title="Revision af rengøring",
        by=secretariat_user,
    )
    draft = services.working_group_create(item=item, facilitator=secretariat_user, by=secretariat_user).draft
    services.hearing_open(version=draft, kind="internal", closes_at=in_days(7), by=secretariat_user)
    industry = services.hearing_open(version=draft, kind="industry", closes_at=in_days(14), by=secretariat_user)
    draft.refresh_from_db()
    return draft, industry


def steering_meeting(secretariat_user, *, days: int, title="Styregruppemøde"):
    return services.meeting_create(
        kind="steering_group",
        title=title,
        starts_at=in_days(days),
        place="Miljøstyrelsen, Odense",
        by=secretariat_user,
    )


def adoption_item(meeting, draft, secretariat_user, effective_date=None):
    return services.agenda_item_add(
        meeting=meeting,
        title="Vedtagelse af mål 5, version 2",
        version=draft,
        effective_date=effective_date or timezone.localdate(meeting.starts_at) + timedelta(days=30),
        by=secretariat_user,
    )


def attend(meeting, reps, secretariat_user):
    return services.attendance_record(meeting=meeting, users=[r.user for r in reps], by=secretariat_user)


class TestQuorum:
    def test_a_decision_without_quorum_is_refused_with_the_reason(self, steering, submitted_draft, secretariat_user):
        # given a steering-group meeting today where 2 of the 5 member organisations are present
        meeting = steering_meeting(secretariat_user, days=0)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        item = adoption_item(meeting, submitted_draft, secretariat_user, effective_date=timezone.localdate())
        attend(meeting, steering[:2], secretariat_user)
        # when the secretariat records a vote
        votes = [(r.organisation, "for") for r in steering[:2]]
        with pytest.raises(ValidationError) as refused:
            services.decision_record(item=item, proposal="Vedtag version 2.", votes=votes, by=secretariat_user)
        # then it is refused, saying how many are present and how many are needed; nothing is adopted
        assert "ikke beslutningsdygtigt" in refused.value.messages[0]
        assert "2 af 5" in refused.value.messages[0]
        assert "mindst 3" in refused.value.messages[0]
        assert not Decision.objects.exists()
        submitted_draft.refresh_from_db()
        assert submitted_draft.status == GoalVersion.Status.SUBMITTED

    @pytest.mark.parametrize(
        ("eligible", "percent", "minimum", "needed"), [(5, 50, 3, 3), (10, 50, 3, 6), (2, 50, 2, 2)]
    )
    def test_quorum_is_more_than_the_share_and_at_least_the_minimum(self, eligible, percent, minimum, needed):
        from workgroups.models import Body

        assert Body(kind="move", quorum_percent=percent, min_present=minimum).quorum_needed(eligible) == needed

    def test_the_database_refuses_a_decision_below_its_quorum(self, steering, submitted_draft, secretariat_user):
        meeting = steering_meeting(secretariat_user, days=0)
        item = adoption_item(meeting, submitted_draft, secretariat_user)
        with pytest.raises(IntegrityError), transaction.atomic():
            Decision.objects.create(item=item, proposal="x", outcome="carried", eligible=5, present=2, quorum=3)


@pytest.fixture
def meeting_now(steering, submitted_draft, secretariat_user):
    """A steering-group meeting that began an hour ago, the draft on its agenda, four organisations present."""
    meeting = steering_meeting(secretariat_user, days=1)
    item = adoption_item(
        meeting, submitted_draft, secretariat_user, effective_date=timezone.localdate() + timedelta(10)
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    meeting.refresh_from_db()
    attend(meeting, steering[:4], secretariat_user)
    return meeting, item


class TestVotes:
    def test_a_second_vote_by_the_same_organisation_is_refused(self, meeting_now, steering, secretariat_user):
        _meeting, item = meeting_now
        org = steering[0].organisation
        votes = [(org, "for"), (steering[1].organisation, "for"), (org, "against")]
        with pytest.raises(ValidationError, match="har allerede stemt"):
            services.decision_record(item=item, proposal="Vedtag.", votes=votes, by=secretariat_user)
        assert not Vote.objects.exists()

    def test_the_database_keeps_one_vote_per_organisation(self, meeting_now, steering, secretariat_user):
        _meeting, item = meeting_now
        decision = services.decision_record(
            item=item, proposal="Vedtag.", votes=[(steering[0].organisation, "for")], by=secretariat_user
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            Vote.objects.create(decision=decision, organisation=steering[0].organisation, choice="against")

    def test_an_organisation_not_present_cannot_vote(self, meeting_now, steering, secretariat_user):
        _meeting, item = meeting_now
        absent = steering[4].organisation
        with pytest.raises(ValidationError, match="ikke til stede"):
            services.decision_record(item=item, proposal="Vedtag.", votes=[(absent, "for")], by=secretariat_user)

    def test_an_item_is_decided_once(self, meeting_now, steering, secretariat_user):
        _meeting, item = meeting_now
        votes = [(r.organisation, "for") for r in steering[:4]]
        services.decision_record(item=item, proposal="Vedtag.", votes=votes, by=secretariat_user)
        with pytest.raises(ValidationError, match="allerede besluttet"):
            services.decision_record(item=item, proposal="Igen.", votes=votes, by=secretariat_user)

    def test_a_decision_is_not_recorded_before_the_meeting(self, steering, submitted_draft, secretariat_user):
        meeting = steering_meeting(secretariat_user, days=5)
        item = adoption_item(meeting, submitted_draft, secretariat_user)
        with pytest.raises(ValidationError, match="ikke før"):
            services.decision_record(item=item, proposal="Vedtag.", votes=[], by=secretariat_user)

    def test_a_tie_is_not_carried_and_the_draft_stays_submitted(self, meeting_now, steering, secretariat_user):
        _meeting, item = meeting_now
        votes = [
            (steering[0].organisation, "for"),
            (steering[1].organisation, "against"),
            (steering[2].organisation, "abstain"),
        ]
        decision = services.decision_record(item=item, proposal="Vedtag.", votes=votes, by=secretariat_user)
        assert decision.outcome == Decision.Outcome.NOT_CARRIED
        assert (decision.votes_for, decision.votes_against, decision.abstentions) == (1, 1, 1)
        assert (decision.present, decision.eligible, decision.quorum) == (4, 5, 3)
        item.version.refresh_from_db()
        assert item.version.status == GoalVersion.Status.SUBMITTED


class TestAdoptionAndPublication:
    def test_adopting_schedules_publication_and_beat_publishes_once(
        self, meeting_now, steering, secretariat_user, client
    ):
        # given a carried vote on the draft, in force ten days after today
        meeting, item = meeting_now
        votes = [(r.organisation, "for") for r in steering[:3]] + [(steering[3].organisation, "against")]
        decision = services.decision_record(item=item, proposal="Vedtag.", votes=votes, by=secretariat_user)
        draft = GoalVersion.objects.get(pk=item.version_id)
        # then the draft is adopted on the meeting's day, and not yet in force
        assert decision.outcome == Decision.Outcome.CARRIED
        assert draft.status == GoalVersion.Status.ADOPTED
        assert draft.adopted_on == timezone.localdate(meeting.starts_at)
        assert draft.goal.versions.get(number=1).status == GoalVersion.Status.PUBLISHED
        # and editing the adopted draft is refused
        with pytest.raises(ValidationError, match="Kun en kladde"):
            goal_services.goal_version_update(version=draft, by=secretariat_user, title="Ændret")
        # when the beat task runs on the effective date, twice
        effective = item.effective_date
        assert goal_services.goal_versions_publish_due(today=effective - timedelta(days=1)) == 0
        assert goal_services.goal_versions_publish_due(today=effective) == 1
        assert goal_services.goal_versions_publish_due(today=effective) == 0
        # then version 2 is in force and version 1 superseded
        draft.refresh_from_db()
        assert draft.status == GoalVersion.Status.PUBLISHED
        assert draft.goal.versions.get(number=1).status == GoalVersion.Status.SUPERSEDED
        # and the public redline shows the change
        page = client.get(reverse("goals:compare", kwargs={"number": 5, "slug": draft.goal.slug}))
        assert "EU-Blomsten" in page.content.decode()

    def test_a_version_in_force_from_today_is_published_at_once(
        self, steering, submitted_draft, secretariat_user, django_capture_on_commit_callbacks
    ):
        meeting = steering_meeting(secretariat_user, days=0)
        item = adoption_item(meeting, submitted_draft, secretariat_user, effective_date=timezone.localdate())
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        attend(Meeting.objects.get(pk=meeting.pk), steering[:3], secretariat_user)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_record(
                item=item,
                proposal="Vedtag.",
                votes=[(r.organisation, "for") for r in steering[:3]],
                by=secretariat_user,
            )
        submitted_draft.refresh_from_db()
        assert submitted_draft.status == GoalVersion.Status.PUBLISHED

    def test_only_the_steering_group_decides_a_draft(self, submitted_draft, secretariat_user, steering):
        group = submitted_draft.working_groups.get()
        meeting = services.meeting_create(
            kind="working_group", working_group=group, title="AG-møde", starts_at=in_days(3), place="Online", by=None
        )
        with pytest.raises(ValidationError, match="styregruppen"):
            adoption_item(meeting, submitted_draft, secretariat_user)

    def test_a_draft_goes_to_the_steering_group_only_after_the_hearings(self, secretariat_user, submitted_draft):
        fresh = goal_services.goal_create(
            number=9,
            title="Papir",
            product_area=submitted_draft.goal.product_area,
            statement="Papir.",
            by=secretariat_user,
        )
        meeting = steering_meeting(secretariat_user, days=3)
        with pytest.raises(ValidationError, match="høringerne"):
            adoption_item(meeting, fresh, secretariat_user)


class TestApplicationsAndWorkPlan:
    def test_an_approved_application_makes_an_active_member(
        self, steering, secretariat_user, mailoutbox, django_capture_on_commit_callbacks
    ):
        pending = MembershipFactory(
            status=Membership.Status.APPLIED, joined_on=None, contact_email="kontakt@styrelse.dk"
        )
        meeting = steering_meeting(secretariat_user, days=0)
        item = services.agenda_item_add(meeting=meeting, title="Ansøgning", membership=pending, by=secretariat_user)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        attend(Meeting.objects.get(pk=meeting.pk), steering[:3], secretariat_user)
        with django_capture_on_commit_callbacks(execute=True):
            services.decision_record(
                item=item,
                proposal="Godkend.",
                votes=[(r.organisation, "for") for r in steering[:3]],
                by=secretariat_user,
            )
        pending.refresh_from_db()
        assert pending.status == Membership.Status.ACTIVE
        assert pending.transition_until is not None
        assert any("kontakt@styrelse.dk" in m.to for m in mailoutbox)

    def test_a_rejected_application_keeps_the_reason(self, steering, secretariat_user):
        pending = MembershipFactory(status=Membership.Status.APPLIED, joined_on=None)
        meeting = steering_meeting(secretariat_user, days=0)
        item = services.agenda_item_add(meeting=meeting, title="Ansøgning", membership=pending, by=secretariat_user)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        attend(Meeting.objects.get(pk=meeting.pk), steering[:3], secretariat_user)
        services.decision_record(
            item=item,
            proposal="Godkend.",
            votes=[(r.organisation, "against") for r in steering[:3]],
            by=secretariat_user,
        )
        pending.refresh_from_db()
        assert pending.status == Membership.Status.REJECTED
        assert "styregruppen" in pending.decision_reason.lower()

    def test_a_carried_work_plan_is_marked_decided(self, steering, secretariat_user):
        plan = services.work_plan_create(year=2031, by=secretariat_user)
        meeting = steering_meeting(secretariat_user, days=0)
        item = services.agenda_item_add(meeting=meeting, title="Arbejdsplan", work_plan=plan, by=secretariat_user)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        attend(Meeting.objects.get(pk=meeting.pk), steering[:3], secretariat_user)
        services.decision_record(
            item=item, proposal="Vedtag.", votes=[(r.organisation, "for") for r in steering[:3]], by=secretariat_user
        )
        plan.refresh_from_db()
        assert plan.decided_on == timezone.localdate()


class TestInvitationAttendanceMinutes:
    def test_the_invitation_is_emailed_once_to_the_steering_group(
        self, steering, submitted_draft, secretariat_user, mailoutbox, django_capture_on_commit_callbacks
    ):
        meeting = steering_meeting(secretariat_user, days=10)
        adoption_item(meeting, submitted_draft, secretariat_user)
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_invite(meeting=meeting, by=secretariat_user)
        assert sorted(m.to[0] for m in mailoutbox) == sorted(r.user.email for r in steering)
        assert "Vedtagelse af mål 5" in mailoutbox[0].body
        assert "Invitation" in mailoutbox[0].subject or "Indkaldelse" in mailoutbox[0].subject
        # the task run again for the same request sends nothing more
        meeting.refresh_from_db()
        assert meeting_invitation_send(meeting.pk, meeting.invitation_requested_at.isoformat()) == 0
        assert len(mailoutbox) == len(steering)

    def test_no_invitation_without_an_agenda(self, secretariat_user, steering):
        meeting = steering_meeting(secretariat_user, days=10)
        with pytest.raises(ValidationError, match="dagsorden"):
            services.meeting_invite(meeting=meeting, by=secretariat_user)

    def test_attendance_is_refused_before_the_day_and_for_strangers(self, steering, secretariat_user):
        future = steering_meeting(secretariat_user, days=10)
        with pytest.raises(ValidationError, match="dagen"):
            attend(future, steering[:1], secretariat_user)
        today = steering_meeting(secretariat_user, days=0)
        stranger = RepresentativeFactory(position="specialist")
        with pytest.raises(ValidationError, match="ikke deltager"):
            services.attendance_record(meeting=today, users=[stranger.user], by=secretariat_user)

    def test_an_organisation_that_voted_stays_in_the_attendance(self, meeting_now, steering, secretariat_user):
        meeting, item = meeting_now
        services.decision_record(
            item=item, proposal="Vedtag.", votes=[(r.organisation, "for") for r in steering[:3]], by=secretariat_user
        )
        with pytest.raises(ValidationError, match="har stemt"):
            attend(meeting, steering[1:3], secretariat_user)

    def test_minutes_are_approved_at_the_next_meeting_and_then_fixed(self, steering, secretariat_user):
        earlier = steering_meeting(secretariat_user, days=0, title="Forårsmøde")
        Meeting.objects.filter(pk=earlier.pk).update(starts_at=timezone.now() - timedelta(days=180))
        earlier.refresh_from_db()
        later = steering_meeting(secretariat_user, days=0, title="Efterårsmøde")
        with pytest.raises(ValidationError, match="Der er intet referat"):
            services.minutes_approve(meeting=earlier, at=later, by=secretariat_user)
        services.minutes_save(meeting=earlier, text="Styregruppen vedtog arbejdsplanen.", by=secretariat_user)
        older = steering_meeting(secretariat_user, days=0, title="Vintermøde")
        Meeting.objects.filter(pk=older.pk).update(starts_at=timezone.now() - timedelta(days=300))
        older.refresh_from_db()
        with pytest.raises(ValidationError, match="senere møde"):
            services.minutes_approve(meeting=earlier, at=older, by=secretariat_user)
        services.minutes_approve(meeting=earlier, at=later, by=secretariat_user)
        earlier.refresh_from_db()
        assert earlier.minutes_approved_in == later
        with pytest.raises(ValidationError, match="godkendt"):
            services.minutes_save(meeting=earlier, text="Ændret.", by=secretariat_user)
        assert selectors.minutes_awaiting_approval(meeting=later) == []

    def test_minutes_are_written_after_the_meeting(self, secretariat_user, steering):
        meeting = steering_meeting(secretariat_user, days=3)
        with pytest.raises(ValidationError, match="efter mødet"):
            services.minutes_save(meeting=meeting, text="For tidligt.", by=secretariat_user)


class TestSteeringGroupReview:
    def test_members_comment_per_criterion_before_the_meeting(
        self, steering, submitted_draft, secretariat_user, client
    ):
        meeting = steering_meeting(secretariat_user, days=7)
        adoption_item(meeting, submitted_draft, secretariat_user)
        member = steering[0].user
        criterion = submitted_draft.criteria.get()
        client.force_login(member)
        url = reverse("workgroups:draft-review", kwargs={"pk": submitted_draft.pk})
        # the page shows the redline against the version in force and the hearing memo
        page = client.get(url).content.decode()
        assert "EU-Blomsten" in page and "<ins>" in page
        assert "Husk EU-Blomsten." in page and "Tilføjet." in page
        # a comment on the criterion is kept with the member's organisation
        response = client.post(url, {"criterion": criterion.pk, "text": "Godt med EU-Blomsten."})
        assert response.status_code == 302
        comment = DraftComment.objects.get()
        assert (comment.criterion, comment.organisation) == (criterion, steering[0].organisation)
        assert "Godt med EU-Blomsten." in client.get(url).content.decode()

    def test_an_empty_comment_is_refused_with_a_danish_message(
        self, steering, submitted_draft, secretariat_user, client
    ):
        meeting = steering_meeting(secretariat_user, days=7)
        adoption_item(meeting, submitted_draft, secretariat_user)
        client.force_login(steering[0].user)
        response = client.post(reverse("workgroups:draft-review", kwargs={"pk": submitted_draft.pk}), {"text": " "})
        assert response.status_code == 400
        assert "Dette felt er påkrævet" in response.content.decode()

    def test_comments_close_when_the_meeting_begins(self, steering, submitted_draft, secretariat_user):
        meeting = steering_meeting(secretariat_user, days=7)
        adoption_item(meeting, submitted_draft, secretariat_user)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
        with pytest.raises(ValidationError, match="tidspunkt er passeret"):
            services.draft_comment_add(version=submitted_draft, text="For sent.", by=steering[0].user)

    def test_a_representative_outside_the_steering_group_does_not_see_the_draft(
        self, steering, submitted_draft, secretariat_user, client
    ):
        meeting = steering_meeting(secretariat_user, days=7)
        adoption_item(meeting, submitted_draft, secretariat_user)
        outsider = RepresentativeFactory(organisation=steering[0].organisation, position="specialist")
        client.force_login(outsider.user)
        assert client.get(reverse("workgroups:draft-review", kwargs={"pk": submitted_draft.pk})).status_code == 404
        assert client.get(reverse("workgroups:meeting-detail", kwargs={"pk": meeting.pk})).status_code == 404


class TestPages:
    def test_recording_a_vote_without_quorum_keeps_the_input(self, steering, submitted_draft, secretariat_user, client):
        meeting = steering_meeting(secretariat_user, days=0)
        item = adoption_item(meeting, submitted_draft, secretariat_user, effective_date=timezone.localdate())
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        attend(Meeting.objects.get(pk=meeting.pk), steering[:2], secretariat_user)
        client.force_login(secretariat_user)
        url = reverse("workgroups:decision-record", kwargs={"pk": item.pk})
        data = {"proposal": "Vedtag version 2 som foreslået.", f"vote_{steering[0].organisation.pk}": "for"}
        response = client.post(url, data)
        page = response.content.decode()
        assert response.status_code == 400
        assert "ikke beslutningsdygtigt" in page
        assert "Vedtag version 2 som foreslået." in page
        assert not Decision.objects.exists()

    def test_the_meeting_page_shows_the_decision_and_votes(self, meeting_now, steering, secretariat_user, client):
        meeting, item = meeting_now
        client.force_login(secretariat_user)
        url = reverse("workgroups:decision-record", kwargs={"pk": item.pk})
        data = {"proposal": "Vedtag version 2."}
        data |= {f"vote_{r.organisation.pk}": "for" for r in steering[:3]}
        data[f"vote_{steering[3].organisation.pk}"] = "abstain"
        response = client.post(url, data)
        assert response.status_code == 302
        client.force_login(steering[4].user)  # a steering-group member who was absent still reads the outcome
        page = client.get(meeting.get_absolute_url()).content.decode()
        assert "Vedtaget" in page
        assert "3 for, 0 imod, 1 hverken for eller imod" in page

    def test_a_bad_agenda_item_comes_back_with_its_input(self, steering, secretariat_user, client):
        meeting = services.meeting_create(
            kind="move", title="Move-møde", starts_at=in_days(4), place="Online", by=secretariat_user
        )
        client.force_login(secretariat_user)
        response = client.post(
            reverse("workgroups:agenda-item-add", kwargs={"pk": meeting.pk}),
            {"item-title": "", "item-kind": "information", "item-description": "Status på projekter"},
        )
        assert response.status_code == 400
        assert "Status på projekter" in response.content.decode()

    def test_a_document_that_is_not_a_pdf_is_refused(self, steering, submitted_draft, secretariat_user, client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        meeting = steering_meeting(secretariat_user, days=7)
        item = adoption_item(meeting, submitted_draft, secretariat_user)
        client.force_login(secretariat_user)
        fake = SimpleUploadedFile("notat.pdf", b"not a pdf", content_type="application/pdf")
        response = client.post(
            reverse("workgroups:agenda-document-add", kwargs={"pk": meeting.pk}),
            {"doc-item": item.pk, "doc-title": "Notat", "doc-file": fake},
        )
        assert response.status_code == 400
        assert "ikke et PDF-dokument" in response.content.decode()


class TestQueryCounts:
    def _meeting_with(self, n, secretariat_user, submitted_draft):
        reps = []
        for i in range(n):
            organisation = MembershipFactory(organisation=OrganisationFactory(name=f"Kommune {i:03}")).organisation
            reps.append(RepresentativeFactory(organisation=organisation, position="primary", steering_group=True))
        meeting = steering_meeting(secretariat_user, days=0, title=f"Møde {n}")
        item = adoption_item(
            meeting, submitted_draft, secretariat_user, effective_date=timezone.localdate() + timedelta(5)
        )
        for i in range(n):
            services.agenda_item_add(meeting=meeting, title=f"Orientering {i}", by=secretariat_user)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        meeting.refresh_from_db()
        attend(meeting, reps, secretariat_user)
        services.decision_record(
            item=item, proposal="Vedtag.", votes=[(r.organisation, "for") for r in reps], by=secretariat_user
        )
        return meeting, reps

    @pytest.mark.parametrize("n", [3, 30])
    def test_the_meeting_page_is_flat_in_attendees_items_and_votes(
        self, n, secretariat_user, submitted_draft, client, django_assert_num_queries
    ):
        meeting, reps = self._meeting_with(n, secretariat_user, submitted_draft)
        client.force_login(reps[0].user)
        with django_assert_num_queries(9):
            assert client.get(meeting.get_absolute_url()).status_code == 200
        client.force_login(secretariat_user)
        with django_assert_num_queries(16):
            assert client.get(meeting.get_absolute_url()).status_code == 200

    @pytest.mark.parametrize("n", [2, 20])
    def test_the_review_page_is_flat_in_comments_and_responses(
        self, n, steering, submitted_draft, secretariat_user, client, django_assert_num_queries
    ):
        meeting = steering_meeting(secretariat_user, days=7)
        adoption_item(meeting, submitted_draft, secretariat_user)
        criterion = submitted_draft.criteria.get()
        for i in range(n):
            services.draft_comment_add(
                version=submitted_draft, criterion=criterion, text=f"Kommentar {i}", by=steering[i % 5].user
            )
        client.force_login(steering[0].user)
        with django_assert_num_queries(20):
            assert client.get(reverse("workgroups:draft-review", kwargs={"pk": submitted_draft.pk})).status_code == 200

    def test_the_meeting_list_is_flat(self, steering, secretariat_user, client, django_assert_num_queries):
        for i in range(12):
            steering_meeting(secretariat_user, days=i - 6, title=f"Møde {i}")
        client.force_login(steering[0].user)
        with django_assert_num_queries(6):
            assert client.get(reverse("workgroups:meeting-list")).status_code == 200


def test_years_are_written_without_a_thousand_separator(submitted_draft, client):
    # given this year's work plan, when the public reads the overview, then the year reads 2026, not 2.026
    year = timezone.localdate().year
    page = client.get(reverse("workgroups:overview")).content.decode()
    assert f"Arbejdsplan {year}" in page
    assert f"{year // 1000}.{year % 1000:03}" not in page


def test_a_document_gone_from_storage_is_not_found_rather_than_an_error(
    steering, submitted_draft, secretariat_user, client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.demo import minimal_pdf

    # given a document on a coming meeting's agenda whose file has since disappeared from storage
    meeting = steering_meeting(secretariat_user, days=7)
    item = adoption_item(meeting, submitted_draft, secretariat_user)
    upload = SimpleUploadedFile("notat.pdf", minimal_pdf("notat"), content_type="application/pdf")
    document = services.agenda_document_add(item=item, title="Notat", upload=upload, by=secretariat_user)
    url = reverse("workgroups:meeting-document", kwargs={"pk": document.pk})
    client.force_login(steering[0].user)
    assert client.get(url)["Content-Disposition"].startswith('attachment; filename="notat.pdf"')
    document.file.storage.delete(document.file.name)
    # when a steering-group member asks for it, then the answer is 404, not a server error
    assert client.get(url).status_code == 404


class TestOneRoutePerDecision:
    """A draft reaches the steering group by its agenda, is adopted by a carried vote there, and nowhere else."""

    def test_putting_a_draft_on_the_agenda_submits_it_only_after_its_industry_hearing(
        self, secretariat_user, group_with_open_industry_hearing
    ):
        draft, industry = group_with_open_industry_hearing
        meeting = steering_meeting(secretariat_user, days=10)
        # while the industry hearing is open, the draft is not offered and a forged post is refused
        from workgroups.forms import AgendaItemForm

        assert draft not in AgendaItemForm(meeting=meeting).fields["version"].queryset
        with pytest.raises(ValidationError, match="stadig åben"):
            adoption_item(meeting, draft, secretariat_user)
        draft.refresh_from_db()
        assert draft.status == GoalVersion.Status.INDUSTRY_HEARING
        # once it has closed, the agenda takes it and the draft is submitted
        services.hearing_close(hearing=industry, by=secretariat_user, reason="Alle brancheforeninger har svaret.")
        assert draft in AgendaItemForm(meeting=meeting).fields["version"].queryset
        adoption_item(meeting, draft, secretariat_user)
        draft.refresh_from_db()
        assert draft.status == GoalVersion.Status.SUBMITTED
        assert draft.history.first().history_user == secretariat_user

    def test_a_draft_waits_for_one_decision_at_a_time(self, secretariat_user, submitted_draft):
        first = steering_meeting(secretariat_user, days=10)
        second = steering_meeting(secretariat_user, days=40)
        adoption_item(first, submitted_draft, secretariat_user)
        with pytest.raises(ValidationError, match="allerede på dagsordenen"):
            adoption_item(second, submitted_draft, secretariat_user)

    def test_a_draft_taken_off_the_agenda_can_go_back_to_the_working_group(self, secretariat_user, submitted_draft):
        meeting = steering_meeting(secretariat_user, days=10)
        item = adoption_item(meeting, submitted_draft, secretariat_user)
        # sending it back while it waits for its decision is refused
        with pytest.raises(ValidationError, match="tag det af dagsordenen"):
            goal_services.goal_version_return_to_draft(
                version=submitted_draft, by=secretariat_user, reason="Kriterium 5.a skal rettes."
            )
        # nor can the secretariat register it as adopted from "the records"
        with pytest.raises(ValidationError, match="ligger hos styregruppen"):
            goal_services.goal_version_register_adopted(
                version=submitted_draft,
                by=secretariat_user,
                adopted_on=timezone.localdate(),
                effective_date=timezone.localdate(),
                reason="Aftalt pr. telefon med formanden.",
            )
        services.agenda_item_remove(item=item, by=secretariat_user)
        assert not meeting.items.exists()
        draft = goal_services.goal_version_return_to_draft(
            version=submitted_draft, by=secretariat_user, reason="Kriterium 5.a skal rettes."
        )
        assert draft.status == GoalVersion.Status.DRAFT
        # and after the change it goes to the steering group again, without new hearings
        adoption_item(meeting, draft, secretariat_user)
        draft.refresh_from_db()
        assert draft.status == GoalVersion.Status.SUBMITTED

    def test_a_decided_item_stays_on_the_agenda(self, steering, secretariat_user, submitted_draft):
        meeting = steering_meeting(secretariat_user, days=0)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
        item = adoption_item(meeting, submitted_draft, secretariat_user, effective_date=timezone.localdate())
        attend(meeting, steering, secretariat_user)
        services.decision_record(
            item=item, proposal="Vedtag.", votes=[(r.organisation, "against") for r in steering], by=secretariat_user
        )
        with pytest.raises(ValidationError, match="besluttet"):
            services.agenda_item_remove(item=item, by=secretariat_user)

    def test_after_the_decision_the_other_agenda_item_says_it_is_decided(
        self, steering, secretariat_user, submitted_draft, client
    ):
        # given the draft on a coming meeting's agenda, and (from before this rule) on today's meeting too
        coming = steering_meeting(secretariat_user, days=14)
        stale = adoption_item(coming, submitted_draft, secretariat_user)
        today = steering_meeting(secretariat_user, days=0)
        Meeting.objects.filter(pk=today.pk).update(starts_at=earlier_today())
        today.refresh_from_db()
        from workgroups.models import AgendaItem

        item = AgendaItem.objects.create(
            meeting=today,
            title="Vedtagelse",
            kind="decision",
            version=submitted_draft,
            effective_date=timezone.localdate(),
        )
        attend(today, steering, secretariat_user)
        # when the steering group carries it today
        services.decision_record(
            item=item, proposal="Vedtag.", votes=[(r.organisation, "for") for r in steering], by=secretariat_user
        )
        submitted_draft.refresh_from_db()
        assert submitted_draft.status in (GoalVersion.Status.ADOPTED, GoalVersion.Status.PUBLISHED)
        # then the coming meeting's item says so and offers no vote, the review page too,
        # the dashboard no longer lists it, and a forged decision on it is refused with the reason
        client.force_login(secretariat_user)
        page = client.get(coming.get_absolute_url())
        assert "allerede besluttet" in page.text
        assert reverse("workgroups:decision-record", kwargs={"pk": stale.pk}) not in page.text
        review = client.get(reverse("workgroups:draft-review", kwargs={"pk": submitted_draft.pk}))
        assert "allerede besluttet" in review.text
        assert not selectors.drafts_for_review(user=steering[0].user)
        Meeting.objects.filter(pk=coming.pk).update(starts_at=earlier_today())
        with pytest.raises(ValidationError, match="ligger ikke længere hos styregruppen"):
            services.decision_record(
                item=stale, proposal="Vedtag.", votes=[(r.organisation, "for") for r in steering], by=secretariat_user
            )

    def test_the_secretariat_takes_an_item_off_the_agenda_from_the_meeting_page(
        self, secretariat_user, submitted_draft, client, rep_a
    ):
        meeting = steering_meeting(secretariat_user, days=10)
        item = adoption_item(meeting, submitted_draft, secretariat_user)
        url = reverse("workgroups:agenda-item-remove", kwargs={"pk": item.pk})
        client.force_login(rep_a)
        assert client.post(url).status_code == 403
        client.force_login(secretariat_user)
        response = client.post(url, follow=True)
        assert "Punktet er taget af dagsordenen." in response.text
        assert not meeting.items.exists()


class TestNoStepBehindAHearingOrADecision:
    def test_a_version_with_an_open_hearing_is_neither_sent_back_nor_withdrawn(
        self, secretariat_user, group_with_open_industry_hearing
    ):
        draft, _industry = group_with_open_industry_hearing
        for step in (goal_services.goal_version_return_to_draft, goal_services.goal_version_withdraw):
            with pytest.raises(ValidationError, match="er åben til"):
                step(version=draft, by=secretariat_user, reason="Forsøg.")
        draft.refresh_from_db()
        assert draft.status == GoalVersion.Status.INDUSTRY_HEARING

    def test_a_version_that_had_its_hearings_here_is_not_registered_from_the_records(
        self, secretariat_user, submitted_draft
    ):
        with pytest.raises(ValidationError, match="været i høring i portalen"):
            goal_services.goal_version_register_adopted(
                version=submitted_draft,
                by=secretariat_user,
                adopted_on=timezone.localdate(),
                effective_date=timezone.localdate(),
                reason="Aftalt pr. telefon med formanden.",
            )

    def test_a_draft_on_the_agenda_is_not_withdrawn_behind_the_meeting(self, secretariat_user, submitted_draft):
        adoption_item(steering_meeting(secretariat_user, days=10), submitted_draft, secretariat_user)
        with pytest.raises(ValidationError, match="tag det af dagsordenen"):
            goal_services.goal_version_withdraw(version=submitted_draft, by=secretariat_user, reason="Udgår.")

    def test_the_version_page_offers_only_the_steps_that_can_be_taken(self, client, secretariat_user, submitted_draft):
        client.force_login(secretariat_user)
        page = client.get(reverse("goals:manage-version", kwargs={"pk": submitted_draft.pk}))
        names = [name for name, _spec in page.context["actions"]]
        assert "register" not in names  # its hearings were held here
        adoption_item(steering_meeting(secretariat_user, days=10), submitted_draft, secretariat_user)
        page = client.get(reverse("goals:manage-version", kwargs={"pk": submitted_draft.pk}))
        assert [name for name, _spec in page.context["actions"]] == []  # waiting for its decision

    def test_an_item_with_a_draft_is_for_decision_and_the_page_says_so(self, client, secretariat_user, submitted_draft):
        meeting = steering_meeting(secretariat_user, days=10)
        client.force_login(secretariat_user)
        data = {
            "item-title": "Mål 5",
            "item-kind": "information",
            "item-version": submitted_draft.pk,
            "item-effective_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
        }
        response = client.post(reverse("workgroups:agenda-item-add", kwargs={"pk": meeting.pk}), data, follow=True)
        assert "sat på dagsordenen til beslutning" in response.text
        assert meeting.items.get().kind == "decision"

    def test_taking_an_item_off_asks_first(self, client, secretariat_user, submitted_draft):
        meeting = steering_meeting(secretariat_user, days=10)
        item = adoption_item(meeting, submitted_draft, secretariat_user)
        client.force_login(secretariat_user)
        page = client.get(reverse("workgroups:agenda-item-remove", kwargs={"pk": item.pk}))
        assert page.status_code == 200 and "Tag punktet af dagsordenen?" in page.text
        assert meeting.items.count() == 1
