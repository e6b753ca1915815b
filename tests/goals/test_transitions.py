"""Every status change of a goal version, allowed and forbidden: the code's table, the services and the documented
table agree. A move is made by one service only; every other service refuses it with a message."""

import datetime
import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from goals import reference, services
from goals.models import GoalVersion, ProductArea

pytestmark = pytest.mark.django_db

S = GoalVersion.Status
TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=30)

# Each service with what it is asked to do: (target status, keyword arguments for a version).
CALLS = {
    "goal_version_hearing_enter": [
        (S.INTERNAL_HEARING, lambda v: {"kind": "internal"}),
        (S.INDUSTRY_HEARING, lambda v: {"kind": "industry"}),
    ],
    "goal_version_submit": [
        (S.SUBMITTED, lambda v: {"industry_hearing": SimpleNamespace(kind="industry", version_id=v.pk, is_open=False)})
    ],
    "goal_version_return_to_draft": [(S.DRAFT, lambda v: {"reason": "Arbejdsgruppen retter kriterierne."})],
    "goal_version_withdraw": [(S.WITHDRAWN, lambda v: {"reason": "Målet udgår."})],
    "goal_version_adopt": [
        (S.ADOPTED, lambda v: {"effective_date": TODAY, "adopted_on": PAST, "decision_id": 1}),
    ],
    "goal_version_register_adopted": [
        (S.ADOPTED, lambda v: {"effective_date": TODAY, "adopted_on": PAST, "reason": "Referat af mødet 3. maj 2019."}),
    ],
    "goal_version_publish": [(S.PUBLISHED, lambda v: {"today": TODAY})],
}
# A service asked to make the move it already made returns the version unchanged (a retried request).
IDEMPOTENT = {("goal_version_submit", S.SUBMITTED), ("goal_version_publish", S.PUBLISHED)}

_numbers = itertools.count(20)


def version_in(status: str) -> GoalVersion:
    """A version of a goal of its own with a criterion, put in `status` directly (the services are under test)."""
    area = ProductArea.objects.get(slug="rengoering")
    version = services.goal_create(number=next(_numbers), title="Prøve", product_area=area, statement="Prøve.", by=None)
    services.criterion_add(version=version, by=None, kind="requirement", text="Svanemærket.")
    fields = {"status": status}
    if status in (S.ADOPTED, S.PUBLISHED, S.SUPERSEDED, S.WITHDRAWN):
        fields.update(effective_date=PAST, adopted_on=PAST)
    if status in (S.PUBLISHED, S.SUPERSEDED):
        fields["published_at"] = timezone.now()
    GoalVersion.objects.filter(pk=version.pk).update(**fields)
    return GoalVersion.objects.get(pk=version.pk)


CASES = [
    (start, service, target, kwargs)
    for start in S.values
    for service, calls in CALLS.items()
    for target, kwargs in calls
]


