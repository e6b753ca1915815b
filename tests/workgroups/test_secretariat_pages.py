"""The secretariat's revision-cycle desk: work plans, working groups, hearings and the hearing memo, through the pages."""

import datetime
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.demo import minimal_pdf
from tests.conftest import service_missing
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, in_days
from workgroups import services
from workgroups.models import Hearing, HearingResponse, WorkingGroup, WorkingGroupMember, WorkPlan

pytestmark = pytest.mark.django_db


def local_input(moment) -> str:
    """A moment as a datetime-local field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def representative(name: str, *, steering: bool = False):
    org = MembershipFactory(organisation=OrganisationFactory(name=name)).organisation
    return RepresentativeFactory(
        organisation=org,
        position="deputy" if steering else "primary",
        steering_group=steering,
        user__name=f"Rep {name}",
    )


def hearing_with_responses(group, secretariat_user, *, n: int, answered: int = 0) -> Hearing:
    """The group's draft in internal hearing, with `n` responses from as many member representatives."""
    hearing = services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(14), by=secretariat_user)
    criterion = group.draft.criteria.first()
    for i in range(n):
        rep = representative(f"Kommune R{i}")
        response = services.hearing_respond(
            hearing=hearing,
            user=rep.user,
            respondent_name="",
            respondent_organisation="",
            text=f"Høringssvar nummer {i}.",
            criterion=criterion if i % 2 else None,
        )
        if i < answered:
            services.hearing_response_answer(
                response=response, answer="partly", text=f"Svar til nummer {i}.", by=secretariat_user
            )
    return hearing


class TestDesk:
    def test_plan_item_and_working_group_are_created_through_the_pages(self, secretariat_client, goal_in_force):
        # given the desk
        desk = reverse("workgroups:manage-desk")
        assert secretariat_client.get(desk).status_code == 200

        # when the secretariat creates the 2026 plan
        response = secretariat_client.post(
            reverse("workgroups:manage-plan-create"), {"year": "2026", "decided_on": "2026-03-01", "note": "Forår"}
        )
        # then it is on the desk
        assert response.status_code == 302
        plan = WorkPlan.objects.get(year=2026)
        assert plan.decided_on == datetime.date(2026, 3, 1)

        # when it puts the revision of goal 5 on the plan
        response = secretariat_client.post(
            reverse("workgroups:manage-plan-item-add", kwargs={"pk": plan.pk}),
            {
                f"plan{plan.pk}-kind": "revision",
                f"plan{plan.pk}-goal": goal_in_force.goal.pk,
                f"plan{plan.pk}-product_area": goal_in_force.goal.product_area.pk,
                f"plan{plan.pk}-title": "Revision af rengøring",
                f"plan{plan.pk}-rationale": "Nye kriterier for Svanemærket.",
            },
        )
        assert response.status_code == 302
        item = plan.items.get()
        page = secretariat_client.get(desk).content.decode()
        assert "Revision af rengøring" in page
        assert reverse("workgroups:manage-group-create", kwargs={"pk": item.pk}) in page

        # and sets up its working group
        response = secretariat_client.post(
            reverse("workgroups:manage-group-create", kwargs={"pk": item.pk}),
            {f"item{item.pk}-facilitator": "", f"item{item.pk}-terms_of_reference": "Revider målet."},
        )
        # then the group exists, drafts version 2, and its page opens
        group = WorkingGroup.objects.get(item=item)
        assert response.status_code == 302
        assert response["Location"] == reverse("workgroups:manage-group", kwargs={"slug": group.slug})
        assert group.draft.number == 2
        page = secretariat_client.get(response["Location"]).content.decode()
        assert reverse("goals:manage-version", kwargs={"pk": group.draft.pk}) in page
        # and the desk links to the group instead of offering to create it
        page = secretariat_client.get(desk).content.decode()
        assert reverse("workgroups:manage-group", kwargs={"slug": group.slug}) in page
        assert reverse("workgroups:manage-group-create", kwargs={"pk": item.pk}) not in page

    def test_a_second_plan_for_a_year_is_refused_in_danish_with_the_input_kept(self, secretariat_client, group):
        # when the secretariat creates a plan for a year that already has one
        response = secretariat_client.post(
            reverse("workgroups:manage-plan-create"), {"year": "2026", "note": "Min vigtige note"}
        )
        # then the page says why, in Danish, and keeps what was typed
        assert response.status_code == 200
        page = response.content.decode()
        assert "Der findes allerede en arbejdsplan for 2026." in page
        assert "Min vigtige note" in page
        assert WorkPlan.objects.count() == 1

    def test_a_revision_without_a_goal_is_refused_with_the_input_kept(self, secretariat_client, group):
        plan = group.item.plan
        response = secretariat_client.post(
            reverse("workgroups:manage-plan-item-add", kwargs={"pk": plan.pk}),
            {
                f"plan{plan.pk}-kind": "revision",
                f"plan{plan.pk}-product_area": group.goal.product_area.pk,
                f"plan{plan.pk}-title": "Fødevarer i kantinen",
            },
        )
        assert response.status_code == 200
        assert "Fødevarer i kantinen" in response.content.decode()
        assert plan.items.count() == 1

    def test_desk_shows_the_kpi_and_open_hearings_with_unanswered_responses(
        self, secretariat_client, group, secretariat_user
    ):
        # given an open hearing with three responses, one answered
        hearing = hearing_with_responses(group, secretariat_user, n=3, answered=1)
        # when the secretariat opens the desk
        response = secretariat_client.get(reverse("workgroups:manage-desk"))
        # then the hearing is listed with its two unanswered responses, and the KPI target is shown
        page = response.content.decode()
        assert reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk}) in page
        assert "<strong>2</strong>" in page
        assert response.context["kpi_now"]["target"] == 3


