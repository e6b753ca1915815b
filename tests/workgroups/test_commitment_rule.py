"""Members take part in a POGI project every second year: the rule at its edges, and the three pages that show it.

The rule is read with a fixed "today" (workgroups.selectors.commitments takes it as an argument); the pages use
the real date, so their data is dated relative to it. Every case also checks that the overview's filter (the
same rule in SQL) puts the member in the same state as the selector.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups.models import Project, ProjectParticipant
from workgroups.selectors import commitments
from workgroups.selectors.commitments import CURRENT, DUE_SOON, NOT_YET_DUE, OVERDUE

pytestmark = pytest.mark.django_db

P = Project.Status
WARN = 90
LONG_AGO = datetime.date(2015, 1, 1)
ENDED = datetime.date(2024, 6, 15)
RUNS_OUT = datetime.date(2026, 6, 15)  # two years after ENDED
TODAY = datetime.date(2026, 1, 10)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def member(name="Aby Kommune", joined_on=LONG_AGO):
    return MembershipFactory(organisation=OrganisationFactory(name=name), joined_on=joined_on)


_slugs = iter(range(10_000))


def project(
    owner,
    *,
    status=P.COMPLETED,
    approved_on=datetime.date(2022, 1, 1),
    started_on=datetime.date(2022, 2, 1),
    ended_on=ENDED,
    joined_on=datetime.date(2021, 12, 1),
    title=None,
    others=(),
):
    """A project in the given state, with its owner and other participants ((membership, role) pairs)."""
    number = next(_slugs)
    made = Project.objects.create(
        slug=f"projekt-{number}",
        title=title or f"Projekt {number}",
        purpose="Formål.",
        track=Project.Track.MOVE,
        kind=Project.Kind.PURCHASING,
        status=status,
        owner=owner.organisation,
        approved_on=approved_on,
        started_on=started_on,
        ended_on=ended_on,
        stop_reason="Stoppet." if status == P.STOPPED else "",
    )
    ProjectParticipant.objects.create(
        project=made, organisation=owner.organisation, role=ProjectParticipant.Role.OWNER, joined_on=joined_on
    )
    for membership, role in others:
        ProjectParticipant.objects.create(
            project=made, organisation=membership.organisation, role=role, joined_on=joined_on
        )
    return made


def standing(membership, today=TODAY):
    """How the member stands, after checking that the overview's filter places it in the same state."""
    membership = Membership.objects.get(pk=membership.pk)
    found = commitments.project_commitments(memberships=[membership], today=today, warn_days=WARN)[
        membership.organisation_id
    ]
    in_sql = [
        status
        for status, _label in commitments.STATUSES
        if Membership.objects.filter(commitments.membership_in_status(status, today, WARN), pk=membership.pk).exists()
    ]
    assert in_sql == [found.status], f"the filter says {in_sql}, the member's page says {found.status}"
    return found


