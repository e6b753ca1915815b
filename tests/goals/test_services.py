import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from goals import reference, services
from goals.models import Criterion, GoalVersion, ImplementationPlanRow, ProductArea
from tests.factories import MembershipFactory, goal_in_force

pytestmark = pytest.mark.django_db

JAN_2024 = datetime.date(2024, 1, 1)
STATEMENT = "Grønne midler."
SWAN_OR_FLOWER = ["Svanemærket eller EU-Blomsten."]


@pytest.fixture
def area(db):
    reference.load()
    return ProductArea.objects.get(slug="rengoering")


def next_version(goal, by, *, effective=datetime.date(2025, 1, 1)):
    """A new version adopted (registered from the records, as a goal adopted before the portal)."""
    draft = services.goal_version_draft_start(goal=goal, by=by)
    services.goal_version_register_adopted(
        version=draft,
        by=by,
        adopted_on=min(effective, datetime.date.today()),
        effective_date=effective,
        reason="Styregruppens referat, punkt 3.",
    )
    return draft


class TestLifecycle:
    def test_publish_supersedes_the_version_in_force(self, area, secretariat_user):
        # given version 1 in force and version 2 adopted
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        v2 = next_version(v1.goal, secretariat_user)
        # when version 2 is published
        services.goal_version_publish(version=v2, by=secretariat_user, today=datetime.date(2025, 1, 1))
        # then it is the one version in force, and version 1 is superseded
        v1.refresh_from_db()
        v2.refresh_from_db()
        assert v2.status == "published" and v2.effective_date == datetime.date(2025, 1, 1)
        assert v1.status == "superseded" and v1.superseded_at is not None
        assert v1.goal.versions.filter(status="published").count() == 1

    def test_publishing_twice_changes_nothing(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        stamp = v1.published_at
        again = services.goal_version_publish(version=v1, by=secretariat_user)
        assert again.published_at == stamp

    def test_database_refuses_two_versions_in_force(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        v2 = next_version(v1.goal, secretariat_user)
        with pytest.raises(IntegrityError):
            GoalVersion.objects.filter(pk=v2.pk).update(status="published")

    def test_future_effective_date_waits_for_its_day(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        v2 = next_version(v1.goal, secretariat_user, effective=datetime.date(2030, 1, 1))
        with pytest.raises(ValidationError, match="2030"):
            services.goal_version_publish(version=v2, by=secretariat_user, today=datetime.date(2029, 12, 31))
        assert services.goal_versions_publish_due(today=datetime.date(2029, 12, 31)) == 0
        assert services.goal_versions_publish_due(today=datetime.date(2030, 1, 1)) == 1
        assert services.goal_versions_publish_due(today=datetime.date(2030, 1, 1)) == 0  # idempotent
        v2.refresh_from_db()
        assert v2.status == "published"

    def test_only_submitted_versions_are_adopted_and_only_adopted_published(self, area, secretariat_user):
        version = services.goal_create(number=7, title="T", product_area=area, statement="S", by=secretariat_user)
        with pytest.raises(ValidationError):
            services.goal_version_adopt(
                version=version, by=secretariat_user, effective_date=JAN_2024, adopted_on=JAN_2024, decision_id=1
            )
        with pytest.raises(ValidationError):
            services.goal_version_publish(version=version, by=secretariat_user)

    def test_a_version_without_criteria_cannot_go_to_hearing(self, area, secretariat_user):
        version = services.goal_create(number=7, title="T", product_area=area, statement="S", by=secretariat_user)
        with pytest.raises(ValidationError):
            services.goal_version_hearing_enter(version=version, kind="internal", by=secretariat_user)

    def test_illegal_transition_is_refused(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        with pytest.raises(ValidationError):
            services.goal_version_return_to_draft(version=v1, by=secretariat_user, reason="Forkert.")

    def test_withdrawing_the_version_in_force(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        services.goal_version_withdraw(version=v1, by=secretariat_user, reason="Ophævet af styregruppen.")
        assert not v1.goal.versions.filter(status="published").exists()

    @pytest.mark.services
    def test_concurrent_publishing_leaves_one_version_in_force(
        self, require_postgres, transactional_db, area, secretariat_user
    ):
        # given version 1 in force and version 2 adopted, published at the same moment by the
        # beat task and by the secretariat (the database allows one revision per goal at a time)
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        v2 = next_version(v1.goal, secretariat_user, effective=JAN_2024)
        barrier = threading.Barrier(3)
        errors = []

        def publish():
            try:
                barrier.wait(timeout=10)
                services.goal_version_publish(version=v2, by=None, today=JAN_2024)
            except Exception as exc:  # noqa: BLE001 - any failure of a racing publication is a defect
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=publish) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # then version 2 alone is in force, version 1 superseded, and nobody got an error
        assert errors == []
        assert dict(GoalVersion.objects.filter(goal=v1.goal).values_list("number", "status")) == {
            1: "superseded",
            2: "published",
        }


class TestDrafts:
    def test_draft_copies_criteria_labels_and_targets(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=("Krav a.", "Krav b."))
        from goals.models import Ecolabel, SdgTarget

        draft = services.goal_version_draft_start(goal=v1.goal, by=secretariat_user)
        assert draft.number == 2
        assert list(draft.criteria.values_list("number", "text")) == [("5.a", "Krav a."), ("5.b", "Krav b.")]
        services.goal_version_update(
            version=draft,
            by=secretariat_user,
            ecolabels=[Ecolabel.objects.get(slug="nordic-swan-ecolabel")],
            sdg_targets=[SdgTarget.objects.get(code="12.7")],
            title="Rengøring 2",
        )
        assert draft.ecolabels.count() == 1
        # the version in force is untouched
        v1.refresh_from_db()
        assert v1.title == "Rengøring" and v1.criteria.count() == 2

    def test_one_revision_at_a_time(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        services.goal_version_draft_start(goal=v1.goal, by=secretariat_user)
        with pytest.raises(ValidationError, match="allerede"):
            services.goal_version_draft_start(goal=v1.goal, by=secretariat_user)

    def test_published_version_is_immutable(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        criterion = v1.criteria.get()
        with pytest.raises(ValidationError, match="kladde"):
            services.goal_version_update(version=v1, by=secretariat_user, title="Nyt")
        with pytest.raises(ValidationError):
            services.criterion_update(criterion=criterion, by=secretariat_user, text="Nyt")
        with pytest.raises(ValidationError):
            services.criterion_delete(criterion=criterion, by=secretariat_user)
        with pytest.raises(ValidationError):
            services.criterion_add(version=v1, by=secretariat_user, kind="requirement", text="Nyt")
        v1.refresh_from_db()
        assert v1.title == "Rengøring" and v1.criteria.get().text == "Svanemærket eller EU-Blomsten."

    def test_numbers_are_unique_and_never_reused(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=("a", "b"))
        draft = services.goal_version_draft_start(goal=v1.goal, by=secretariat_user)
        services.criterion_delete(criterion=draft.criteria.get(number="5.b"), by=secretariat_user)
        added = services.criterion_add(version=draft, by=secretariat_user, kind="clause", text="ny")
        assert added.number == "5.c"
        with pytest.raises(ValidationError, match=r"5\.a"):
            services.criterion_add(version=draft, by=secretariat_user, kind="clause", text="x", number="5.a")
        with pytest.raises(IntegrityError):
            Criterion.objects.create(version=draft, number="5.a", text="dublet")

    def test_move_and_renumber(self, area, secretariat_user):
        version = services.goal_create(number=3, title="Byg", product_area=area, statement="S", by=secretariat_user)
        for text in ("første", "anden", "tredje"):
            services.criterion_add(version=version, by=secretariat_user, kind="requirement", text=text)
        third = version.criteria.get(text="tredje")
        services.criterion_move(criterion=third, by=secretariat_user, offset=-1)
        services.criterion_move(criterion=third, by=secretariat_user, offset=-1)
        assert list(version.criteria.order_by("position").values_list("text", flat=True)) == [
            "tredje",
            "første",
            "anden",
        ]
        services.criteria_renumber(version=version, by=secretariat_user)
        assert list(version.criteria.order_by("position").values_list("number", "text")) == [
            ("3.a", "tredje"),
            ("3.b", "første"),
            ("3.c", "anden"),
        ]

    def test_every_change_is_in_the_history(self, area, secretariat_user):
        version = services.goal_create(number=3, title="Byg", product_area=area, statement="S", by=secretariat_user)
        criterion = services.criterion_add(version=version, by=secretariat_user, kind="requirement", text="før")
        services.criterion_update(criterion=criterion, by=secretariat_user, text="efter")
        records = list(criterion.history.order_by("history_date"))
        assert [r.text for r in records] == ["før", "efter"]
        assert all(r.history_user == secretariat_user for r in records)

    def test_letters_continue_after_z(self):
        assert [services._letters(i) for i in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]


class TestImplementationPlans:
    def test_plan_has_a_row_per_goal_in_force_and_new_versions_add_rows(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        organisation = MembershipFactory().organisation
        plan = services.implementation_plan_create(organisation=organisation, by=secretariat_user)
        assert list(plan.rows.values_list("goal_version", flat=True)) == [v1.pk]
        v2 = next_version(v1.goal, secretariat_user)
        services.goal_version_publish(version=v2, by=secretariat_user, today=datetime.date(2025, 1, 1))
        assert set(plan.rows.values_list("goal_version", flat=True)) == {v1.pk, v2.pk}

    def test_closed_plan_gets_no_rows_and_cannot_be_edited(self, area, secretariat_user):
        v1 = goal_in_force(secretariat_user, statement=STATEMENT, criteria=SWAN_OR_FLOWER)
        plan = services.implementation_plan_create(organisation=MembershipFactory().organisation, by=secretariat_user)
        services.implementation_plan_close(plan=plan, by=secretariat_user)
        v2 = next_version(v1.goal, secretariat_user)
        services.goal_version_publish(version=v2, by=secretariat_user, today=datetime.date(2025, 1, 1))
        assert plan.rows.count() == 1
        with pytest.raises(ValidationError):
            services.implementation_plan_row_update(
                row=plan.rows.get(), by=secretariat_user, expected_by=None, status=ImplementationPlanRow.Status.MET
            )

    def test_one_plan_per_organisation(self, area, secretariat_user):
        organisation = MembershipFactory().organisation
        services.implementation_plan_create(organisation=organisation, by=secretariat_user)
        with pytest.raises(ValidationError):
            services.implementation_plan_create(organisation=organisation, by=secretariat_user)
