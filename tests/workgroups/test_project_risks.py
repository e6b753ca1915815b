"""A project's risk register and stakeholder table: kept by the owner's representatives and the secretariat, scored
1-4 for probability and consequence, drawn as a 4 x 4 matrix beside the risk table, the stakeholders pivoted by
activity; seen only by the project's participants and the secretariat, never the public; closed once the project
has ended."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory
from workgroups import services
from workgroups.models import Project, ProjectRisk, ProjectStakeholder
from workgroups.selectors.project_plan import risk_level, risk_matrix, risk_register, stakeholder_table

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


@pytest.fixture(autouse=True)
def in_english():
    """The services' messages are matched in English; the pages are read at their English address."""
    with translation.override("en"):
        yield


@pytest.fixture
def members(db):
    """The owner, a participant and an outsider, each with its primary representative."""
    return [
        RepresentativeFactory(
            organisation=MembershipFactory(organisation=OrganisationFactory(name=f"{name} Kommune")).organisation,
            position="primary",
        )
        for name in ["Aby", "Bby", "Cby"]
    ]


@pytest.fixture
def project(members):
    owner, participant, _outsider = members
    return services.project_propose(
        owner=owner.organisation,
        kind="development",
        title="Genbrug af møbler",
        purpose="Møbler genbruges på tværs af forvaltningerne.",
        by=owner.user,
        lead=owner.user,
        participants=[participant.organisation],
    )


def add(project, by, title="Leverandøren går konkurs", probability=2, consequence=3, **fields):
    return services.risk_add(
        project=project,
        by=by,
        title=title,
        probability=probability,
        consequence=consequence,
        measure=fields.get("measure", "Vi har en reserveleverandør."),
        owner=fields.get("owner", "Projektlederen"),
    )


def page(slug):
    return f"/en/projects/{slug}/risks/"


class TestWhoKeepsTheRegister:
    def test_the_owners_representative_adds_scores_again_and_removes_a_risk(self, project, members):
        owner = members[0].user
        risk = add(project, owner)
        assert (risk.score, risk.history.count()) == (6, 1)
        risk = services.risk_update(
            risk=risk,
            by=owner,
            title=risk.title,
            probability=4,
            consequence=4,
            measure="Ny plan.",
            owner="Styregruppen",
        )
        assert (risk.score, risk.owner, risk.history.count()) == (16, "Styregruppen", 2)
        services.risk_remove(risk=risk, by=owner)
        assert not project.risks.exists()
        assert ProjectRisk.history.filter(id=risk.pk).count() == 3  # the removal is kept in the history

    def test_the_secretariat_keeps_it_too(self, project, secretariat_user):
        risk = add(project, secretariat_user)
        entry = services.stakeholder_set(
            project=project, by=secretariat_user, activity="Forsøg", stakeholder="SKI", involvement="H"
        )
        services.risk_remove(risk=risk, by=secretariat_user)
        services.stakeholder_remove(entry=entry, by=secretariat_user)
        assert not project.risks.exists() and not project.stakeholders.exists()

    @pytest.mark.parametrize("who", [1, 2], ids=["participant", "outsider"])
    def test_a_participant_or_another_member_changes_nothing(self, project, members, who):
        risk = add(project, members[0].user)
        entry = services.stakeholder_set(
            project=project, by=members[0].user, activity="Forsøg", stakeholder="SKI", involvement="H"
        )
        by = members[who].user
        refused = [
            lambda: add(project, by, title="Andet"),
            lambda: services.risk_update(
                risk=risk, by=by, title="X", probability=1, consequence=1, measure="X", owner="X"
            ),
            lambda: services.risk_remove(risk=risk, by=by),
            lambda: services.stakeholder_set(
                project=project, by=by, activity="Forsøg", stakeholder="SKI", involvement="I"
            ),
            lambda: services.stakeholder_remove(entry=entry, by=by),
        ]
        for change in refused:
            with pytest.raises(ValidationError, match="owner organisation and the secretariat"):
                change()
        risk.refresh_from_db()
        entry.refresh_from_db()
        assert (risk.score, entry.involvement, project.risks.count()) == (6, "H", 1)

    @pytest.mark.parametrize("status", [Project.Status.COMPLETED, Project.Status.STOPPED])
    def test_an_ended_projects_register_is_history(self, project, members, status):
        owner = members[0].user
        risk = add(project, owner)
        entry = services.stakeholder_set(
            project=project, by=owner, activity="Forsøg", stakeholder="SKI", involvement="H"
        )
        Project.objects.filter(pk=project.pk).update(status=status, stop_reason="Ingen finansiering")
        for change in [
            lambda: add(project, owner, title="Andet"),
            lambda: services.risk_update(
                risk=risk, by=owner, title="X", probability=1, consequence=1, measure="X", owner="X"
            ),
            lambda: services.risk_remove(risk=risk, by=owner),
            lambda: services.stakeholder_set(
                project=project, by=owner, activity="Forsøg", stakeholder="SKI", involvement="I"
            ),
            lambda: services.stakeholder_remove(entry=entry, by=owner),
        ]:
            with pytest.raises(ValidationError, match="has ended; its risk register"):
                change()
        assert project.risks.get().score == 6 and project.stakeholders.get().involvement == "H"