class TestTheTwoYears:
    @pytest.mark.parametrize(
        ("today", "status", "days_left"),
        [
            (RUNS_OUT - 91 * DAY, CURRENT, 91),  # the day before the warning starts
            (RUNS_OUT - 90 * DAY, DUE_SOON, 90),  # the warning starts
            (RUNS_OUT - DAY, DUE_SOON, 1),  # one day before
            (RUNS_OUT, DUE_SOON, 0),  # exactly two years: still inside
            (RUNS_OUT + DAY, OVERDUE, -1),  # one day after
        ],
    )
    def test_the_two_years_run_out_two_years_after_the_project_ended(self, today, status, days_left):
        # given a member whose only project ended on ENDED
        aby = member()
        furniture = project(aby, title="Genbrug af møbler")
        # when it is `today`, then
        found = standing(aby, today)
        assert found.status == status
        assert found.runs_out_on == RUNS_OUT and found.days_left == days_left
        if status == OVERDUE:
            assert not found.counted and [p.project for p in found.latest] == [furniture]
        else:
            assert [p.project for p in found.counted] == [furniture]

    def test_the_latest_project_counts(self):
        aby = member()
        project(aby, ended_on=datetime.date(2023, 3, 1))
        latest = project(aby, ended_on=datetime.date(2025, 8, 1))
        found = standing(aby)
        assert found.status == CURRENT and found.runs_out_on == datetime.date(2027, 8, 1)
        assert latest in [p.project for p in found.counted]

    def test_29_february_runs_out_on_28_february(self):
        aby = member()
        project(aby, ended_on=datetime.date(2024, 2, 29))
        assert standing(aby, datetime.date(2026, 2, 28)).status == DUE_SOON
        assert standing(aby, datetime.date(2026, 2, 28)).runs_out_on == datetime.date(2026, 2, 28)
        assert standing(aby, datetime.date(2026, 3, 1)).status == OVERDUE

    def test_two_years_after_28_february_reach_29_february_of_a_leap_year_only_by_a_day(self):
        aby = member()
        project(aby, ended_on=datetime.date(2026, 2, 28), started_on=datetime.date(2025, 1, 1))
        assert standing(aby, datetime.date(2028, 2, 28)).status == DUE_SOON
        assert standing(aby, datetime.date(2028, 2, 29)).status == OVERDUE

    @pytest.mark.parametrize("status", [P.RUNNING, P.APPROVED])
    def test_an_ongoing_participation_never_runs_out(self, status):
        aby = member()
        work = project(aby, status=status, started_on=LONG_AGO if status == P.RUNNING else None, ended_on=None)
        found = standing(aby, datetime.date(2040, 1, 1))
        assert found.status == CURRENT and found.ongoing
        assert found.runs_out_on is None and [p.project for p in found.counted] == [work]

    @pytest.mark.parametrize(
        "role", [ProjectParticipant.Role.OWNER, ProjectParticipant.Role.PARTICIPANT, ProjectParticipant.Role.SUPPORT]
    )
    def test_every_role_counts(self, role):
        aby, bby = member(), member("Bby Kommune")
        if role == ProjectParticipant.Role.OWNER:
            project(bby)
        else:
            project(aby, others=[(bby, role)])
        assert standing(bby).status == CURRENT

    def test_a_participation_recorded_after_the_project_ended_counts_until_the_end(self):
        aby = member()
        project(aby, ended_on=datetime.date(2025, 5, 1), joined_on=datetime.date(2025, 12, 1))
        assert standing(aby).runs_out_on == datetime.date(2027, 5, 1)

    def test_a_project_stopped_after_it_started_counts_until_it_stopped(self):
        aby = member()
        project(aby, status=P.STOPPED, ended_on=datetime.date(2025, 9, 1))
        found = standing(aby)
        assert found.status == CURRENT and found.runs_out_on == datetime.date(2027, 9, 1)


class TestWhatDoesNotCount:
    def test_a_project_stopped_before_it_started(self):
        aby = member()
        project(aby, status=P.STOPPED, approved_on=datetime.date(2025, 9, 1), started_on=None, ended_on=TODAY - DAY)
        found = standing(aby)
        assert found.status == OVERDUE and not found.counted and not found.latest

    @pytest.mark.parametrize("status", [P.PROPOSED, P.PRIORITISED])
    def test_a_proposal(self, status):
        aby = member()
        project(aby, status=status, approved_on=None, started_on=None, ended_on=None)
        found = standing(aby)
        assert found.status == OVERDUE and not found.counted
        assert found.runs_out_on == datetime.date(2017, 1, 1)  # two years after it joined

    def test_a_participation_dated_after_today(self):
        aby = member()
        project(aby, status=P.RUNNING, ended_on=None, joined_on=TODAY + DAY)
        assert standing(aby).status == OVERDUE
        assert standing(aby, TODAY + DAY).status == CURRENT

    def test_another_members_project(self):
        aby, bby = member(), member("Bby Kommune")
        project(aby, status=P.RUNNING, ended_on=None)
        assert standing(aby).status == CURRENT
        assert standing(bby).status == OVERDUE


