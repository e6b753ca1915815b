"""The goals demo: what it promises a new user, and that loading it twice changes nothing."""

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from goals import demo as goal_demo
from goals import search
from goals.models import Criterion, Goal, GoalVersion, ImplementationPlan, ImplementationPlanRow
from members import demo as member_demo

pytestmark = pytest.mark.django_db

S = GoalVersion.Status


@pytest.fixture
def demo():
    member_demo.load()
    return goal_demo.load()


def snapshot():
    return {
        "goals": Goal.objects.count(),
        "versions": sorted(GoalVersion.objects.values_list("goal__number", "number", "status")),
        "criteria": Criterion.objects.count(),
        "version_history": GoalVersion.history.count(),
        "criterion_history": Criterion.history.count(),
        "goal_history": Goal.history.count(),
        "plans": ImplementationPlan.objects.count(),
        "plan_rows": sorted(ImplementationPlanRow.objects.values_list("pk", "status", "expected_by")),
        "plan_row_history": ImplementationPlanRow.history.count(),
    }


def check_summary_counts_what_is_there(demo):
    assert demo["goals"] == Goal.objects.count() == 12
    assert demo["versions"] == GoalVersion.objects.count()
    assert demo["criteria"] == Criterion.objects.count()
    assert set(Goal.objects.values_list("number", flat=True)) == set(range(1, 13))


def check_one_version_in_force_per_goal_except_the_withdrawn_one(demo):
    for goal in Goal.objects.exclude(number=11):
        assert goal.versions.filter(status=S.PUBLISHED).count() == 1, goal
    goal_11 = Goal.objects.get(number=11)
    assert not goal_11.versions.filter(status=S.PUBLISHED).exists()
    assert goal_11.versions.filter(status=S.WITHDRAWN).exists()


def check_version_histories(demo):
    with_history = Goal.objects.annotate(
        public=Count(
            "versions",
            filter=Q(
                versions__status__in=["published", "superseded", "withdrawn"], versions__published_at__isnull=False
            ),
        )
    )
    assert with_history.filter(public__gte=2).count() >= 3
    for number in (5, 6, 8, 9, 12):
        superseded = GoalVersion.objects.get(goal__number=number, status=S.SUPERSEDED)
        in_force = GoalVersion.objects.get(goal__number=number, status=S.PUBLISHED)
        assert superseded.effective_date < in_force.effective_date
        assert in_force.change_note
    paper = Goal.objects.get(number=9)
    assert paper.versions.get(number=1).title == "Papir og tryksager"
    assert paper.versions.get(number=2).title == "Træbaserede kontorartikler og tryksager"
    assert str(paper.versions.get(number=2).effective_date) == "2020-03-01"


def check_goals_under_revision_have_a_version_in_progress(demo):
    for number in (1, 3, 4):
        goal = Goal.objects.get(number=number)
        assert goal.versions.filter(status=S.PUBLISHED).exists()
        assert goal.versions.filter(status__in=GoalVersion.IN_PROGRESS).exists()
    # A draft: its internal hearing is opened by the workgroups demo (tests/workgroups/test_demo.py).
    assert GoalVersion.objects.get(goal__number=4, status__in=GoalVersion.IN_PROGRESS).status == S.DRAFT


def check_criteria_are_numbered_and_mixed(demo):
    for version in GoalVersion.objects.all():
        numbers = list(version.criteria.values_list("number", flat=True))
        assert 3 <= len(numbers) <= 7, version
        assert all(n.startswith(f"{version.goal.number}.") for n in numbers)
    kinds = set(Criterion.objects.values_list("kind", flat=True))
    assert kinds == set(Criterion.Kind.values)


def check_svanemaerket_in_several_goals_in_force(demo):
    goals = (
        Criterion.objects.filter(version__status=S.PUBLISHED, text__contains="Svanemærket")
        .values_list("version__goal__number", flat=True)
        .distinct()
    )
    assert len(set(goals)) >= 2
    found = search.search(GoalVersion.objects.filter(status=S.PUBLISHED), "svanemærket")
    assert found.values("goal").distinct().count() >= 2


