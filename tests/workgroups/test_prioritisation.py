"""The prioritisation of POGI Lab proposals: the secretariat's scores and weights, the ranked list with its CO2
normalisation, ties and proposals missing scores, the page with its chart and pinned queries, and the ranked proposals
put on the agenda of a coming POGI Lab or Council meeting, never twice. The public list shows a completed project's
measured effect beside its potential."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, earlier_today
from workgroups import services
from workgroups.models import AgendaItem, Meeting, PrioritisationWeights, Project
from workgroups.selectors.prioritisation import ranking

pytestmark = pytest.mark.django_db

P = Project.Status
PAGE = "/en/projects/prioritisation/"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def members(db):
    return [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ["Aby", "Bby", "Cby"]
    ]


def lab(rep, title, co2=None, *, by=None, scores=None, prioritised=False):
    """A Lab proposal of the representative's organisation, scored and prioritised by `by` when asked."""
    project = services.project_propose(
        owner=rep.organisation,
        kind=Project.Kind.DEVELOPMENT,
        title=title,
        purpose="Et forslag.",
        by=rep.user,
        co2_potential_tonnes=None if co2 is None else Decimal(co2),
        co2_assumption="" if co2 is None else "Skønnet.",
    )
    if scores is not None:
        scalability, relevance = scores
        project = services.project_score_set(
            project=project,
            by=by,
            scalability=scalability,
            relevance=relevance,
            co2_potential_tonnes=project.co2_potential_tonnes,
            co2_assumption=project.co2_assumption,
        )
    if prioritised:
        project = services.project_prioritise(project=project, by=by)
    return project


def weights(by, co2, scalability, relevance):
    return services.prioritisation_weights_set(co2=co2, scalability=scalability, relevance=relevance, by=by)


def coming(kind, by, days=14, title="Møde"):
    return services.meeting_create(
        kind=kind, title=title, starts_at=timezone.now() + datetime.timedelta(days=days), place="Odense", by=by
    )


def rows_by_title():
    return {row.project.title: row for row in ranking().rows}


class TestScoring:
    def test_the_secretariat_scores_a_proposal_and_the_history_says_who(self, members, secretariat_user):
        project = lab(members[0], "Genbrug")
        project = services.project_score_set(
            project=project,
            by=secretariat_user,
            scalability=4,
            relevance=5,
            co2_potential_tonnes=Decimal("120.5"),
            co2_assumption=" 500 møbler om året. ",
        )
        project.refresh_from_db()
        assert (project.scalability, project.relevance) == (4, 5)
        assert (project.co2_potential_tonnes, project.co2_assumption) == (Decimal("120.5"), "500 møbler om året.")
        assert project.history.first().history_user == secretariat_user

    def test_only_the_secretariat_scores(self, members):
        project = lab(members[0], "Genbrug")
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.project_score_set(
                project=project, by=members[0].user, scalability=5, relevance=5, co2_potential_tonnes=None
            )
        project.refresh_from_db()
        assert project.scalability is None

    @pytest.mark.parametrize(
        ("scalability", "relevance", "message"),
        [(0, 3, "scalability as a whole number from 1 to 5"), (3, 6, "relevance as a whole number from 1 to 5")],
    )
    def test_scores_are_from_1_to_5(self, members, secretariat_user, scalability, relevance, message):
        project = lab(members[0], "Genbrug")
        with pytest.raises(ValidationError, match=message):
            services.project_score_set(
                project=project,
                by=secretariat_user,
                scalability=scalability,
                relevance=relevance,
                co2_potential_tonnes=None,
            )

    def test_a_potential_is_not_negative_and_needs_its_assumption(self, members, secretariat_user):
        project = lab(members[0], "Genbrug")
        score = {"project": project, "by": secretariat_user, "scalability": 3, "relevance": 3}
        with pytest.raises(ValidationError, match="cannot be negative"):
            services.project_score_set(**score, co2_potential_tonnes=Decimal("-1"), co2_assumption="Skønnet.")
        with pytest.raises(ValidationError, match="Write out the assumption"):
            services.project_score_set(**score, co2_potential_tonnes=Decimal("0"), co2_assumption="  ")
        # no potential at all is allowed: the proposal then waits among those missing scores
        services.project_score_set(**score, co2_potential_tonnes=None, co2_assumption="ignored")
        project.refresh_from_db()
        assert project.co2_assumption == ""

    def test_only_lab_proposals_that_are_proposed_or_prioritised(self, members, secretariat_user):
        move = services.project_propose(
            owner=members[0].organisation, kind="purchasing", title="Move", purpose="X", by=members[0].user
        )
        score = {"by": secretariat_user, "scalability": 3, "relevance": 3, "co2_potential_tonnes": None}
        with pytest.raises(ValidationError, match="Only POGI Lab proposals"):
            services.project_score_set(project=move, **score)
        stopped = lab(members[0], "Stoppet")
        services.project_stop(project=stopped, by=secretariat_user, reason="Ikke aktuelt")
        with pytest.raises(ValidationError, match="proposed or prioritised; this one is stopped"):
            services.project_score_set(project=stopped, **score)
        prioritised = lab(members[0], "Prioriteret", by=secretariat_user, prioritised=True)
        assert services.project_score_set(project=prioritised, **score).scalability == 3