@pytest.mark.parametrize(("start", "service", "target", "kwargs"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_a_move_is_made_by_its_service_and_refused_by_every_other(start, service, target, kwargs, db):
    reference.load()
    version = version_in(start)
    allowed = services.TRANSITIONS.get((start, target)) == service
    if (service, start) in IDEMPOTENT:
        result = getattr(services, service)(version=version, by=None, **kwargs(version))
        assert result.status == start
        return
    if allowed:
        result = getattr(services, service)(version=version, by=None, **kwargs(version))
        assert result.status == target
        assert GoalVersion.objects.get(pk=version.pk).status == target
    else:
        with pytest.raises(ValidationError) as refused:
            getattr(services, service)(version=version, by=None, **kwargs(version))
        assert refused.value.messages[0]  # a message for the person, never a bare failure
        assert GoalVersion.objects.get(pk=version.pk).status == start


def test_every_move_in_the_table_is_tried_above():
    tried = {(start, target, service) for start, service, target, _ in CASES}
    for (start, target), service in services.TRANSITIONS.items():
        if (start, target) == (S.PUBLISHED, S.SUPERSEDED):
            continue  # made by publishing the next version: tests/goals/test_services.py
        assert (start, target, service) in tried


def test_the_documented_table_is_the_codes_table():
    text = Path(__file__).resolve().parents[2].joinpath("docs/architecture.md").read_text()
    section = text.split("### Goal version", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| `(\w+)` \|", section, re.M)
    assert set(rows) == {(start, target, service) for (start, target), service in services.TRANSITIONS.items()}


def test_submitting_needs_the_industry_hearing_over(db):
    reference.load()
    version = version_in(S.INDUSTRY_HEARING)
    with pytest.raises(ValidationError, match="branchehøring"):
        services.goal_version_submit(version=version, industry_hearing=None, by=None)
    open_hearing = SimpleNamespace(kind="industry", version_id=version.pk, is_open=True)
    with pytest.raises(ValidationError, match="stadig åben"):
        services.goal_version_submit(version=version, industry_hearing=open_hearing, by=None)
    other = SimpleNamespace(kind="industry", version_id=version.pk + 999, is_open=False)
    with pytest.raises(ValidationError):
        services.goal_version_submit(version=version, industry_hearing=other, by=None)
    assert GoalVersion.objects.get(pk=version.pk).status == S.INDUSTRY_HEARING


def test_a_registered_adoption_needs_a_reason_and_past_dates(db):
    reference.load()
    version = version_in(S.DRAFT)
    register = services.goal_version_register_adopted
    with pytest.raises(ValidationError, match="mindst 10 tegn"):
        register(version=version, by=None, adopted_on=PAST, effective_date=TODAY, reason="Ja.")
    with pytest.raises(ValidationError, match="fremtiden"):
        register(
            version=version,
            by=None,
            adopted_on=TODAY + datetime.timedelta(1),
            effective_date=TODAY + datetime.timedelta(9),
            reason="Referat af mødet i går.",
        )
    with pytest.raises(ValidationError, match="før den er vedtaget"):
        register(
            version=version,
            by=None,
            adopted_on=PAST,
            effective_date=PAST - datetime.timedelta(1),
            reason="Referat af mødet.",
        )
    registered = register(
        version=version, by=None, adopted_on=PAST, effective_date=TODAY, reason="Referat af mødet 3. maj 2019, punkt 4."
    )
    assert registered.adoption_registered == "Referat af mødet 3. maj 2019, punkt 4."
    assert registered.history.first().history_change_reason == "registered"


def test_a_reason_is_required_to_send_back_or_withdraw(db):
    reference.load()
    version = version_in(S.INTERNAL_HEARING)
    for service in (services.goal_version_return_to_draft, services.goal_version_withdraw):
        with pytest.raises(ValidationError, match="begrundelsen"):
            service(version=version, by=None, reason="  ")
        with pytest.raises(ValidationError, match="100 tegn"):
            service(version=version, by=None, reason="x" * 101)
    assert GoalVersion.objects.get(pk=version.pk).status == S.INTERNAL_HEARING
    services.goal_version_return_to_draft(version=version, by=None, reason="Arbejdsgruppen retter 20.a.")
    assert version.history.first().history_change_reason == "Arbejdsgruppen retter 20.a."


class TestEffectiveDate:
    def test_the_date_of_an_adopted_version_is_corrected_with_a_reason_in_the_history(self, db):
        reference.load()
        version = version_in(S.DRAFT)
        later = TODAY + datetime.timedelta(days=60)
        services.goal_version_register_adopted(
            version=version, by=None, adopted_on=PAST, effective_date=later, reason="Referat af mødet 3. maj."
        )
        with pytest.raises(ValidationError, match="fortiden"):
            services.goal_version_effective_date_change(version=version, effective_date=PAST, reason="Fejl.", by=None)
        even_later = later + datetime.timedelta(days=30)
        changed = services.goal_version_effective_date_change(
            version=version, effective_date=even_later, reason="Leverandørerne skal have mere tid.", by=None
        )
        assert (changed.status, changed.effective_date) == (S.ADOPTED, even_later)
        assert changed.history.first().history_change_reason == "Leverandørerne skal have mere tid."

    def test_a_date_that_has_come_puts_the_version_in_force(self, db):
        reference.load()
        version = version_in(S.DRAFT)
        services.goal_version_register_adopted(
            version=version,
            by=None,
            adopted_on=PAST,
            effective_date=TODAY + datetime.timedelta(days=10),
            reason="Referat af mødet 3. maj.",
        )
        changed = services.goal_version_effective_date_change(
            version=version, effective_date=TODAY, reason="Fremrykket efter aftale.", by=None
        )
        assert changed.status == S.PUBLISHED

    def test_only_an_adopted_version_has_its_date_changed(self, db):
        reference.load()
        for status in (S.DRAFT, S.SUBMITTED, S.PUBLISHED):
            version = version_in(status)
            with pytest.raises(ValidationError):
                services.goal_version_effective_date_change(
                    version=version, effective_date=TODAY, reason="Forsøg.", by=None
                )


def test_adoption_is_called_only_by_the_steering_groups_decision():
    """No view, task or other service adopts a version: the one caller is decision_record."""
    root = Path(__file__).resolve().parents[2]
    callers = [
        path.relative_to(root).as_posix()
        for app in ("goals", "workgroups", "followup", "members", "pogi", "core", "bench")
        for path in (root / app).rglob("*.py")
        if "goal_version_adopt(" in path.read_text() and "def goal_version_adopt(" not in path.read_text()
    ]
    assert callers == ["workgroups/services/meetings.py"]


def test_the_same_date_is_not_a_change(db):
    reference.load()
    version = version_in(S.DRAFT)
    later = TODAY + datetime.timedelta(days=60)
    services.goal_version_register_adopted(
        version=version, by=None, adopted_on=PAST, effective_date=later, reason="Referat af mødet 3. maj."
    )
    with pytest.raises(ValidationError, match="allerede datoen"):
        services.goal_version_effective_date_change(version=version, effective_date=later, reason="Samme.", by=None)


def test_an_adoption_from_the_records_is_older_than_the_version_in_the_portal(db):
    reference.load()
    version = version_in(S.DRAFT)
    GoalVersion.objects.filter(pk=version.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    with pytest.raises(ValidationError, match="før den blev oprettet her"):
        services.goal_version_register_adopted(
            version=version, by=None, adopted_on=PAST, effective_date=TODAY, reason="Referat af mødet 3. maj."
        )
