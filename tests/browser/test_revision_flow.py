"""Flow 2 of the partnership's year, end to end in a real browser.

The steering group's work plan → a working group → its draft → the internal
hearing with a member's response → the industry hearing with an external
response → the secretariat's answers (the hearing memo) → a steering-group
meeting with the draft on the agenda → a steering-group member's comment →
attendance and a vote with quorum → adopted → published on its date by the
beat task → the public redline.
"""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from goals import reference
from goals import services as goal_services
from goals.models import GoalVersion
from goals.tasks import goal_versions_publish_due
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, goal_in_force
from workgroups.models import Decision, HearingResponse, Meeting

from .pages import check_page, sign_in, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def partnership(transactional_db, secretariat_user):
    """Goal 5 in force and six member organisations, three of them in the steering group."""
    reference.load()
    version = goal_in_force(secretariat_user, criteria=["Rengøringsmidler er Svanemærkede."])
    reps = []
    for i, name in enumerate(["Aarhus", "Odense", "Vejle", "Horsens", "Skive", "Thisted"]):
        organisation = MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation
        reps.append(
            RepresentativeFactory(
                organisation=organisation, position="primary", steering_group=i < 3, user__name=f"Repræsentant {name}"
            )
        )
    return version.goal, reps


def success(page):
    expect(page.locator(".messages .alert-success")).to_be_visible()