class TestWeights:
    def test_the_secretariat_sets_the_weights_in_one_row(self, secretariat_user):
        weights(secretariat_user, 3, 2, 1)
        row = weights(secretariat_user, 0, 1, 4)
        assert PrioritisationWeights.objects.count() == 1
        assert (row.co2, row.scalability, row.relevance, row.updated_by) == (0, 1, 4, secretariat_user)

    def test_all_zero_is_refused(self, secretariat_user):
        with pytest.raises(ValidationError, match="At least one weight must be above 0"):
            weights(secretariat_user, 0, 0, 0)
        assert not PrioritisationWeights.objects.exists()

    @pytest.mark.parametrize("value", [-1, 11])
    def test_weights_are_from_0_to_10(self, secretariat_user, value):
        with pytest.raises(ValidationError, match="from 0 to 10"):
            weights(secretariat_user, value, 1, 1)

    def test_only_the_secretariat_sets_them(self, members):
        with pytest.raises(ValidationError, match="Only the secretariat"):
            weights(members[0].user, 1, 1, 1)


class TestRanking:
    def test_the_co2_potential_is_normalised_against_the_largest_and_the_total_is_the_weighted_mean(
        self, members, secretariat_user
    ):
        # given the default weights (CO2 2, scalability 1, relevance 1) and three scored proposals
        by = secretariat_user
        lab(members[0], "Stor", "1000", by=by, scores=(1, 1))
        lab(members[1], "Halv", "500", by=by, scores=(5, 5))
        lab(members[2], "Ingen", "0", by=by, scores=(5, 4))
        # when the list is read
        rows = rows_by_title()
        # then the CO2 scores are 5, 3 and 1, and the totals (2 * CO2 + scalability + relevance) / 4
        assert [rows[t].co2_score for t in ("Stor", "Halv", "Ingen")] == [Decimal("5.00"), Decimal("3.00"), 1]
        assert rows["Stor"].total == Decimal("3.00")  # (10 + 1 + 1) / 4
        assert rows["Halv"].total == Decimal("4.00")  # (6 + 5 + 5) / 4
        assert rows["Ingen"].total == Decimal("2.75")  # (2 + 5 + 4) / 4
        assert [(r.rank, r.project.title) for r in ranking().rows] == [(1, "Halv"), (2, "Stor"), (3, "Ingen")]
        # and new weights change the order
        weights(by, 10, 0, 0)
        assert [r.project.title for r in ranking().rows] == ["Stor", "Halv", "Ingen"]

    def test_without_any_co2_potential_every_co2_score_is_1(self, members, secretariat_user):
        lab(members[0], "Nul", "0", by=secretariat_user, scores=(2, 2))
        lab(members[1], "Også nul", "0", by=secretariat_user, scores=(4, 4))
        rows = ranking().rows
        assert [(r.project.title, r.co2_score, r.total) for r in rows] == [
            ("Også nul", 1, Decimal("2.50")),  # (2 + 4 + 4) / 4
            ("Nul", 1, Decimal("1.50")),
        ]
        assert ranking().largest_potential == 0

    def test_equal_totals_share_a_rank_in_order_of_title(self, members, secretariat_user):
        by = secretariat_user
        lab(members[0], "Bøger", "100", by=by, scores=(3, 3))
        lab(members[1], "Affald", "100", by=by, scores=(3, 3))
        lab(members[2], "Cykler", "50", by=by, scores=(1, 1))
        assert [(r.rank, r.project.title) for r in ranking().rows] == [(1, "Affald"), (1, "Bøger"), (3, "Cykler")]

    def test_proposals_missing_scores_come_last_with_what_they_miss(self, members, secretariat_user):
        by = secretariat_user
        lab(members[0], "Uden CO2", by=by, scores=(5, 5))
        lab(members[1], "Uscoret", "5000")
        lab(members[2], "Scoret", "100", by=by, scores=(1, 1))
        rows = ranking().rows
        assert [r.project.title for r in rows] == ["Scoret", "Uden CO2", "Uscoret"]
        assert [r.rank for r in rows] == [1, None, None]
        assert rows[1].missing_labels == ["CO2 reduction potential"]
        assert rows[2].missing_labels == ["scalability", "relevance"]
        # the largest potential is the largest among all the candidates, scored or not
        assert rows[0].co2_score == Decimal("1.08")  # 1 + 4 * 100 / 5000
        # a score whose weight is 0 is not needed
        weights(by, 0, 1, 1)
        assert [r.project.title for r in ranking().ranked] == ["Uden CO2", "Scoret"]

    def test_only_lab_proposals_that_wait_for_their_decision_are_candidates(self, members, secretariat_user):
        lab(members[0], "Forslag", "10", by=secretariat_user, scores=(3, 3))
        services.project_propose(
            owner=members[0].organisation, kind="purchasing", title="Move", purpose="X", by=members[0].user
        )
        stopped = lab(members[1], "Stoppet", "10", by=secretariat_user, scores=(5, 5))
        services.project_stop(project=stopped, by=secretariat_user, reason="Ikke aktuelt")
        assert [r.project.title for r in ranking().rows] == ["Forslag"]


