"""Time the annual report of one round from "generate" to the stored PDF, rendered by a real Celery worker.

The worker is started here (solo pool, on a queue of its own), so its peak
memory (VmHWM) is the rendering's. The stored report of the round is cleared
first, so the PDF is really rendered, not reused. Needs PostgreSQL and Redis
(DATABASE_URL, CELERY_BROKER_URL).
"""

import json
import os
import platform
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from followup.models import GoalAnswer, Report, Round
from followup.selectors import reports as report_selectors
from followup.services import reports as report_services
from members.models import Organisation


def _peak_kib(pid: int) -> int:
    """The process's peak resident memory (VmHWM) in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class Command(BaseCommand):
    help = "Time the annual report of the last closed round from enqueue to stored PDF, with the worker's peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="The round (default: the last closed one).")
        parser.add_argument("--language", default="da", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument("--output", default="bench/report.json", help="Where to write the figures as JSON.")
        parser.add_argument("--timeout", type=int, default=600)

    def handle(self, *args, year, language, output, timeout, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The report benchmark runs on PostgreSQL: set DATABASE_URL.")
        if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
            raise CommandError("The report benchmark needs a real worker: set CELERY_BROKER_URL (Redis).")
        rounds = Round.objects.filter(status=Round.Status.CLOSED)
        round_ = rounds.filter(year=year).first() if year else rounds.order_by("-year").first()
        if round_ is None:
            raise CommandError("No closed round to report on. Generate data first: manage.py bench_dataset.")

        sizes = {
            "organisations": Organisation.objects.count(),
            "rounds": Round.objects.count(),
            "goals_in_round": round_.goal_versions.count(),
            "answers": GoalAnswer.objects.count(),
            "answers_in_round": GoalAnswer.objects.filter(response__round=round_).count(),
        }
        self.stdout.write(f"Round {round_.year}: {sizes}")
        started = time.perf_counter()
        report_selectors.report_data(round=round_)
        aggregation = time.perf_counter() - started
        self.stdout.write(f"Aggregation alone (in this process): {aggregation:.2f} s")

        # The report is rendered afresh: a stored file for the same figures would be reused.
        Report.objects.filter(round=round_, kind=Report.Kind.REPORT, language=language).update(data_hash="")
        queue = f"pogi-bench-{uuid.uuid4().hex[:8]}"
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pogi", "worker", "-Q", queue, "--pool", "solo", "-l", "warning"],
            cwd=settings.BASE_DIR,
            # Charts drawn afresh: the cold path, as after a change of the figures.
            env={**os.environ, "C_FORCE_ROOT": "1", "REPORT_CHART_CACHE": "false"},
        )
        try:
            from members.tasks import ping
            from pogi.celery import app

            app.conf.task_default_queue = queue
            ping.apply_async(queue=queue).get(timeout=120)
            baseline_kib = _peak_kib(worker.pid)

            enqueued = time.perf_counter()
            with transaction.atomic():
                report = report_services.report_generate(
                    round=round_, kind=Report.Kind.REPORT, language=language, by=None
                )
            deadline = time.monotonic() + timeout
            while True:
                report.refresh_from_db()
                if report.status in (Report.Status.DONE, Report.Status.FAILED):
                    break
                if time.monotonic() > deadline:
                    raise CommandError(f"The report was not ready within {timeout} s (status {report.status}).")
                time.sleep(0.05)
            total = time.perf_counter() - enqueued
            peak_kib = _peak_kib(worker.pid)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        if report.status == Report.Status.FAILED:
            raise CommandError(f"The report failed: {report.error}")

        result = {
            "date": timezone.now().isoformat(timespec="seconds"),
            "commit": _commit(),
            "machine": {"cores": os.cpu_count(), "memory_gib": _memory_gib(), "python": platform.python_version()},
            "data": sizes,
            "year": round_.year,
            "language": language,
            "aggregation_seconds": round(aggregation, 3),
            "enqueue_to_stored_pdf_seconds": round(total, 2),
            "render_seconds": round((report.finished_at - report.started_at).total_seconds(), 2),
            "pdf_bytes": report.size,
            "worker_peak_memory_mib": round(peak_kib / 1024, 1),
            "worker_idle_memory_mib": round(baseline_kib / 1024, 1),
        }
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, indent=2) + "\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Report {round_.year} ({language}): {total:.2f} s from enqueue to stored PDF "
                f"(rendering {result['render_seconds']} s), {report.size:,} bytes; "
                f"worker peak memory {result['worker_peak_memory_mib']} MiB. Written to {path}."
            )
        )


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0