class TestValidation:
    @pytest.mark.parametrize(
        ("probability", "consequence"), [(0, 2), (5, 2), (2, 0), (2, 5), ("3", 2), (True, 2), (None, 2)]
    )
    def test_probability_and_consequence_are_scored_1_to_4(self, project, members, probability, consequence):
        with pytest.raises(ValidationError, match="from 1 to 4"):
            add(project, members[0].user, probability=probability, consequence=consequence)
        assert not project.risks.exists()

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"title": "  "}, "Describe the risk"),
            ({"measure": "\n"}, "measure that meets the risk"),
            ({"owner": ""}, "risk's owner"),
        ],
    )
    def test_a_risk_has_a_text_a_measure_and_an_owner(self, project, members, fields, message):
        with pytest.raises(ValidationError, match=message):
            add(project, members[0].user, **fields)

    def test_a_risk_is_in_the_register_once(self, project, members):
        first = add(project, members[0].user)
        with pytest.raises(ValidationError, match="already in the risk register"):
            add(project, members[0].user, title="leverandøren går konkurs ")
        # the risk itself keeps its text when scored again
        services.risk_update(
            risk=first, by=members[0].user, title=first.title, probability=1, consequence=1, measure="M", owner="O"
        )

    def test_the_stakeholder_table_names_both_and_chooses_h_d_or_i(self, project, members):
        owner = members[0].user
        with pytest.raises(ValidationError, match="both the activity and the stakeholder"):
            services.stakeholder_set(project=project, by=owner, activity=" ", stakeholder="SKI", involvement="H")
        with pytest.raises(ValidationError, match="Choose H"):
            services.stakeholder_set(project=project, by=owner, activity="Forsøg", stakeholder="SKI", involvement="X")

    def test_setting_again_replaces_and_names_are_matched_whatever_their_case(self, project, members):
        owner = members[0].user
        services.stakeholder_set(project=project, by=owner, activity="Forsøg", stakeholder="SKI", involvement="D")
        again = services.stakeholder_set(
            project=project, by=owner, activity="  forsøg ", stakeholder="ski", involvement="H"
        )
        assert (again.activity, again.stakeholder, again.involvement) == ("Forsøg", "SKI", "H")
        assert project.stakeholders.count() == 1 and again.history.count() == 2


class TestMatrixAndPivot:
    def test_the_score_its_band_and_its_place_in_the_matrix(self, project, members):
        owner = members[0].user
        low = add(project, owner, title="Lav", probability=3, consequence=1)  # R1: 3, low
        high = add(project, owner, title="Høj", probability=3, consequence=4)  # R2: 12, high
        medium = add(project, owner, title="Middel", probability=2, consequence=4)  # R3: 8, medium
        same = add(project, owner, title="Også høj", probability=4, consequence=3)  # R4: 12, high
        assert [risk_level(s) for s in (1, 3, 4, 8, 9, 16)] == ["low", "low", "medium", "medium", "high", "high"]

        register = risk_register(project=project)
        # highest score first, a tie in the order entered
        assert [(r.risk, r.number, r.score, r.level) for r in register] == [
            (high, 2, 12, "high"),
            (same, 4, 12, "high"),
            (medium, 3, 8, "medium"),
            (low, 1, 3, "low"),
        ]
        matrix = risk_matrix(register=register)
        # rows: consequence 4 down to 1; columns: probability 1 to 4
        assert [row.consequence for row in matrix] == [4, 3, 2, 1]
        assert [cell.probability for cell in matrix[0].cells] == [1, 2, 3, 4]
        placed = {(c.probability, c.consequence): [r.number for r in c.risks] for row in matrix for c in row.cells}
        assert placed[(3, 4)] == [2] and placed[(2, 4)] == [3] and placed[(4, 3)] == [4] and placed[(3, 1)] == [1]
        assert sum(len(numbers) for numbers in placed.values()) == 4
        assert [c.level for c in matrix[0].cells] == ["medium", "medium", "high", "high"]  # 4, 8, 12, 16
        assert [c.score for c in matrix[3].cells] == [1, 2, 3, 4]

    def test_the_stakeholder_table_has_the_activities_as_rows_in_the_order_first_entered(self, project, members):
        owner = members[0].user
        for activity, stakeholder, involvement in [
            ("Forsøg", "Aby Kommune", "H"),
            ("Forsøg", "SKI", "D"),
            ("Evaluering", "Universitetet", "H"),
            ("Forsøg", "Indkøberne", "I"),
            ("Evaluering", "Aby Kommune", "D"),
        ]:
            services.stakeholder_set(
                project=project, by=owner, activity=activity, stakeholder=stakeholder, involvement=involvement
            )
        table = stakeholder_table(project=project)
        assert table.stakeholders == ["Aby Kommune", "SKI", "Universitetet", "Indkøberne"]
        cells = [(row.activity, [c.involvement if c else None for c in row.cells]) for row in table.rows]
        assert cells == [("Forsøg", ["H", "D", None, "I"]), ("Evaluering", ["D", None, "H", None])]


