"""Time the public goal pages on a generated catalogue, then roll the data back.

Server time is measured in-process with Django's test client (no network), as
the median and 95th percentile over repeated requests, with the SQL query count.
The data is created in a transaction that is rolled back: the database is left
as it was.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client

from goals.benchmark import catalogue_build


class Rollback(Exception):
    pass


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Time the catalogue, a goal page, the redline and the open-data files on N generated goals."

    def add_arguments(self, parser):
        parser.add_argument("--goals", type=int, default=300)
        parser.add_argument("--repeat", type=int, default=30)

    def handle(self, *args, goals, repeat, **options):
        try:
            with transaction.atomic():
                started = time.perf_counter()
                catalogue_build(goals=goals)
                self.stdout.write(
                    f"{goals} goals × 2 versions × 10 criteria built in {time.perf_counter() - started:.1f} s ({connection.vendor})"
                )
                self._measure(repeat)
                raise Rollback
        except Rollback:
            pass

    def _measure(self, repeat):
        client = Client(HTTP_HOST="127.0.0.1")
        pages = [
            ("catalogue", "/goals/"),
            ("catalogue, search", "/goals/?q=svanemærket"),
            (
                "catalogue, filters",
                "/goals/?area=rengoering&kind=requirement&ecolabel=nordic-swan-ecolabel&order=-date",
            ),
            ("goal page", "/goals/1000-maal-1000/"),
            ("redline", "/goals/1000-maal-1000/compare/"),
            ("open data JSON", "/open-data/goals.json"),
            ("open data CSV", "/open-data/goals.csv"),
        ]
        self.stdout.write(f"{'page':<22} {'status':>6} {'queries':>7} {'first ms':>9} {'median ms':>10} {'p95 ms':>8}")
        for name, url in pages:
            queries = QueryCounter()
            with connection.execute_wrapper(queries):
                t = time.perf_counter()
                status = client.get(url).status_code
                first = (time.perf_counter() - t) * 1000
            timings = []
            for _ in range(repeat):
                t = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - t) * 1000)
            timings.sort()
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            self.stdout.write(
                f"{name:<22} {status:>6} {queries.count:>7} {first:>9.1f} {statistics.median(timings):>10.1f} {p95:>8.1f}"
            )