class TestWorkingGroupPage:
    def test_warning_disappears_with_five_members_a_steering_group_member_and_a_chair(self, secretariat_client, group):
        url = reverse("workgroups:manage-group", kwargs={"slug": group.slug})
        add = reverse("workgroups:manage-member-add", kwargs={"slug": group.slug})
        reps = [representative(f"Kommune {i}") for i in range(4)] + [representative("Styreby", steering=True)]
        # given an empty group: the page warns
        page = secretariat_client.get(url).content.decode()
        assert "Ingen i arbejdsgruppen sidder i styregruppen." in page
        assert "Arbejdsgruppen har ingen tovholder." in page

        # when four ordinary representatives join, the first as chair
        for i, rep in enumerate(reps[:4]):
            response = secretariat_client.post(
                add, {"member-representative": rep.pk, "member-is_chair": "on" if i == 0 else ""}
            )
            assert response.status_code == 302
        # then the group still lacks a steering-group member (and a fifth member)
        page = secretariat_client.get(url).content.decode()
        assert "Ingen i arbejdsgruppen sidder i styregruppen." in page
        assert "Arbejdsgruppen har ingen tovholder." not in page
        assert len(secretariat_client.get(url).context["warnings"]) == 2

        # when the steering-group representative joins as the fifth
        secretariat_client.post(add, {"member-representative": reps[4].pk})
        # then no warning is shown, and the members are listed
        response = secretariat_client.get(url)
        page = response.content.decode()
        assert response.context["warnings"] == []
        assert "Ingen i arbejdsgruppen sidder i styregruppen." not in page
        assert "Rep Styreby" in page

    def test_a_second_chair_is_refused_and_a_member_can_be_removed(self, secretariat_client, group, secretariat_user):
        first, second = representative("Aby"), representative("Bby")
        services.working_group_member_add(group=group, user=first.user, is_chair=True, by=secretariat_user)
        response = secretariat_client.post(
            reverse("workgroups:manage-member-add", kwargs={"slug": group.slug}),
            {"member-representative": second.pk, "member-is_chair": "on"},
        )
        assert response.status_code == 200
        assert group.members.count() == 1
        member = group.members.get()
        response = secretariat_client.post(
            reverse("workgroups:manage-member-remove", kwargs={"slug": group.slug, "pk": member.pk})
        )
        assert response.status_code == 302
        assert not WorkingGroupMember.objects.filter(pk=member.pk).exists()

    def test_a_representative_of_a_former_member_cannot_be_chosen(self, secretariat_client, group):
        former = representative("Gammelby")
        former.organisation.memberships.update(status="withdrawn")
        response = secretariat_client.post(
            reverse("workgroups:manage-member-add", kwargs={"slug": group.slug}), {"member-representative": former.pk}
        )
        assert response.status_code == 200
        assert response.context["member_form"].errors
        assert not group.members.exists()

    def test_edit_the_group_and_upload_the_terms_pdf(self, secretariat_client, group, secretariat_user):
        url = reverse("workgroups:manage-group", kwargs={"slug": group.slug})
        data = {
            "name": "Rengøring 2026",
            "facilitator": secretariat_user.pk,
            "terms_of_reference": "Nyt kommissorium.",
        }
        # a file that is not a PDF is refused, and the text typed is kept
        not_pdf = SimpleUploadedFile("kommissorium.pdf", b"just text", content_type="application/pdf")
        response = secretariat_client.post(url, {**data, "terms_pdf": not_pdf})
        assert response.status_code == 200
        assert "Nyt kommissorium." in response.content.decode()
        group.refresh_from_db()
        assert group.name == "Revision af rengøring"
        # a PDF is stored and can be downloaded
        pdf = SimpleUploadedFile("kommissorium.pdf", minimal_pdf("Kommissorium"), content_type="application/pdf")
        response = secretariat_client.post(url, {**data, "terms_pdf": pdf})
        assert response.status_code == 302
        group.refresh_from_db()
        assert (group.name, group.status, group.terms_of_reference) == (
            "Rengøring 2026",
            "planned",
            "Nyt kommissorium.",
        )
        download = secretariat_client.get(reverse("workgroups:manage-group-terms", kwargs={"slug": group.slug}))
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")

    def test_milestones_are_added_and_marked_done(self, secretariat_client, group):
        secretariat_client.post(
            reverse("workgroups:manage-milestone-add", kwargs={"slug": group.slug}),
            {"milestone-title": "Første møde", "milestone-planned_on": "2026-05-01"},
        )
        milestone = group.milestones.get()
        assert milestone.planned_on == datetime.date(2026, 5, 1)
        response = secretariat_client.post(
            reverse("workgroups:manage-milestone-done", kwargs={"slug": group.slug, "pk": milestone.pk}),
            {f"m{milestone.pk}-done_on": "2026-05-02"},
        )
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert milestone.done_on == datetime.date(2026, 5, 2)

    def test_opening_the_internal_hearing_notifies_the_members(
        self, secretariat_client, group, mailoutbox, django_capture_on_commit_callbacks
    ):
        # given two member organisations' representatives
        reps = [representative("Aby"), representative("Bby")]
        # when the secretariat opens the internal hearing through the page
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat_client.post(
                reverse("workgroups:manage-hearing-open", kwargs={"slug": group.slug}),
                {"hearing-kind": "internal", "hearing-closes_at": local_input(in_days(14))},
            )
        # then the hearing is open, the draft is in internal hearing and every representative has an email
        assert response.status_code == 302
        hearing = group.draft.hearings.get()
        assert hearing.kind == "internal" and hearing.is_open
        group.draft.refresh_from_db()
        assert group.draft.status == "internal_hearing"
        assert {m.to[0] for m in mailoutbox} >= {r.user.email for r in reps}
        # and the group page lists it
        page = secretariat_client.get(reverse("workgroups:manage-group", kwargs={"slug": group.slug})).content.decode()
        assert reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk}) in page

    def test_industry_hearing_shows_its_public_link(self, secretariat_client, group, secretariat_user):
        services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(7), by=secretariat_user)
        secretariat_client.post(
            reverse("workgroups:manage-hearing-open", kwargs={"slug": group.slug}),
            {"hearing-kind": "industry", "hearing-closes_at": local_input(in_days(21))},
        )
        industry = group.draft.hearings.get(kind="industry")
        page = secretariat_client.get(reverse("workgroups:manage-group", kwargs={"slug": group.slug})).content.decode()
        assert reverse("workgroups:hearing-public", kwargs={"token": industry.token}) in page

    def test_a_deadline_in_the_past_is_refused_in_danish(self, secretariat_client, group):
        response = secretariat_client.post(
            reverse("workgroups:manage-hearing-open", kwargs={"slug": group.slug}),
            {"hearing-kind": "internal", "hearing-closes_at": local_input(in_days(-1))},
        )
        assert response.status_code == 200
        assert "Fristen skal ligge i fremtiden." in response.content.decode()
        assert not Hearing.objects.exists()

    def test_nonsense_input_gives_form_errors_not_a_server_error(self, secretariat_client, group):
        response = secretariat_client.post(
            reverse("workgroups:manage-hearing-open", kwargs={"slug": group.slug}),
            {"hearing-kind": "nonsense", "hearing-closes_at": "i morgen"},
        )
        assert response.status_code == 200
        assert response.context["hearing_form"].errors.keys() == {"kind", "closes_at"}
        assert 'value="i morgen"' in response.content.decode()