def fill(project, by, n):
    for i in range(n):
        add(project, by, title=f"Risiko {i}", probability=i % 4 + 1, consequence=(i * 3) % 4 + 1)
        services.stakeholder_set(
            project=project, by=by, activity=f"Aktivitet {i % 3}", stakeholder=f"Part {i}", involvement="HDI"[i % 3]
        )


class TestThePage:
    def test_only_the_participants_and_the_secretariat_see_it(self, client, project, members, secretariat_user):
        add(project, members[0].user)
        url = page(project.slug)
        assert client.get(url).status_code == 302  # to the login
        # the public project page does not link to it
        assert "Risks and stakeholders" not in client.get(f"/en/projects/{project.slug}/").content.decode()
        client.force_login(members[2].user)
        assert client.get(url).status_code == 404
        assert "Risks and stakeholders" not in client.get(f"/en/projects/{project.slug}/").content.decode()
        for user in (members[1].user, secretariat_user, members[0].user):
            client.force_login(user)
            html = client.get(url).content.decode()
            assert "Leverandøren går konkurs" in html and "Vi har en reserveleverandør." in html
            assert f'href="{url.removeprefix("/en")}"' in client.get(f"/projects/{project.slug}/").content.decode()

    def test_a_participant_reads_but_gets_no_forms_and_cannot_post(self, client, project, members):
        risk = add(project, members[0].user)
        client.force_login(members[1].user)
        html = client.get(page(project.slug)).content.decode()
        assert "Add the risk" not in html and "Save the risk" not in html and "Save in the table" not in html
        slug = project.slug
        posts = [
            (page(slug), {"risk-title": "X", "risk-probability": 1, "risk-consequence": 1}),
            (f"/en/projects/{slug}/risks/{risk.pk}/", {f"r{risk.pk}-title": "X"}),
            (f"/en/projects/{slug}/risks/{risk.pk}/remove/", {}),
            (f"/en/projects/{slug}/stakeholders/", {"stakeholder-activity": "A", "stakeholder-stakeholder": "B"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 404
        assert project.risks.get().title == "Leverandøren går konkurs" and not project.stakeholders.exists()

    def test_another_projects_risk_is_never_reached_through_this_one(self, client, project, members):
        # given the outsider's own project with a risk, and the owner of this one
        other = services.project_propose(
            owner=members[2].organisation, kind="development", title="Andet", purpose="P", by=members[2].user
        )
        foreign = add(other, members[2].user)
        entry = services.stakeholder_set(
            project=other, by=members[2].user, activity="A", stakeholder="B", involvement="H"
        )
        client.force_login(members[0].user)
        # when they post to it under their own project's address, or under its own
        for slug in (project.slug, other.slug):
            assert client.post(f"/en/projects/{slug}/risks/{foreign.pk}/remove/").status_code == 404
            assert client.post(f"/en/projects/{slug}/stakeholders/{entry.pk}/remove/").status_code == 404
        # then nothing changed
        assert other.risks.get() == foreign and other.stakeholders.get() == entry

    def test_the_owner_adds_edits_and_removes_on_the_page(self, client, project, members):
        client.force_login(members[0].user)
        url = page(project.slug)
        refused = client.post(
            url, {"risk-title": "Forsinkelse", "risk-probability": "3", "risk-consequence": "4", "risk-measure": ""}
        )
        assert refused.status_code == 400 and 'value="Forsinkelse"' in refused.content.decode()
        data = {
            "risk-title": "Forsinkelse",
            "risk-probability": "3",
            "risk-consequence": "4",
            "risk-measure": "Ugentlig opfølgning.",
            "risk-owner": "Projektlederen",
        }
        response = client.post(url, data, follow=True)
        assert response.redirect_chain[-1][0] == f"/en/projects/{project.slug}/risks/#main-content"
        assert "The risk has been added to the register." in response.content.decode()
        risk = project.risks.get()
        assert risk.score == 12
        # the matrix says the score and its level in words, not in colour alone
        html = response.content.decode()
        assert 'class="risk-cell risk-high"' in html and f'href="#risk-{risk.pk}">R1</a>' in html
        assert '12 <span class="risk-cell-level">high</span>' in html

        prefix = f"r{risk.pk}"
        edit = {f"{prefix}-{k.removeprefix('risk-')}": v for k, v in data.items()}
        bad = client.post(f"/en/projects/{project.slug}/risks/{risk.pk}/", {**edit, f"{prefix}-probability": "7"})
        assert bad.status_code == 400 and f'id="edit-risk-{risk.pk}" open>' in bad.content.decode()
        client.post(f"/en/projects/{project.slug}/risks/{risk.pk}/", {**edit, f"{prefix}-probability": "1"})
        risk.refresh_from_db()
        assert risk.score == 4

        response = client.post(
            f"/en/projects/{project.slug}/stakeholders/",
            {"stakeholder-activity": "Forsøg", "stakeholder-stakeholder": "SKI", "stakeholder-involvement": "D"},
            follow=True,
        )
        assert "The stakeholder table has been saved" in response.content.decode()
        entry = project.stakeholders.get()
        assert client.post(f"/en/projects/{project.slug}/stakeholders/{entry.pk}/remove/").status_code == 302
        assert client.post(f"/en/projects/{project.slug}/risks/{risk.pk}/remove/").status_code == 302
        assert not project.risks.exists() and not project.stakeholders.exists()

    def test_an_ended_projects_page_shows_the_register_without_forms(self, client, project, members):
        risk = add(project, members[0].user)
        Project.objects.filter(pk=project.pk).update(status=Project.Status.COMPLETED)
        client.force_login(members[0].user)
        html = client.get(page(project.slug)).content.decode()
        assert "kept as they were" in html and "Leverandøren går konkurs" in html and "Add the risk" not in html
        response = client.post(f"/en/projects/{project.slug}/risks/{risk.pk}/remove/", follow=True)
        assert "has ended" in response.content.decode() and project.risks.exists()

    @pytest.mark.parametrize("role", ["owner", "participant"])
    def test_the_page_takes_the_same_queries_for_a_long_register(
        self, client, project, members, django_assert_num_queries, role
    ):
        user = members[0].user if role == "owner" else members[1].user
        fill(project, members[0].user, 2)
        client.force_login(user)
        url = page(project.slug)
        # session, user, the representative; the project and its participants; the risks; the stakeholder table
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200
        fill_more = [(f"Mere {i}", i) for i in range(12)]
        for title, i in fill_more:
            add(project, members[0].user, title=title, probability=i % 4 + 1, consequence=(i + 1) % 4 + 1)
            services.stakeholder_set(
                project=project,
                by=members[0].user,
                activity=f"Trin {i}",
                stakeholder=f"Interessent {i % 5}",
                involvement="H",
            )
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200


def test_the_demo_gives_the_running_projects_a_register_once():
    from goals import demo as goal_demo
    from members import demo as member_demo
    from workgroups import demo as workgroup_demo
    from workgroups import demo_projects

    member_demo.load()
    goal_demo.load()
    workgroup_demo.load()
    demo_projects.load()
    counts = (ProjectRisk.objects.count(), ProjectStakeholder.objects.count())
    demo_projects.load()
    assert (ProjectRisk.objects.count(), ProjectStakeholder.objects.count()) == counts
    for title in (
        "Miljømærkede rengøringsmidler på de fælles aftaler",
        "Klimaregnskab for indkøb af bygge- og anlægsydelser",
    ):
        project = Project.objects.get(title=title)
        assert project.status == "running"
        assert project.risks.count() >= 3 and project.stakeholders.count() >= 6
    # the Lab project's red light on time is in its register, with a high score
    lab = Project.objects.get(title="Klimaregnskab for indkøb af bygge- og anlægsydelser")
    assert risk_register(project=lab)[0].level == "high"