class TestAgendaFeed:
    def test_the_council_gets_prioritised_proposals_for_decision_once(self, members, secretariat_user):
        # given two prioritised proposals and the Council's coming meeting
        by = secretariat_user
        first = lab(members[0], "Først", "100", by=by, scores=(5, 5), prioritised=True)
        second = lab(members[1], "Anden", "50", by=by, scores=(3, 3), prioritised=True)
        council = coming("council", by)
        # when they are put on its agenda
        feed = services.prioritisation_agenda_feed(meeting=council, projects=[first, second], by=by)
        # then each is an item for decision on the project, with its place on the list
        items = list(council.items.order_by("position"))
        assert [i.project for i in items] == [first, second] and {i.kind for i in items} == {"decision"}
        with translation.override("da"):  # the agenda is written in the portal's language
            assert items[0].title == gettext("Approval of the project: %(title)s") % {"title": "Først"}
        assert "5,00" in items[0].description  # its total score, written the Danish way
        assert len(feed.added) == 2 and not feed.skipped
        # and sending them again adds nothing
        again = services.prioritisation_agenda_feed(meeting=council, projects=[first, second], by=by)
        assert not again.added and [p for p, _reason in again.skipped] == [first, second]
        assert council.items.count() == 2
        # nor does another Council meeting while the first decision is pending
        later = coming("council", by, days=30)
        elsewhere = services.prioritisation_agenda_feed(meeting=later, projects=[first], by=by)
        assert not elsewhere.added and "waiting for its decision" in elsewhere.skipped[0][1]

    def test_the_council_decides_only_on_prioritised_proposals(self, members, secretariat_user):
        proposed = lab(members[0], "Kun foreslået", "100", by=secretariat_user, scores=(5, 5))
        with pytest.raises(ValidationError, match="must be prioritised before the Council"):
            services.prioritisation_agenda_feed(
                meeting=coming("council", secretariat_user), projects=[proposed], by=secretariat_user
            )
        assert not AgendaItem.objects.exists()

    def test_lab_discusses_any_ranked_proposal_once(self, members, secretariat_user):
        by = secretariat_user
        proposed = lab(members[0], "Foreslået", "100", by=by, scores=(5, 5))
        meeting = coming("lab", by)
        services.prioritisation_agenda_feed(meeting=meeting, projects=[proposed], by=by)
        services.prioritisation_agenda_feed(meeting=meeting, projects=[proposed], by=by)
        item = meeting.items.get()
        assert (item.title, item.kind, item.project) == ("Foreslået", "discussion", None)

    def test_only_a_coming_meeting_of_lab_or_the_council(self, members, secretariat_user):
        by = secretariat_user
        project = lab(members[0], "Forslag", "100", by=by, scores=(5, 5), prioritised=True)
        past = coming("council", by)
        Meeting.objects.filter(pk=past.pk).update(starts_at=earlier_today())
        with pytest.raises(ValidationError, match="not yet taken place"):
            services.prioritisation_agenda_feed(meeting=past, projects=[project], by=by)
        with pytest.raises(ValidationError, match="POGI Lab or the Council"):
            services.prioritisation_agenda_feed(meeting=coming("move", by), projects=[project], by=by)
        with pytest.raises(ValidationError, match="Only the secretariat"):
            services.prioritisation_agenda_feed(meeting=coming("lab", by), projects=[project], by=members[0].user)
        assert not AgendaItem.objects.exists()

    def test_the_page_puts_the_top_ranked_on_the_next_meeting_and_never_twice(
        self, members, secretariat_user, secretariat_client
    ):
        # given three prioritised proposals, one unscored, and the Council's and Lab's coming meetings
        by = secretariat_user
        lab(members[0], "Bedst", "100", by=by, scores=(5, 5), prioritised=True)
        lab(members[1], "Næstbedst", "100", by=by, scores=(4, 4), prioritised=True)
        lab(members[2], "Tredje", "100", by=by, scores=(1, 1), prioritised=True)
        lab(members[2], "Uscoret", "100", by=by, prioritised=True)
        lab(members[0], "Ikke prioriteret", "100", by=by, scores=(5, 5))
        council = coming("council", by, days=10)
        coming("lab", by, days=20)
        post = {"agenda-meeting": council.pk, "agenda-count": 2, "agenda-project": ""}
        # when the secretariat puts the two top-ranked on the Council's meeting, twice
        response = secretariat_client.post("/en/projects/prioritisation/agenda/", post, follow=True)
        assert response.redirect_chain[-1][0] == council.get_absolute_url()
        secretariat_client.post("/en/projects/prioritisation/agenda/", post)
        # then the two best prioritised are on it, once each
        assert [i.project.title for i in council.items.order_by("position")] == ["Bedst", "Næstbedst"]
        # and a chosen proposal goes alone
        chosen = Project.objects.get(title="Tredje")
        secretariat_client.post(PAGE + "agenda/", {**post, "agenda-project": chosen.pk})
        assert council.items.count() == 3
        # a refusal is a message, not an error page
        refused = Project.objects.get(title="Ikke prioriteret")
        response = secretariat_client.post(PAGE + "agenda/", {**post, "agenda-project": refused.pk}, follow=True)
        assert response.status_code == 200
        assert "must be prioritised before the Council" in response.content.decode()
        assert council.items.count() == 3


