"""A working group's status: every move through its own service, checked, on a confirmation page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals import services as goal_services
from workgroups import services
from workgroups.models import WorkingGroup

pytestmark = pytest.mark.django_db

G = WorkingGroup.Status
CALLS = {
    "working_group_start": (G.ACTIVE, {}),
    "working_group_complete": (G.COMPLETED, {}),
    "working_group_cancel": (G.CANCELLED, {"reason": "Styregruppen har udskudt revisionen."}),
}
CASES = [(start, service) for start in G.values for service in CALLS]


def ready(group, secretariat_user, rep_a):
    """What the conditions ask for: a chair, and a draft the steering group is done with."""
    services.working_group_member_add(group=group, user=rep_a, is_chair=True, by=secretariat_user)
    goal_services.goal_version_withdraw(version=group.draft, by=secretariat_user, reason="Afsluttet.")


@pytest.mark.parametrize(("start", "service"), CASES, ids=[f"{s}-{v}" for s, v in CASES])
def test_every_move_and_every_forbidden_one(start, service, group, secretariat_user, rep_a):
    ready(group, secretariat_user, rep_a)
    WorkingGroup.objects.filter(pk=group.pk).update(status=start)
    target, kwargs = CALLS[service]
    if services.GROUP_TRANSITIONS.get((start, target)) == service:
        assert getattr(services, service)(group=group, by=secretariat_user, **kwargs).status == target
    else:
        with pytest.raises(ValidationError) as refused:
            getattr(services, service)(group=group, by=secretariat_user, **kwargs)
        assert refused.value.messages[0]
        assert WorkingGroup.objects.get(pk=group.pk).status == start


def test_the_generic_update_no_longer_sets_the_status(group, secretariat_user):
    with pytest.raises(ValidationError):
        services.working_group_update(group=group, status=G.COMPLETED, by=secretariat_user)
    assert WorkingGroup.objects.get(pk=group.pk).status == G.PLANNED


def test_the_conditions_are_said(group, secretariat_user, rep_a):
    with pytest.raises(ValidationError, match="formand"):
        services.working_group_start(group=group, by=secretariat_user)
    services.working_group_member_add(group=group, user=rep_a, is_chair=True, by=secretariat_user)
    services.working_group_start(group=group, by=secretariat_user)
    with pytest.raises(ValidationError, match="vedtaget"):
        services.working_group_complete(group=group, by=secretariat_user)
    with pytest.raises(ValidationError, match="begrundelsen"):
        services.working_group_cancel(group=group, by=secretariat_user, reason=" ")


def test_the_documented_table_is_the_codes_table():
    import re
    from pathlib import Path

    text = Path(__file__).resolve().parents[2].joinpath("docs/architecture.md").read_text()
    section = text.split("### Working group (", 1)[1].split("\n### ", 1)[0]
    rows = set(re.findall(r"^\| `(\w+)` \| `(\w+)` \| `(\w+)` \|", section, re.M))
    assert rows == {(start, target, service) for (start, target), service in services.GROUP_TRANSITIONS.items()}


class TestPage:
    def test_the_group_page_offers_the_moves_on_confirmation_pages(self, client, group, secretariat_user, rep_a):
        client.force_login(secretariat_user)
        page = client.get(reverse("workgroups:manage-group", kwargs={"slug": group.slug}))
        start = reverse("workgroups:manage-group-status", kwargs={"slug": group.slug, "action": "start"})
        cancel = reverse("workgroups:manage-group-status", kwargs={"slug": group.slug, "action": "cancel"})
        complete = reverse("workgroups:manage-group-status", kwargs={"slug": group.slug, "action": "complete"})
        assert start in page.text and cancel in page.text and complete not in page.text
        assert 'name="status"' not in page.text
        # the confirmation page changes nothing; starting without a chair says why
        assert client.get(start).status_code == 200
        response = client.post(start, follow=True)
        assert "Vælg en formand" in response.text
        assert WorkingGroup.objects.get(pk=group.pk).status == G.PLANNED
        # cancelling needs the reason, which the history then shows
        response = client.post(cancel, {"reason": ""})
        assert response.status_code == 200 and response.context["form"].errors
        response = client.post(cancel, {"reason": "Udskudt til næste år."}, follow=True)
        assert WorkingGroup.objects.get(pk=group.pk).status == G.CANCELLED
        assert "Udskudt til næste år." in response.text
        assert (
            client.get(
                reverse("workgroups:manage-group-status", kwargs={"slug": group.slug, "action": "castle"})
            ).status_code
            == 404
        )

    def test_a_representative_cannot_change_the_status(self, client, group, rep_a):
        client.force_login(rep_a)
        url = reverse("workgroups:manage-group-status", kwargs={"slug": group.slug, "action": "cancel"})
        assert client.post(url, {"reason": "Nej."}).status_code == 403
        assert WorkingGroup.objects.get(pk=group.pk).status == G.PLANNED


def test_the_public_overview_shows_a_cancelled_group_as_cancelled_with_no_next_milestone(client, group):
    import datetime

    services.milestone_add(group=group, title="Første møde", planned_on=datetime.date(2026, 4, 1), by=None)
    services.milestone_add(group=group, title="Intern høring", planned_on=datetime.date(2026, 6, 1), by=None)
    row = lambda page: page.text.split(group.name, 1)[1].split("</tr>", 1)[0]  # noqa: E731
    page = client.get("/workgroups/?year=2026")
    assert "Første møde" in row(page) and "Intern høring" not in row(page)  # only the next one
    services.working_group_cancel(group=group, by=None, reason="Udskudt.")
    page = client.get("/workgroups/?year=2026")
    assert "Aflyst" in row(page) and "Første møde" not in row(page)
