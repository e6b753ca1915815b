"""A decision's proposal in English beside the Danish one that was voted on."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, earlier_today
from workgroups import services
from workgroups.forms import DecisionForm
from workgroups.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(db):
    """Three member organisations, each with its steering-group representative."""
    return [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
            steering_group=True,
        )
        for name in ["Aby", "Bby", "Cby"]
    ]


@pytest.fixture
def item(steering, secretariat_user):
    """A decision item on a steering-group meeting that began earlier today, every organisation present."""
    meeting = services.meeting_create(
        kind="steering_group", title="Styregruppemøde", starts_at=earlier_today(), place="Odense", by=secretariat_user
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    item = services.agenda_item_add(
        meeting=meeting, title="Mødeplan", kind=AgendaItem.Kind.DECISION, by=secretariat_user
    )
    services.attendance_record(meeting=meeting, users=[r.user for r in steering], by=secretariat_user)
    return item


def record(item, steering, secretariat_user, **english):
    return services.decision_record(
        item=item,
        proposal="Vedtag mødeplanen.",
        votes=[(r.organisation, "for") for r in steering],
        by=secretariat_user,
        **english,
    )


def meeting_page(client, item, prefix=""):
    with translation.override("da"):  # the URL without a prefix, also after a request in English
        url = reverse("workgroups:meeting-detail", kwargs={"pk": item.meeting_id})
    return client.get(prefix + url).content.decode()


def test_a_decision_is_recorded_with_its_english_proposal(item, steering, secretariat_user, secretariat_client):
    decision = record(item, steering, secretariat_user, proposal_en="  Adopt the meeting plan. ")
    decision.refresh_from_db()
    assert (decision.proposal, decision.proposal_en) == ("Vedtag mødeplanen.", "Adopt the meeting plan.")
    # the English page shows the English proposal, the Danish page the Danish one
    english = meeting_page(secretariat_client, item, "/en")
    assert "</strong> Adopt the meeting plan.</p>" in english
    assert "Vedtag mødeplanen." not in english
    danish = meeting_page(secretariat_client, item)
    assert "</strong> Vedtag mødeplanen.</p>" in danish
    assert "Adopt the meeting plan." not in danish


def test_without_an_english_proposal_the_danish_one_is_marked(item, steering, secretariat_user, secretariat_client):
    decision = record(item, steering, secretariat_user)
    assert decision.proposal_en == ""
    english = meeting_page(secretariat_client, item, "/en")
    assert '</strong> <span lang="da">Vedtag mødeplanen.</span></p>' in english


def test_the_form_has_an_optional_english_proposal_after_the_danish(item, steering, secretariat_client):
    organisations = [r.organisation for r in steering]
    form = DecisionForm(
        {"proposal": "Vedtag.", **{f"vote_{o.pk}": "for" for o in organisations}}, organisations=organisations
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["proposal_en"] == ""
    assert list(form.fields)[:2] == ["proposal", "proposal_en"]
    page = secretariat_client.get(reverse("workgroups:decision-record", kwargs={"pk": item.pk})).content.decode()
    assert page.index('name="proposal"') < page.index('name="proposal_en"') < page.index('name="vote_')
    assert "Forslag, der blev stemt om (engelsk)" in page


def test_the_english_proposal_posted_on_the_form_is_kept(item, steering, secretariat_client):
    # when the secretariat records the vote with the proposal in both languages
    url = reverse("workgroups:decision-record", kwargs={"pk": item.pk})
    votes = {f"vote_{r.organisation.pk}": "for" for r in steering}
    response = secretariat_client.post(
        url, {"proposal": "Vedtag mødeplanen.", "proposal_en": "Adopt the meeting plan.", **votes}
    )
    # then both are stored: the English one is not lost on the way to the service
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.decision.proposal, item.decision.proposal_en) == ("Vedtag mødeplanen.", "Adopt the meeting plan.")