class TestPages:
    def test_the_page_shows_the_formula_the_chart_and_the_ranked_list_in_fixed_queries(
        self, members, secretariat_user, secretariat_client, django_assert_num_queries
    ):
        by = secretariat_user
        lab(members[0], "Bedst", "100", by=by, scores=(5, 5), prioritised=True)
        lab(members[1], "Uscoret", "100")
        council = coming("council", by)
        services.prioritisation_agenda_feed(
            meeting=council, projects=list(Project.objects.filter(title="Bedst")), by=by
        )
        # session, user, representative (roles), two-factor, weights, proposals, their pending items, meetings
        with django_assert_num_queries(8):
            response = secretariat_client.get(PAGE)
        html = response.content.decode()
        assert "CO2 score = 1 + 4 × potential ÷ the largest potential among the proposals" in html
        assert "total = (2 × CO2 score + 1 × scalability + 1 × relevance) ÷ 4" in html
        assert 'role="img"' in html and '<title id="chart-title">' in html and '<desc id="chart-desc">' in html
        assert html.index(">Bedst</a>") < html.index(">Uscoret</a>")
        assert "Missing scores" in html and "On the agenda of The Council" in html
        # more proposals, scored and not, and more meetings cost no more queries
        for n in range(6):
            lab(members[n % 3], f"Forslag {n}", str(10 * n), by=by, scores=(n % 5 + 1, 3) if n % 2 else None)
        coming("lab", by, days=40)
        with django_assert_num_queries(8):
            assert secretariat_client.get(PAGE).status_code == 200

    def test_a_representative_does_not_see_it(self, members, client):
        client.force_login(members[0].user)
        assert client.get(PAGE).status_code == 403

    def test_the_scores_are_saved_from_their_page(self, members, secretariat_client):
        project = lab(members[0], "Genbrug", "10")
        url = f"{PAGE}{project.slug}/score/"
        assert secretariat_client.get(url).status_code == 200
        data = {"co2_potential_tonnes": "25", "co2_assumption": "", "scalability": "4", "relevance": "2"}
        response = secretariat_client.post(url, data)
        assert response.status_code == 400 and "Write out the assumption" in response.content.decode()
        response = secretariat_client.post(url, {**data, "co2_assumption": "200 stole."})
        assert response.status_code == 302 and response["Location"].endswith(f"#proposal-{project.pk}")
        project.refresh_from_db()
        assert (project.co2_potential_tonnes, project.scalability, project.relevance) == (Decimal("25"), 4, 2)
        assert secretariat_client.post(url, {**data, "scalability": "9"}).status_code == 400

    def test_only_a_candidate_has_a_scoring_page(self, members, secretariat_user, secretariat_client):
        stopped = lab(members[0], "Stoppet")
        services.project_stop(project=stopped, by=secretariat_user, reason="Ikke aktuelt")
        assert secretariat_client.get(f"{PAGE}{stopped.slug}/score/").status_code == 404

    def test_all_zero_weights_are_a_form_error(self, secretariat_client):
        response = secretariat_client.post(
            PAGE + "weights/", {"weights-co2": "0", "weights-scalability": "0", "weights-relevance": "0"}
        )
        assert response.status_code == 400 and "At least one weight must be above 0" in response.content.decode()
        response = secretariat_client.post(
            PAGE + "weights/", {"weights-co2": "1", "weights-scalability": "2", "weights-relevance": "3"}
        )
        assert response.status_code == 302
        assert PrioritisationWeights.objects.values_list("co2", "scalability", "relevance").get() == (1, 2, 3)

    def test_the_secretariat_finds_the_page_from_the_lists(self, secretariat_client):
        for path in ("/en/projects/", "/en/projects/reports/"):
            assert 'href="/en/projects/prioritisation/"' in secretariat_client.get(path).content.decode()

    def test_prioritisation_is_never_a_project_address(self, members):
        assert lab(members[0], "Prioritisation").slug != "prioritisation"