class TestNewMembers:
    def test_a_member_that_joined_less_than_two_years_ago_is_not_yet_due(self):
        new = member(joined_on=datetime.date(2025, 9, 1))
        found = standing(new)
        assert found.status == NOT_YET_DUE and found.runs_out_on == datetime.date(2027, 9, 1)

    @pytest.mark.parametrize(
        ("joined_on", "status"),
        [
            (datetime.date(2024, 4, 11), NOT_YET_DUE),  # runs out 11 April 2026: 91 days left
            (datetime.date(2024, 4, 10), DUE_SOON),  # 90 days left: warned
            (datetime.date(2024, 1, 10), DUE_SOON),  # exactly two years: the last day
            (datetime.date(2024, 1, 9), OVERDUE),
        ],
    )
    def test_a_new_member_is_warned_before_its_first_two_years_run_out(self, joined_on, status):
        assert standing(member(joined_on=joined_on)).status == status

    def test_the_two_years_never_run_out_before_two_years_after_joining(self):
        # a project that ended before the organisation joined still counts, but the membership's own two years
        # are the later deadline
        new = member(joined_on=datetime.date(2025, 9, 1))
        project(new, ended_on=datetime.date(2025, 3, 1))
        found = standing(new)
        assert found.status == CURRENT and found.runs_out_on == datetime.date(2027, 9, 1)


def test_many_members_in_one_query(django_assert_num_queries):
    memberships = [member(f"Kommune {n}") for n in range(30)]
    for index, membership in enumerate(memberships):
        project(membership, ended_on=datetime.date(2023 + index % 3, 5, 1))
        if index % 4 == 0:
            project(membership, status=P.RUNNING, ended_on=None)
    memberships = list(Membership.objects.filter(pk__in=[m.pk for m in memberships]))
    with django_assert_num_queries(1):
        found = commitments.project_commitments(memberships=memberships, today=TODAY, warn_days=WARN)
        statuses = {f.status for f in found.values()}
        titles = [p.project.title for f in found.values() for p in (*f.counted, *f.latest)]
    assert statuses == {CURRENT, OVERDUE} and len(found) == 30 and titles


# --- the pages ------------------------------------------------------------------------------------


def row_of(html, name):
    """The overview's table row of one organisation."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S) if name in row]
    assert len(rows) == 1, f"{name}: {len(rows)} rows"
    return rows[0]


@pytest.fixture
def three_members(db):
    """Aby takes part in a running project, Bby's last project ended three years ago, Cby joined last month."""
    today = timezone.localdate()
    aby = member("Aby Kommune")
    bby = member("Bby Kommune")
    cby = member("Cby Kommune", joined_on=today - datetime.timedelta(days=30))
    project(aby, status=P.RUNNING, title="Grønne rengøringsmidler", ended_on=None, joined_on=today - 300 * DAY)
    project(
        bby,
        title="Genbrug af møbler",
        approved_on=today - 2000 * DAY,
        started_on=today - 1900 * DAY,
        ended_on=today - 3 * 365 * DAY,
        joined_on=today - 2000 * DAY,
    )
    return aby, bby, cby