def test_a_revision_from_work_plan_to_published_goal(page, new_page, partnership, secretariat_user, portal):
    goal, reps = partnership
    year = timezone.localdate().year
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    # --- the secretariat puts the revision of goal 5 on this year's work plan and sets up the group
    sign_in_with_two_factor(page, secretariat_user, "/en/workgroups/manage/")
    check_page(page, "revision desk")
    new_plan = page.locator("form[action$='/manage/plans/']")
    new_plan.get_by_label("Year").fill(str(year))
    new_plan.get_by_role("button", name="Create the work plan").click()
    success(page)
    page.locator("summary", has_text=f"Put the revision of a goal on the {year} plan").click()
    item_form = page.locator(f"form#plan-{year}-revision")
    item_form.get_by_label("Goal to revise").select_option(str(goal.pk))
    item_form.get_by_label("Title").fill("Revision af rengøring")
    item_form.get_by_role("button", name="Add to the plan").click()
    success(page)
    page.locator("summary", has_text="Set up the working group").click()
    page.locator("form[action*='/group/']").get_by_role("button", name="Set up the working group").click()
    success(page)
    group_url = page.url
    assert "/manage/groups/" in group_url
    check_page(page, "working group (secretariat)")

    # five members, one from the steering group: the warning goes away
    expect(page.locator(".alert-warning, .alert-error").first).to_be_visible()
    for i, rep in enumerate(reps[:5]):
        member_form = page.locator("form[action$='/members/']")
        member_form.get_by_label("Representative").select_option(str(rep.pk))
        if i == 3:
            member_form.get_by_label("Chair (tovholder)").check()
        member_form.get_by_role("button", name="Add to the group").click()
        success(page)
    expect(page.get_by_text("The group does not yet meet the rules")).to_have_count(0)

    # --- the working group's draft: a criterion is sharpened
    draft = GoalVersion.objects.get(goal=goal, number=2)
    criterion = draft.criteria.get()
    goal_services.criterion_update(
        criterion=criterion,
        by=reps[3].user,
        kind="requirement",
        text="Rengøringsmidler er Svanemærkede eller har EU-Blomsten.",
    )

    # --- the internal hearing: members are emailed and one responds
    page.goto(group_url)
    hearing_form = page.locator("form[action$='/hearings/']")
    hearing_form.get_by_label("Hearing").select_option("internal")
    deadline = (timezone.localtime() + datetime.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    hearing_form.get_by_label("Deadline").fill(deadline)
    hearing_form.get_by_role("button", name="Open the hearing").click()
    success(page)
    assert {m.to[0] for m in mail.outbox} >= {rep.user.email for rep in reps}
    internal = draft.hearings.get(kind="internal")

    member = new_page()
    sign_in(member, reps[4].user, f"/en/workgroups/hearings/{internal.pk}/")
    check_page(member, "internal hearing")
    member.get_by_label("Which criterion does your response concern?").select_option(str(criterion.pk))
    member.get_by_label("Your response", exact=True).fill("Godt at EU-Blomsten er med.")
    member.get_by_role("button", name="Send response").click()
    success(member)

    # --- the industry hearing: an external respondent answers on the public page
    page.goto(group_url)
    hearing_form = page.locator("form[action$='/hearings/']")
    hearing_form.get_by_label("Hearing").select_option("industry")
    hearing_form.get_by_label("Deadline").fill(deadline)
    hearing_form.get_by_role("button", name="Open the hearing").click()
    success(page)
    industry = draft.hearings.get(kind="industry")
    outsider = new_page()
    visit(outsider, f"/en/workgroups/hearings/{industry.token}/respond/", "industry hearing")
    outsider.get_by_label("Your name").fill("Eva Hansen")
    outsider.get_by_label("Organisation", exact=True).fill("Dansk Branche")
    outsider.get_by_label("Email address").fill("eva@branche.example")
    outsider.get_by_label("Your response", exact=True).fill("Giv leverandørerne et halvt år til omstilling.")
    outsider.get_by_role("button", name="Send response").click()
    success(outsider)

    # --- the secretariat closes the hearing and answers both responses: the memo is complete
    page.goto(f"/en/workgroups/manage/hearings/{industry.pk}/")
    page.get_by_role("link", name="Close the hearing before its deadline").click()
    page.get_by_label("Why is the hearing closed before its deadline?").fill("Alle har svaret.")
    page.get_by_role("button", name="Close the hearing before its deadline").click()
    success(page)
    for hearing in (internal, industry):
        page.goto(f"/en/workgroups/manage/hearings/{hearing.pk}/")
        response = HearingResponse.objects.get(hearing=hearing)
        answer = page.locator(f"form[action$='/responses/{response.pk}/answer/']")
        answer.get_by_label("Accepted", exact=True).check()
        answer.get_by_label("Answer and action, with the reason").fill("Taget med i udkastet.")
        answer.get_by_role("button", name="Save the answer").click()
        success(page)
    visit(page, f"/en/workgroups/manage/memo/{draft.pk}/", "hearing memo")
    expect(page.get_by_text("Giv leverandørerne et halvt år til omstilling.")).to_be_visible()

    # the draft's page says where its next step is taken: there is no button that submits or adopts it
    visit(page, f"/en/goals/manage/versions/{draft.pk}/", "draft after its hearings")
    expect(
        page.get_by_text("The hearings are over. Put the draft on the agenda of a steering-group meeting")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("submitted|adopt", re.IGNORECASE))).to_have_count(0)

    # --- a steering-group meeting with the draft on its agenda, and the invitation
    visit(page, "/en/workgroups/meetings/new/", "plan a meeting")
    page.get_by_label("Body").select_option("steering_group")
    page.get_by_label("Title").fill("Styregruppemøde")
    starts = timezone.localtime() + datetime.timedelta(hours=2)
    page.get_by_label("Date and time").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("Miljøstyrelsen, Odense")
    page.get_by_role("button", name="Save").click()
    success(page)
    meeting = Meeting.objects.get(title="Styregruppemøde")
    item_form = page.locator("form[action$='/items/']")
    item_form.get_by_label("Title").fill("Vedtagelse af mål 5, version 2")
    item_form.get_by_label("Draft to adopt").select_option(str(draft.pk))
    item_form.get_by_label("In force from, if adopted").fill(tomorrow.isoformat())
    item_form.get_by_role("button", name="Add to the agenda").click()
    success(page)
    draft.refresh_from_db()
    assert draft.status == GoalVersion.Status.SUBMITTED  # putting it on the agenda is what submits it
    mail.outbox.clear()
    page.get_by_role("button", name="Send the invitation").click()
    success(page)
    check_page(page, "meeting (secretariat)")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(rep.user.email for rep in reps[:3])

    # --- a steering-group member reads the redline and the memo, and comments on the criterion
    steering = new_page()
    sign_in(steering, reps[0].user, "/en/workgroups/meetings/")
    check_page(steering, "meetings")
    steering.get_by_role("link", name=re.compile("Goal 5, version 2")).click()
    expect(steering.locator("ins").first).to_be_visible()
    expect(steering.get_by_text("Giv leverandørerne et halvt år til omstilling.")).to_be_visible()
    check_page(steering, "draft for the steering group")
    steering.get_by_label("Which criterion does your comment concern?").select_option(str(criterion.pk))
    steering.get_by_label("Your comment", exact=True).fill("Aarhus støtter ændringen.")
    steering.get_by_role("button", name="Save the comment").click()
    success(steering)
    expect(steering.get_by_text("Aarhus støtter ændringen.")).to_be_visible()

    # --- the meeting is held: attendance, then the vote with quorum
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=10))
    page.goto(f"/en/workgroups/meetings/{meeting.pk}/")
    for rep in reps[:3]:
        page.get_by_label(re.compile(rf"^{rep.organisation.name}:")).check()
    page.get_by_role("button", name="Save the attendance").click()
    success(page)
    page.get_by_role("link", name=re.compile("Record the decision")).click()
    check_page(page, "record the decision")
    for rep in reps[:2]:
        page.get_by_role("group", name=rep.organisation.name).get_by_label("For", exact=True).check()
    page.get_by_role("group", name=reps[2].organisation.name).get_by_label("Abstain").check()
    page.get_by_role("button", name="Record the decision").click()
    success(page)
    expect(page.get_by_text("2 for, 0 against, 1 abstentions")).to_be_visible()
    check_page(page, "meeting with its decision")
    steering.goto(f"/en/workgroups/meetings/{meeting.pk}/")
    expect(steering.get_by_text("Decision: Carried.")).to_be_visible()
    check_page(steering, "meeting (steering-group member)")
    decision = Decision.objects.get()
    assert decision.outcome == Decision.Outcome.CARRIED
    draft.refresh_from_db()
    assert draft.status == GoalVersion.Status.ADOPTED

    # --- until its date, the public page of the version in force announces it, with the redline
    public = new_page()
    visit(public, f"/en/goals/5-{goal.slug}/", "goal with a coming version")
    expect(public.get_by_text(re.compile(r"Version 2 comes into force on"))).to_be_visible()
    public.get_by_role("link", name="See what changes in version 2").click()
    expect(public.locator("ins", has_text="EU-Blomsten").first).to_be_visible()

    # --- the beat task publishes it on its date (running twice changes nothing) and the public sees the redline
    assert goal_versions_publish_due() == 0
    goal_services.goal_versions_publish_due(today=tomorrow)
    assert goal_services.goal_versions_publish_due(today=tomorrow) == 0
    draft.refresh_from_db()
    assert draft.status == GoalVersion.Status.PUBLISHED
    visit(public, f"/en/goals/5-{goal.slug}/compare/", "public redline")
    expect(public.locator("ins", has_text="EU-Blomsten").first).to_be_visible()