def check_plans_for_members_in_transition_have_overdue_rows(demo):
    today = timezone.localdate()
    for code in ("630", "615", "561"):
        plan = ImplementationPlan.objects.get(organisation__official_code=code)
        assert plan.rows.count() == GoalVersion.objects.filter(status=S.PUBLISHED).count()
        assert plan.rows.filter(expected_by__lt=today).exclude(status="met").exists(), code


def check_english_beside_the_danish_where_the_secretariat_wrote_it(demo):
    in_force = {v.goal.number: v for v in GoalVersion.objects.filter(status=S.PUBLISHED).select_related("goal")}
    assert not in_force[2].translation_missing("en")
    assert in_force[5].title_en == "Cleaning"
    # goal 5's revision changed 5.a in Danish: its English translated the old wording and is gone
    revised = in_force[5].criteria.get(number="5.a")
    assert revised.text_en == "" and in_force[5].criteria.get(number="5.b").text_en
    # goal 12 is not translated: the English site shows it in Danish, marked
    assert in_force[12].title_en == "" and in_force[12].translation_missing("en")


def test_demo_shows_what_it_promises(demo):
    # One test: each load of both demos takes several seconds.
    check_summary_counts_what_is_there(demo)
    check_one_version_in_force_per_goal_except_the_withdrawn_one(demo)
    check_version_histories(demo)
    check_goals_under_revision_have_a_version_in_progress(demo)
    check_criteria_are_numbered_and_mixed(demo)
    check_svanemaerket_in_several_goals_in_force(demo)
    check_plans_for_members_in_transition_have_overdue_rows(demo)
    check_english_beside_the_danish_where_the_secretariat_wrote_it(demo)


def test_loading_again_changes_nothing(demo):
    first = snapshot()
    member_demo.load()
    assert goal_demo.load() == demo
    assert snapshot() == first


def test_documentation_is_not_labelled_twice_on_the_page_or_in_the_open_data(demo, client):
    # given the demo goals, whose criteria say how compliance is documented
    documented = Criterion.objects.exclude(documentation="")
    assert documented.exists()
    # then no documentation text starts with its own label, which every page prints before it
    assert not documented.filter(documentation__iregex=r"^\s*(dokumentation|documentation)\s*:").exists()
    # when a reader opens a goal in force and the open data
    version = GoalVersion.objects.filter(status=S.PUBLISHED, criteria__documentation__gt="").distinct().first()
    page = client.get(version.goal.get_absolute_url()).content.decode()
    data = client.get("/open-data/goals.csv").content.decode("utf-8-sig")
    # then "Dokumentation:" stands once before each documented criterion, never twice
    assert "Dokumentation:</strong> Dokumentation:" not in page
    assert page.count("Dokumentation:</strong>") == version.criteria.exclude(documentation="").count()
    assert "Dokumentation: " not in data


def test_the_migration_takes_the_label_out_of_documentation_texts(db):
    # given criteria written before the fix, whose documentation repeated the label
    from importlib import import_module

    from django.apps import apps

    from tests.factories import CriterionFactory

    labelled = CriterionFactory(documentation="Dokumentation: erklæring fra producenten.")
    english = CriterionFactory(documentation="documentation : a test report.")
    plain = CriterionFactory(documentation="Svanemærket eller tilsvarende.")
    # when the data migration runs
    import_module("goals.migrations.0003_documentation_without_label").documentation_without_label(apps, None)
    # then only the label is gone, and the text starts with a capital letter
    for criterion, expected in [
        (labelled, "Erklæring fra producenten."),
        (english, "A test report."),
        (plain, "Svanemærket eller tilsvarende."),
    ]:
        criterion.refresh_from_db()
        assert criterion.documentation == expected