class TestThePages:
    def test_the_overview_shows_each_member_its_own_state(self, secretariat_client, three_members):
        html = secretariat_client.get(reverse("members:secretariat-commitments")).content.decode()
        assert "Project participation" in html
        assert "Taken part" in row_of(html, "Aby Kommune") and "Grønne rengøringsmidler" in row_of(html, "Aby Kommune")
        assert "Overdue" in row_of(html, "Bby Kommune") and "Grønne rengøringsmidler" not in row_of(html, "Bby Kommune")
        assert "Not yet due" in row_of(html, "Cby Kommune")

    @pytest.mark.parametrize(
        ("status", "shown"),
        [
            (CURRENT, ["Aby Kommune"]),
            (OVERDUE, ["Bby Kommune"]),
            (NOT_YET_DUE, ["Cby Kommune"]),
            (DUE_SOON, []),
        ],
    )
    def test_the_overview_filters_by_the_state(self, secretariat_client, three_members, status, shown):
        html = secretariat_client.get(reverse("members:secretariat-commitments"), {"projects": status}).text
        listed = [name for name in ("Aby Kommune", "Bby Kommune", "Cby Kommune") if f">{name}</a>" in html]
        assert listed == shown
        if not shown:
            assert "No members match the filter." in html

    def test_an_unknown_state_in_the_address_lists_everyone(self, secretariat_client, three_members):
        response = secretariat_client.get(reverse("members:secretariat-commitments"), {"projects": "nonsense"})
        assert response.status_code == 200 and "3 active members" in response.text

    def test_the_public_member_page(self, client, three_members):
        aby, bby, cby = three_members
        page = client.get(reverse("members:member-detail", kwargs={"slug": aby.organisation.slug})).text
        assert "Takes part in a POGI project now" in page and "Grønne rengøringsmidler" in page
        page = client.get(reverse("members:member-detail", kwargs={"slug": bby.organisation.slug})).text
        assert "Overdue:" in page
        assert "Bby Kommune has not taken part in a POGI project within the last two years" in page
        assert "Genbrug af møbler" in page and "Grønne rengøringsmidler" not in page
        assert f'href="{reverse("projects:project-list")}"' in page
        page = client.get(reverse("members:member-detail", kwargs={"slug": cby.organisation.slug})).text
        assert "not yet due" in page

    def test_the_dashboard_of_a_member_that_takes_part(self, client, three_members):
        aby, _bby, _cby = three_members
        client.force_login(RepresentativeFactory(organisation=aby.organisation, position="primary").user)
        page = client.get(reverse("dashboard")).text
        assert "Your organisation takes part in a POGI project now" in page
        assert "Grønne rengøringsmidler" in page and "Genbrug af møbler" not in page

    def test_the_dashboard_of_an_overdue_member_asks_politely_and_links_to_the_projects(self, client, three_members):
        _aby, bby, _cby = three_members
        client.force_login(RepresentativeFactory(organisation=bby.organisation, position="primary").user)
        page = client.get(reverse("dashboard")).text
        assert "your organisation has not taken part in a POGI project within the last two years" in page
        assert "You are welcome to join a project that is under way, or to propose a new one." in page
        assert f'href="{reverse("projects:project-list")}"' in page
        assert f'href="{reverse("projects:project-propose")}"' in page
        assert "Grønne rengøringsmidler" not in page

    def test_the_dashboard_warns_before_the_two_years_run_out(self, client):
        today = timezone.localdate()
        aby = member("Aby Kommune")
        project(aby, title="Cirkulære møbler", ended_on=commitments._earliest_reaching(today + 30 * DAY))
        client.force_login(RepresentativeFactory(organisation=aby.organisation, position="primary").user)
        page = client.get(reverse("dashboard")).text
        assert "Runs out soon:" in page and "in 30 days" in page and "Cirkulære møbler" in page


class TestQueries:
    @pytest.mark.parametrize("members", [5, 80])
    def test_the_overview_does_not_grow_with_the_members(self, secretariat_client, django_assert_num_queries, members):
        for n in range(members):
            membership = member(f"Kommune {n}")
            RepresentativeFactory(organisation=membership.organisation, position="primary")
            project(membership, ended_on=ENDED + n * DAY)
            if n % 3 == 0:
                project(membership, status=P.RUNNING, ended_on=None)
        # session, user, representative lookup, two-factor check; count, page, representatives, participations
        with django_assert_num_queries(8):
            assert secretariat_client.get(reverse("members:secretariat-commitments")).status_code == 200
        with django_assert_num_queries(8):
            response = secretariat_client.get(reverse("members:secretariat-commitments"), {"projects": "overdue"})
            assert response.status_code == 200

    def test_the_member_page_and_the_dashboard_do_not_grow_with_the_projects(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        aby = member()
        project(aby, ended_on=timezone.localdate() - DAY)
        member_page = reverse("members:member-detail", kwargs={"slug": aby.organisation.slug})
        client.force_login(RepresentativeFactory(organisation=aby.organisation, position="primary").user)

        def counted():
            with CaptureQueriesContext(connection) as on_member_page:
                assert client.get(member_page).status_code == 200
            with CaptureQueriesContext(connection) as on_dashboard:
                assert client.get(reverse("dashboard")).status_code == 200
            return len(on_member_page), len(on_dashboard)

        before = counted()
        for n in range(20):
            project(aby, ended_on=timezone.localdate() - n * DAY, status=P.RUNNING if n % 5 == 0 else P.COMPLETED)
        assert counted() == before
