"""Generate a large, reproducible dataset for benchmarks (see bench.dataset)."""

import dataclasses

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.dataset import SCALES, BenchDataRefused, Stage, bench_counts, dataset_build, describe


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Generate a reproducible bench dataset: organisations with members and representatives, goals with "
        "versions and criteria, hearings, steering-group meetings, projects with their plans, participants and "
        "status reports, and closed follow-up rounds with their responses and answers. Only into a database without other data; --reset replaces an earlier one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="nordic10", help="Default: nordic10.")
        parser.add_argument("--organisations", type=_positive)
        parser.add_argument("--goals", type=_positive)
        parser.add_argument("--versions", type=_positive, help="Versions per goal; the last is in force.")
        parser.add_argument("--criteria", type=_positive, help="Criteria per goal version.")
        parser.add_argument("--rounds", type=_positive, help="Follow-up rounds, the last in --last-year.")
        parser.add_argument("--goals-per-round", type=_positive)
        parser.add_argument("--projects", type=_positive, help="Projects of POGI Move and POGI Lab.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--last-year", type=int, help="Year of the last follow-up round. Default: this year.")
        parser.add_argument("--reset", action="store_true", help="Delete an earlier bench dataset first.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Keep an earlier bench dataset as it is and generate nothing."
        )

    def handle(self, *args, scale, seed, last_year, reset, if_empty, **options):
        if if_empty and not reset and bench_counts():
            self.stdout.write(f"Keeping the bench dataset already here ({describe(bench_counts())}).")
            return
        overrides = {
            name: options[name]
            for name in ("organisations", "goals", "versions", "criteria", "rounds", "goals_per_round", "projects")
            if options[name] is not None
        }
        size = dataclasses.replace(SCALES[scale], **overrides)
        if size.goals_per_round > size.goals:
            raise CommandError(f"--goals-per-round ({size.goals_per_round}) cannot exceed --goals ({size.goals}).")
        if size.goals > 32767:
            raise CommandError("--goals: goal numbers stop at 32767.")
        self.stdout.write(
            f"Generating on {connection.vendor} ({connection.settings_dict['NAME']}), seed {seed}: "
            f"{size.organisations:,} organisations, {size.goals:,} goals × {size.versions} versions × "
            f"{size.criteria} criteria, {size.rounds} rounds × {size.goals_per_round} goals, {size.projects:,} projects."
        )
        try:
            result = dataset_build(scale=size, seed=seed, last_year=last_year, reset=reset, progress=self._progress)
        except BenchDataRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(f"{'stage':<24} {'rows':>12} {'seconds':>9}")
        for stage in result.stages:
            self.stdout.write(f"{stage.name:<24} {stage.rows:>12,} {stage.seconds:>9.1f}")
        self.stdout.write(f"{'total':<24} {sum(s.rows for s in result.stages):>12,} {result.seconds:>9.1f}")
        self.stdout.write("")
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<{width}} {count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Bench dataset ready in {result.seconds:.1f} s; the last follow-up round is {result.last_year}."
            )
        )

    def _progress(self, stage: Stage) -> None:
        self.stdout.write(f"  {stage.name}: {stage.rows:,} rows, {stage.seconds:.1f} s")