def test_the_public_list_shows_the_measured_effect_beside_the_potential(members, secretariat_user, client):
    # given a completed Lab project: approved by the Council, run and completed with its measured effect
    by = secretariat_user
    project = lab(members[0], "Genbrug af møbler", "350", by=by, prioritised=True)
    meeting = coming("council", by)
    item = services.agenda_item_add(meeting=meeting, title="Godkendelse", project=project, by=by)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=earlier_today())
    services.attendance_record(meeting=meeting, users=[r.user for r in members], by=by)
    services.decision_record(item=item, proposal="Godkendes.", votes=[(r.organisation, "for") for r in members], by=by)
    project.refresh_from_db()
    phase = services.project_phase_add(
        project=project,
        by=by,
        title="Forsøg",
        milestone="Evalueret",
        planned_start=timezone.localdate(),
        planned_end=timezone.localdate(),
    )
    services.project_start(project=project, by=by)
    services.project_phase_update(
        phase=phase, by=by, status="done", actual_start=timezone.localdate(), actual_end=timezone.localdate()
    )
    services.project_complete(project=project, by=by, measured_effect_tonnes=Decimal("410"), effect_note="Målt.")
    # when the public reads the list and the project's page
    listing = client.get("/en/projects/").content.decode()
    page = client.get(f"/en/projects/{project.slug}/").content.decode()
    # then both show the measured effect beside the potential
    assert "potential 350" in listing and "measured 410" in listing
    assert "350 t CO2e per year" in page and "410 t CO2e per year" in page