class TestHearingPage:
    def test_all_responses_are_shown_and_one_is_answered(self, secretariat_client, group, secretariat_user):
        # given a hearing with a response whose author asked not to publish it
        hearing = hearing_with_responses(group, secretariat_user, n=2)
        private = hearing.responses.first()
        HearingResponse.objects.filter(pk=private.pk).update(keep_private=True)
        url = reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk})
        page = secretariat_client.get(url).content.decode()
        # then the secretariat sees both, the private one too
        assert "Høringssvar nummer 0." in page and "Høringssvar nummer 1." in page
        # when it answers one
        response = secretariat_client.post(
            reverse("workgroups:manage-response-answer", kwargs={"pk": private.pk}),
            {f"r{private.pk}-answer": "accepted", f"r{private.pk}-text": "Kriteriet er præciseret."},
        )
        # then the answer is recorded and shown
        assert response.status_code == 302
        private.refresh_from_db()
        assert (private.answer, private.answer_text, private.answered_by) == (
            "accepted",
            "Kriteriet er præciseret.",
            secretariat_user,
        )
        page = secretariat_client.get(url).content.decode()
        assert page.count("Kriteriet er præciseret.") == 2  # shown, and kept in the form to change it

    def test_an_answer_without_reason_is_refused_with_the_choice_kept(
        self, secretariat_client, group, secretariat_user
    ):
        hearing = hearing_with_responses(group, secretariat_user, n=1)
        response_obj = hearing.responses.get()
        response = secretariat_client.post(
            reverse("workgroups:manage-response-answer", kwargs={"pk": response_obj.pk}),
            {f"r{response_obj.pk}-answer": "not_accepted", f"r{response_obj.pk}-text": "   "},
        )
        assert response.status_code == 200
        assert "Dette felt er påkrævet." in response.content.decode()
        assert re.search(r'value="not_accepted"[^>]*checked', response.content.decode())
        response_obj.refresh_from_db()
        assert response_obj.answer == ""

    def test_registering_a_response_received_by_email(self, secretariat_client, group, secretariat_user):
        hearing = hearing_with_responses(group, secretariat_user, n=0)
        criterion = group.draft.criteria.first()
        response = secretariat_client.post(
            reverse("workgroups:manage-hearing-register", kwargs={"pk": hearing.pk}),
            {
                "email-respondent_name": "Karen Leverandør",
                "email-respondent_organisation": "Rent A/S",
                "email-respondent_email": "karen@rent.example",
                "email-criterion": criterion.pk,
                "email-text": "Vi foreslår en overgangsperiode.",
                "email-keep_private": "on",
                "email-received_at": local_input(timezone.now() - timedelta(hours=2)),
            },
        )
        assert response.status_code == 302
        registered = hearing.responses.get()
        assert registered.channel == "email"
        assert registered.keep_private
        assert registered.criterion == criterion
        page = secretariat_client.get(reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk})).content.decode()
        assert "Vi foreslår en overgangsperiode." in page and "Rent A/S" in page

    def test_an_email_response_received_after_the_deadline_is_refused_in_danish(
        self, secretariat_client, group, secretariat_user
    ):
        hearing = hearing_with_responses(group, secretariat_user, n=0)
        response = secretariat_client.post(
            reverse("workgroups:manage-hearing-register", kwargs={"pk": hearing.pk}),
            {
                "email-respondent_name": "Karen Leverandør",
                "email-respondent_organisation": "Rent A/S",
                "email-text": "For sent, men vigtigt.",
                "email-received_at": local_input(in_days(30)),
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Høringssvaret blev modtaget efter fristen." in page
        assert "For sent, men vigtigt." in page and "Karen Leverandør" in page
        assert not hearing.responses.exists()

    def test_closing_the_hearing(self, secretariat_client, group, secretariat_user):
        hearing = hearing_with_responses(group, secretariat_user, n=0)
        response = secretariat_client.post(
            reverse("workgroups:manage-hearing-close", kwargs={"pk": hearing.pk}), {"reason": "Alle har svaret."}
        )
        assert response.status_code == 302
        hearing.refresh_from_db()
        assert hearing.closed_at is not None
        assert not hearing.is_open


class TestMemo:
    def test_memo_lists_every_response_with_its_answer_and_flags_the_unanswered(
        self, secretariat_client, group, secretariat_user
    ):
        # given a hearing with three responses, two answered
        hearing_with_responses(group, secretariat_user, n=3, answered=2)
        # when the secretariat opens the memo
        response = secretariat_client.get(reverse("workgroups:manage-memo", kwargs={"version_pk": group.draft.pk}))
        # then every response and every answer is there, and the unanswered one is flagged
        page = response.content.decode()
        for i in range(3):
            assert f"Høringssvar nummer {i}." in page
        assert "Svar til nummer 0." in page and "Svar til nummer 1." in page
        assert response.context["counts"] == {"total": 3, "answered": 2, "unanswered": 1, "left_out": 0}
        assert page.count("memo-response--unanswered") == 1

    def test_memo_pdf_is_downloaded_as_a_pdf(self, secretariat_client, group, secretariat_user):
        hearing_with_responses(group, secretariat_user, n=2, answered=1)
        response = secretariat_client.get(reverse("workgroups:manage-memo-pdf", kwargs={"version_pk": group.draft.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="hoeringsnotat-maal-5-rengoering-v2.pdf"'
        assert response.content.startswith(b"%PDF")

    def test_memo_pdf_contains_the_responses_and_answers(self, secretariat_client, group, secretariat_user, tmp_path):
        hearing_with_responses(group, secretariat_user, n=2, answered=1)
        response = secretariat_client.get(reverse("workgroups:manage-memo-pdf", kwargs={"version_pk": group.draft.pk}))
        if shutil.which("pdftotext") is None:
            service_missing("pdftotext (poppler-utils) is not installed")
        path = tmp_path / "memo.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Høringssvar nummer 1." in text
        assert "Svar til nummer 0." in text


class TestQueryCounts:
    """The secretariat's pages cost the same number of queries with 3 or 30 responses and members."""

    DESK, GROUP, HEARING, MEMO = 11, 13, 10, 9  # the hearing page also lists who was told

    def build(self, group, secretariat_user, n):
        hearing = hearing_with_responses(group, secretariat_user, n=n, answered=n // 2)
        # more plans, each with an item still waiting for its working group (a form each on the desk)
        area = group.goal.product_area
        for i in range(n // 10 + 1):
            plan = services.work_plan_create(year=2030 + i, by=secretariat_user)
            services.work_plan_item_add(plan=plan, kind="new", title=f"Nyt mål {i}", product_area=area, by=None)
        for i in range(n):
            rep = representative(f"Medlem {i}", steering=i == 0)
            services.working_group_member_add(group=group, user=rep.user, is_chair=i == 0, by=secretariat_user)
            services.milestone_add(
                group=group, title=f"Milepæl {i}", planned_on=datetime.date(2026, 1, 1) + timedelta(days=i), by=None
            )
        return hearing

    @pytest.mark.parametrize("n", [3, 30])
    def test_pages_are_flat(self, n, secretariat_client, group, secretariat_user, django_assert_num_queries):
        hearing = self.build(group, secretariat_user, n)
        pages = [
            (self.DESK, reverse("workgroups:manage-desk")),
            (self.GROUP, reverse("workgroups:manage-group", kwargs={"slug": group.slug})),
            (self.HEARING, reverse("workgroups:manage-hearing", kwargs={"pk": hearing.pk})),
            (self.MEMO, reverse("workgroups:manage-memo", kwargs={"version_pk": group.draft.pk})),
        ]
        secretariat_client.get(pages[0][1])  # the session and two-factor state are read once, as for any visitor
        for expected, url in pages:
            with django_assert_num_queries(expected):
                assert secretariat_client.get(url).status_code == 200
