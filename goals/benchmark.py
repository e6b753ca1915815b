"""Build a catalogue of many goals quickly (bulk inserts), for benchmarks and query-count checks."""

import datetime
import random

from django.db import connection
from django.utils import timezone

from . import reference, search
from .models import Criterion, Ecolabel, Goal, GoalVersion, ProductArea, SdgTarget

WORDS = [
    "rengøringsmidler",
    "svanemærket",
    "eu-blomsten",
    "dosering",
    "emballage",
    "genanvendt",
    "træ",
    "fsc",
    "pefc",
    "energiklasse",
    "led",
    "tekstiler",
    "oeko-tex",
    "leverandøren",
    "dokumentation",
    "produktet",
    "skal",
    "opfylde",
    "kravene",
    "tilsvarende",
    "miljømærke",
    "transport",
    "elektrisk",
    "køretøj",
    "papir",
    "tryksager",
    "affald",
    "kemikalier",
    "allergifremkaldende",
    "parfume",
]


def catalogue_build(*, goals: int, versions: int = 2, criteria: int = 10, seed: int = 7) -> int:
    """Create `goals` goals numbered from 1000, each with `versions` versions (the last in force)."""
    rng = random.Random(seed)
    reference.load()
    areas = list(ProductArea.objects.all())
    labels = list(Ecolabel.objects.all())
    targets = list(SdgTarget.objects.all())
    now = timezone.now()
    goal_rows = Goal.objects.bulk_create(
        Goal(number=1000 + i, slug=f"maal-{1000 + i}", product_area=areas[i % len(areas)]) for i in range(goals)
    )
    version_rows = []
    for goal in goal_rows:
        for n in range(1, versions + 1):
            last = n == versions
            version_rows.append(
                GoalVersion(
                    goal=goal,
                    number=n,
                    status="published" if last else "superseded",
                    title=f"Indkøbsmål {goal.number} {rng.choice(WORDS)}",
                    statement=" ".join(rng.choices(WORDS, k=25)),
                    scope=" ".join(rng.choices(WORDS, k=12)),
                    effective_date=datetime.date(2015 + n + goal.number % 5, 1 + goal.number % 12, 1),
                    published_at=now,
                    superseded_at=None if last else now,
                )
            )
    version_rows = GoalVersion.objects.bulk_create(version_rows)
    criterion_rows = [
        Criterion(
            version=version,
            number=f"{version.goal.number}.{chr(97 + k)}",
            position=k + 1,
            kind=rng.choice(Criterion.Kind.values),
            text=" ".join(rng.choices(WORDS, k=30)),
            documentation=" ".join(rng.choices(WORDS, k=12)),
        )
        for version in version_rows
        for k in range(criteria)
    ]
    criterion_rows = Criterion.objects.bulk_create(criterion_rows, batch_size=2000)
    Criterion.ecolabels.through.objects.bulk_create(
        (
            Criterion.ecolabels.through(criterion=c, ecolabel=rng.choice(labels))
            for c in criterion_rows
            if rng.random() < 0.4
        ),
        batch_size=2000,
    )
    GoalVersion.ecolabels.through.objects.bulk_create(
        GoalVersion.ecolabels.through(goalversion=v, ecolabel=rng.choice(labels)) for v in version_rows
    )
    GoalVersion.sdg_targets.through.objects.bulk_create(
        GoalVersion.sdg_targets.through(goalversion=v, sdgtarget=rng.choice(targets)) for v in version_rows
    )
    if connection.vendor == "postgresql":
        for version in GoalVersion.objects.filter(status="published", goal__number__gte=1000).prefetch_related(
            "criteria", "ecolabels"
        ):
            search.document_update(version)
    return len(goal_rows)
