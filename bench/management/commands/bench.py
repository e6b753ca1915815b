"""`make bench`: the portal's speed on the Nordic-scale dataset, measured end to end.

Runs against the database the bench dataset was generated in, with the
production settings, and a real server: gunicorn with DEBUG off, started
here on a free port. Per page it measures

- the SQL queries of one request (in-process, Django's test client);
- the server time of sequential requests, median and p95, as gunicorn logs
  it (``%(D)s``, microseconds from request read to response written);
- the throughput under concurrent load with wrk, as a ratio to a trivial view
  (``/robots.txt``) served by the same server in the same run: the ceiling of
  this machine;

then the deadline crunch (``bench/crunch.py`` under locust: representatives
saving questionnaire sections at once), checked afterwards answer by answer,
and adds the report generation figures of ``bench_report``. It writes
``bench/results.json`` and ``bench/results.md``. With ``--only``, only the
pages whose name contains the text are measured (beside the trivial view),
without the crunch, and written to another directory (``--output``), so a
partial run never replaces the recorded one.

Sessions are created for the bench's users directly (their passwords are
unusable) and deleted at the end; the crunch changes draft answers of the
open round, nothing else.
"""

import csv
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from core import pagecache
from followup.models import GoalAnswer, Response, Round
from goals.models import Ecolabel, GoalVersion
from members.models import Representative, User
from workgroups.models import Project

BUDGET_MS = 100
CATALOGUE_RATIO = 0.30
REPORT_SECONDS = 15
REPORT_MIB = 1024
SAVE_QUERIES = 20
CSRF_CHARS = string.ascii_letters + string.digits


@dataclass
class Page:
    name: str
    path: str
    user: str = ""  # "" anonymous, "secretariat" or "representative"
    method: str = "GET"
    throughput: bool = True
    queries: int | None = None
    status: int | None = None
    median_ms: float | None = None
    p95_ms: float | None = None
    requests_per_second: float | None = None
    ratio: float | None = None
    load_errors: int | None = None


@dataclass
class Crunch:
    users: int
    seconds: int
    wait: str
    saves: int = 0
    save_median_ms: float | None = None
    save_p95_ms: float | None = None
    save_server_p95_ms: float | None = None
    page_p95_ms: float | None = None
    saves_per_second: float | None = None
    errors: int = 0
    answers_checked: int = 0
    answers_wrong: list = field(default_factory=list)
    untouched_changed: int = 0


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _tool(name: str) -> str | None:
    """A command from PATH or from the virtualenv the bench runs in."""
    beside = Path(sys.executable).parent / name
    return shutil.which(name) or (str(beside) if beside.exists() else None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = "Measure every page on the bench dataset with gunicorn (DEBUG off), wrk and a locust deadline crunch."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=60, help="Sequential requests per page (default 60).")
        parser.add_argument("--load-seconds", type=int, default=10, help="wrk run per page (default 10 s).")
        parser.add_argument("--connections", type=int, default=10, help="wrk connections (default 10).")
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4).")
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4).")
        parser.add_argument("--crunch-users", type=int, default=200)
        parser.add_argument("--crunch-seconds", type=int, default=60)
        parser.add_argument("--crunch-wait", default="10-30", help="A representative's pause between saves, in s.")
        parser.add_argument("--keep-alive", type=int, default=30, help="gunicorn keep-alive (default 30 s).")
        parser.add_argument("--report", default="bench/report.json", help="The figures of bench_report.")
        parser.add_argument("--output", default="bench", help="Where results.json and results.md go.")
        parser.add_argument(
            "--only",
            default="",
            help="Measure only the pages whose name contains this text (the trivial view always), without the "
            "deadline crunch; the results must then go elsewhere than bench/ (--output).",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The bench runs on PostgreSQL: set DATABASE_URL (make bench does).")
        for tool in ("wrk", "locust", "gunicorn"):
            if _tool(tool) is None:
                raise CommandError(
                    f"{tool} is missing: make bench installs it (apt-get install wrk, pip for the rest)."
                )
        self.options = options
        only = options["only"]
        if only and Path(options["output"]).resolve() == (Path(settings.BASE_DIR) / "bench").resolve():
            raise CommandError(
                "A partial run (--only) is not written over the recorded results in bench/: give --output."
            )
        started = time.perf_counter()
        self.sessions: list[str] = []
        crunch = None
        try:
            pages, crunch_users = self._prepare()
            if only:
                pages = [p for i, p in enumerate(pages) if i == 0 or only in p.name]
            self._query_counts(pages)
            with self._server() as (host, log):
                self._latency(host, log, pages)
                self._throughput(host, pages)
                if not only:
                    crunch = self._crunch(host, log, crunch_users)
            if crunch is not None:
                self._check_crunch(crunch, crunch_users)
        finally:
            self._sessions_delete()
        results = self._results(pages, crunch, time.perf_counter() - started)
        out = Path(options["output"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (out / "results.md").write_text(self._markdown(results), encoding="utf-8")
        self.stdout.write((out / "results.md").read_text(encoding="utf-8"))

    # --- the users, their sessions and the pages ---------------------------------------------------

    def _session(self, user) -> str:
        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(4 * 60 * 60)
        store.create()
        self.sessions.append(store.session_key)
        return store.session_key

    def _sessions_delete(self):
        engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        for key in self.sessions:
            engine(session_key=key).delete()

    def _prepare(self):
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        secretariat = User.objects.filter(is_secretariat=True, is_active=True).order_by("pk").first()
        if secretariat is None:
            raise CommandError("No secretariat user: generate the dataset first (make bench-data).")
        if not Authenticator.objects.filter(user=secretariat, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(secretariat, generate_totp_secret())  # secretariat pages require two-factor authentication
        open_round = Round.objects.filter(status=Round.Status.OPEN).order_by("-year").first()
        closed_round = Round.objects.filter(status=Round.Status.CLOSED).order_by("-year").first()
        if open_round is None or closed_round is None:
            raise CommandError("The dataset needs an open and a closed round: regenerate it (bench_dataset --reset).")
        numbers = list(open_round.goal_versions.values_list("goal__number", flat=True))
        editable = (
            Response.objects.filter(
                round=open_round,
                status__in=[Response.Status.NOT_STARTED, Response.Status.DRAFT],
                organisation__representatives__user__is_active=True,
                organisation__representatives__position="primary",
            )
            .select_related("organisation")
            .order_by("pk")
            .distinct()
        )
        wanted = self.options["crunch_users"] + 1
        chosen = list(editable[:wanted])
        if len(chosen) < wanted:
            raise CommandError(f"Only {len(chosen)} editable responses in round {open_round.year}; {wanted} needed.")
        primary = {
            rep.organisation_id: rep.user
            for rep in Representative.objects.filter(
                organisation__in=[r.organisation_id for r in chosen], position="primary"
            ).select_related("user")
        }
        self.secretariat_session = self._session(secretariat)
        mine, crunch = chosen[0], chosen[1:]
        self.representative_session = self._session(primary[mine.organisation_id])
        self.csrf = get_random_string(32, CSRF_CHARS)
        crunch_users = [
            {
                "response": response.pk,
                "session": self._session(primary[response.organisation_id]),
                "csrf": get_random_string(32, CSRF_CHARS),
                "goals": numbers,
            }
            for response in crunch
        ]
        in_force = (
            GoalVersion.objects.filter(status=GoalVersion.Status.PUBLISHED, number__gt=1)
            .select_related("goal")
            .order_by("goal__number")
            .first()
        )
        area = in_force.goal.product_area
        label = Ecolabel.objects.filter(goal_versions=in_force).first() or Ecolabel.objects.order_by("pk").first()
        goal_path = in_force.goal.get_absolute_url()
        section = f"/followup/responses/{mine.pk}/goals/{numbers[0]}/"
        # The project with the most phases and participants: the fullest project page.
        project = (
            Project.objects.filter(status=Project.Status.RUNNING)
            .annotate(size=Count("phases", distinct=True) + Count("participants", distinct=True))
            .order_by("-size", "slug")
            .first()
        )
        if project is None:
            raise CommandError("The dataset has no running project: regenerate it (bench_dataset --reset).")
        member = project.participants.select_related("organisation").order_by("organisation__slug").first()
        pages = [
            Page("trivial view (ceiling)", "/robots.txt"),
            Page("catalogue", "/goals/"),
            Page("catalogue, search", "/goals/?q=" + quote("svanemærket")),
            Page("catalogue, filters", f"/goals/?area={area.slug}&ecolabel={label.slug}&kind=requirement&order=-date"),
            # The same catalogue for a signed-in user: rendered every time, never from the page cache.
            Page("catalogue, signed in", "/goals/", "representative"),
            Page("goal page", goal_path),
            Page("redline", f"{goal_path}compare/"),
            Page("open data JSON", "/open-data/goals.json"),
            Page("open data CSV", "/open-data/goals.csv"),
            Page("member directory", "/members/"),
            Page("follow-up overview (secretariat)", f"/followup/rounds/{open_round.year}/", "secretariat"),
            Page("questionnaire section", section, "representative"),
            Page("questionnaire section save", section, "representative", "POST", throughput=False),
            Page("report data page", f"/followup/rounds/{closed_round.year}/report/", "secretariat"),
            Page("project list", "/projects/"),
            Page("project list, filters", "/projects/?track=move&status=running"),
            Page("project list, member", f"/projects/?member={member.organisation.slug}"),
            Page("project page", project.get_absolute_url()),
            *self._dialogue_pages(),
        ]
        self.rounds = {"open": open_round.year, "closed": closed_round.year}
        self.section_response = mine
        return pages, crunch_users

    def _dialogue_pages(self) -> list[Page]:
        """The fullest Nordic buyer dialogue's public page (in Swedish) and its assessors' list."""
        dialogue = (
            Project.objects.filter(kind=Project.Kind.DIALOGUE)
            .annotate(size=Count("dialogue__applications"))
            .order_by("-size", "slug")
            .first()
        )
        if dialogue is None:
            return []
        return [
            Page("dialogue page", "/sv" + dialogue.get_absolute_url()),
            Page("dialogue applications", f"{dialogue.get_absolute_url()}applications/", "secretariat"),
        ]

    def _cookie(self, page: Page, csrf: str | None = None) -> str:
        session = {"secretariat": self.secretariat_session, "representative": self.representative_session}
        cookies = [f"csrftoken={csrf or self.csrf}"]
        if page.user:
            cookies.append(f"sessionid={session[page.user]}")
        return "; ".join(cookies)

    def _form(self, html: str, n: int) -> dict:
        version = re.search(r'name="version" value="(\d+)"', html).group(1)
        return {
            "csrfmiddlewaretoken": self.csrf,
            "version": version,
            "tenders_completed": str(10 + n % 7),
            "tenders_with_criteria": str(5 + n % 5),
            "volume_dkk": "1000000",
            "status": "partly",
            "reason": "Ikke alle udbud var omfattet.",
            "challenges": f"Bench save {n}",
            "comment": "",
            "save": "",
        }

    # --- SQL queries, in-process ---------------------------------------------------------------------

    def _query_counts(self, pages):
        # Counted as the first visitor's request: rendered, not served from the page cache of an earlier run.
        pagecache.bump("catalogue")
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        for page in pages:
            client.cookies.clear()
            for part in self._cookie(page).split("; "):
                name, value = part.split("=", 1)
                client.cookies[name] = value
            if page.method == "POST":
                form = self._form(client.get(page.path).content.decode(), 0)
            with CaptureQueriesContext(connection) as statements:
                response = client.post(page.path, form) if page.method == "POST" else client.get(page.path)
            page.queries, page.status = len(statements), response.status_code
            expected = 302 if page.method == "POST" else 200
            if page.status != expected:
                raise CommandError(f"{page.name}: {page.path} answered {page.status}, not {expected}.")
            self.stdout.write(f"{page.name}: {page.queries} queries")

    # --- the server --------------------------------------------------------------------------------

    @contextmanager
    def _server(self):
        port = _free_port()
        log = Path(tempfile.mkdtemp(prefix="pogi-bench-")) / "access.log"
        command = [
            _tool("gunicorn"),
            "pogi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(self.options["workers"]),
            "--threads",
            str(self.options["threads"]),
            "--backlog",
            "2048",
            "--keep-alive",
            str(self.options["keep_alive"]),
            "--no-control-socket",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%({x-bench}i)s %(s)s %(D)s",
        ]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        host = f"127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(
                        urllib.request.Request(f"http://{host}/robots.txt", headers={"X-Forwarded-Proto": "https"})
                    ) as answer:
                        if answer.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError):
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise CommandError(f"gunicorn did not start: {server.stderr.read()[-2000:]}")
                time.sleep(0.3)
            self.stdout.write(
                f"gunicorn on {host}: {self.options['workers']} workers × {self.options['threads']} threads, DEBUG off"
            )
            yield host, log
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()

    def _server_times(self, log: Path, tag: str) -> list[float]:
        times = []
        for line in log.read_text().splitlines():
            name, _status, micros = line.rsplit(" ", 2)
            if name == tag:
                times.append(int(micros) / 1000)
        return times

    # --- sequential requests -----------------------------------------------------------------------

    def _latency(self, host, log, pages):
        conn = http.client.HTTPConnection(host)
        for index, page in enumerate(pages):
            tag = f"seq-{index}"
            headers = {"X-Forwarded-Proto": "https", "X-Bench": tag, "Cookie": self._cookie(page)}
            for n in range(5 + self.options["repeat"]):
                headers["X-Bench"] = tag if n >= 5 else "warm-up"  # the first five warm the workers up
                if page.method == "POST":
                    conn.request("GET", page.path, headers={**headers, "X-Bench": "warm-up"})
                    form = self._form(conn.getresponse().read().decode(), n)
                    body = "&".join(f"{k}={quote(v)}" for k, v in form.items())
                    post_headers = {
                        **headers,
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Referer": f"https://{host}{page.path}",
                    }
                    conn.request("POST", page.path, body=body, headers=post_headers)
                else:
                    conn.request("GET", page.path, headers=headers)
                answer = conn.getresponse()
                answer.read()
                if answer.status >= 400:
                    raise CommandError(f"{page.name}: {page.path} answered {answer.status}.")
            time.sleep(0.3)  # gunicorn writes the access log line after the response
            times = self._server_times(log, tag)
            page.median_ms = round(statistics.median(times), 1)
            page.p95_ms = round(_percentile(times, 0.95), 1)
            self.stdout.write(f"{page.name}: median {page.median_ms} ms, p95 {page.p95_ms} ms ({len(times)} requests)")
        conn.close()

    # --- throughput --------------------------------------------------------------------------------

    def _throughput(self, host, pages):
        ceiling = None
        for page in pages:
            if not page.throughput:
                continue
            command = [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(self.options["connections"]),
                "--duration",
                f"{self.options['load_seconds']}s",
                "--header",
                "X-Forwarded-Proto: https",
                "--header",
                "X-Bench: load",
                "--header",
                f"Cookie: {self._cookie(page)}",
                f"http://{host}{page.path}",
            ]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            page.requests_per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
            page.load_errors = (int(errors.group(1)) if errors else 0) + (
                sum(int(g) for g in socket_errors.groups()) if socket_errors else 0
            )
            if ceiling is None:
                ceiling = page.requests_per_second
            page.ratio = round(page.requests_per_second / ceiling, 3)
            self.stdout.write(
                f"{page.name}: {page.requests_per_second:.0f} requests/s ({page.ratio:.0%} of the ceiling)"
            )

    # --- the deadline crunch -----------------------------------------------------------------------

    def _crunch(self, host, log, users):
        low, high = (float(x) for x in self.options["crunch_wait"].split("-"))
        crunch = Crunch(users=len(users), seconds=self.options["crunch_seconds"], wait=f"{low:g}–{high:g} s")
        workdir = Path(tempfile.mkdtemp(prefix="pogi-crunch-"))
        for user in users:
            user["host"] = host
        (workdir / "users.json").write_text(json.dumps(users))
        self.snapshot = self._answers([u["response"] for u in users])
        command = [
            _tool("locust"),
            "-f",
            str(Path(settings.BASE_DIR) / "bench" / "crunch.py"),
            "--headless",
            "--host",
            f"http://{host}",
            "--users",
            str(len(users)),
            "--spawn-rate",
            "100",
            "--run-time",
            f"{crunch.seconds}s",
            "--stop-timeout",
            "10",
            "--csv",
            str(workdir / "crunch"),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = {
            **os.environ,
            "BENCH_CRUNCH_USERS": str(workdir / "users.json"),
            "BENCH_CRUNCH_LEDGER": str(workdir / "ledger.json"),
            "BENCH_CRUNCH_WAIT_MIN": str(low),
            "BENCH_CRUNCH_WAIT_MAX": str(high),
        }
        self.stdout.write(f"Deadline crunch: {len(users)} representatives for {crunch.seconds} s …")
        subprocess.run(command, env=env, check=False, capture_output=True, text=True)
        ledger = json.loads((workdir / "ledger.json").read_text())
        self.ledger = ledger["answers"]
        with open(workdir / "crunch_stats.csv", encoding="utf-8") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
        save, section = rows["section save"], rows["section page"]
        crunch.saves = int(save["Request Count"])
        crunch.errors = sum(int(row["Failure Count"]) for row in rows.values())
        crunch.save_median_ms = float(save["50%"])
        crunch.save_p95_ms = float(save["95%"])
        crunch.page_p95_ms = float(section["95%"])
        crunch.saves_per_second = round(float(save["Requests/s"]), 1)
        server = self._server_times(log, "crunch-save")
        crunch.save_server_p95_ms = round(_percentile(server, 0.95), 1) if server else None
        return crunch

    def _answers(self, responses) -> dict[str, tuple]:
        rows = GoalAnswer.objects.filter(response__in=responses).values_list(
            "response_id",
            "goal_version__goal__number",
            "tenders_completed",
            "tenders_with_criteria",
            "volume_dkk",
            "challenges",
            "version",
        )
        return {f"{r[0]}:{r[1]}": r[2:] for r in rows}

    def _check_crunch(self, crunch, users):
        after = self._answers([u["response"] for u in users])
        for key, saved in self.ledger.items():
            crunch.answers_checked += 1
            found = after.get(key)
            expected = (
                saved["tenders_completed"],
                saved["tenders_with_criteria"],
                saved["volume_dkk"],
                saved["challenges"],
            )
            if found is None or found[:4] != expected:
                crunch.answers_wrong.append({"answer": key, "expected": expected, "found": found and found[:4]})
        crunch.untouched_changed = sum(
            1 for key, before in self.snapshot.items() if key not in self.ledger and after.get(key) != before
        )
        self.stdout.write(
            f"Crunch: {crunch.saves} saves, p95 {crunch.save_p95_ms} ms, {crunch.errors} errors, "
            f"{crunch.answers_checked} answers checked, {len(crunch.answers_wrong)} wrong, "
            f"{crunch.untouched_changed} untouched answers changed"
        )

    # --- results -----------------------------------------------------------------------------------

    def _machine(self) -> dict:
        memory = 0
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    memory = int(line.split()[1]) / 1024 / 1024
        cpu = platform.processor()
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        return {
            "cores": os.cpu_count(),
            "memory_gib": round(memory, 1),
            "cpu": cpu,
            "python": platform.python_version(),
            "postgresql": connection.cursor().connection.info.server_version,
        }

    def _results(self, pages, crunch, seconds) -> dict:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=settings.BASE_DIR
        ).stdout.strip()
        dirty = subprocess.run(
            # The bench's own output (bench/) does not make the code it measured a different one.
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench"],
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        ).stdout.strip()
        report_path = Path(self.options["report"])
        report = json.loads(report_path.read_text()) if report_path.exists() else None
        data = {
            "organisations": Response.objects.filter(round__year=self.rounds["open"]).count(),
            "goal_versions": GoalVersion.objects.count(),
            "rounds": Round.objects.count(),
            "answers": GoalAnswer.objects.count(),
            "projects": Project.objects.count(),
        }
        return {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": commit + ("+changes" if dirty else ""),
            "machine": self._machine(),
            "server": {
                "gunicorn": f"{self.options['workers']} workers × {self.options['threads']} threads (gthread)",
                "settings": os.environ.get("DJANGO_SETTINGS_MODULE"),
                "debug": settings.DEBUG,
            },
            "data": data,
            "rounds": self.rounds,
            "method": {
                "sequential_requests": self.options["repeat"],
                "load": f"wrk, 1 thread, {self.options['connections']} connections, {self.options['load_seconds']} s",
                "crunch": f"locust, {crunch.users} users, {crunch.seconds} s, pause {crunch.wait}"
                if crunch is not None
                else "not run (--only)",
            },
            "pages": [asdict(p) for p in pages],
            "crunch": asdict(crunch) if crunch is not None else None,
            "report": report,
            "seconds": round(seconds),
        }

    def _markdown(self, r) -> str:
        def ms(value):
            return "–" if value is None else f"{value:.1f}"

        def verdict(ok):
            return "met" if ok else "**missed**"

        lines = [
            "# Bench results",
            "",
            f"Run {r['date']} on commit `{r['commit']}`; machine: {r['machine']['cores']} cores, "
            f"{r['machine']['memory_gib']} GiB, {r['machine']['cpu']}, Python {r['machine']['python']}.",
            f"Server: gunicorn, {r['server']['gunicorn']}, `{r['server']['settings']}`, DEBUG {r['server']['debug']}.",
            f"Data: {r['data']['organisations']:,} organisations, {r['data']['goal_versions']:,} goal versions, "
            f"{r['data']['rounds']} rounds, {r['data']['answers']:,} answers, {r['data'].get('projects', 0):,} "
            f"projects; open round {r['rounds']['open']}, "
            f"report round {r['rounds']['closed']}.",
            f"Method: {r['method']['sequential_requests']} sequential requests per page after 5 warm-up ones "
            f"(server time from gunicorn's log); throughput with {r['method']['load']}; "
            f"crunch with {r['method']['crunch']}. Reproduce: `make bench`.",
            "",
            "| Page | SQL queries | median ms | p95 ms | requests/s | of trivial | p95 ≤ 100 ms |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for p in r["pages"]:
            rps = "–" if p["requests_per_second"] is None else f"{p['requests_per_second']:.0f}"
            ratio = "–" if p["ratio"] is None else f"{p['ratio']:.0%}"
            lines.append(
                f"| {p['name']} | {p['queries']} | {ms(p['median_ms'])} | {ms(p['p95_ms'])} | {rps} | {ratio} "
                f"| {verdict(p['p95_ms'] <= BUDGET_MS)} |"
            )
        c = r["crunch"]
        catalogue = next((p for p in r["pages"] if p["name"] == "catalogue"), None)
        save = next((p for p in r["pages"] if p["method"] == "POST"), None)
        worst = max(r["pages"], key=lambda p: p["p95_ms"])
        if c is not None:
            lines += [
                "",
                "## Deadline crunch",
                "",
                f"{c['users']} representatives, each opening one of its goal sections and saving it, pausing "
                f"{c['wait']} between saves, for {c['seconds']} s.",
                "",
                f"- saves: {c['saves']:,} ({c['saves_per_second']} per second)",
                f"- save latency at the client: median {ms(c['save_median_ms'])} ms, p95 {ms(c['save_p95_ms'])} ms; "
                f"server time p95 {ms(c['save_server_p95_ms'])} ms; section page p95 {ms(c['page_p95_ms'])} ms",
                f"- errors: {c['errors']}",
                f"- answers checked after the run: {c['answers_checked']:,}, not the last acknowledged save: "
                f"{len(c['answers_wrong'])}; answers not saved in the run but changed: {c['untouched_changed']}",
            ]
        rep = r["report"]
        if rep:
            lines += [
                "",
                "## Annual report",
                "",
                f"Round {rep['year']} ({rep['language']}), {rep['data']['answers_in_round']:,} answers in the round: "
                f"**{rep['enqueue_to_stored_pdf_seconds']} s** from enqueue to stored PDF, worker peak memory "
                f"**{rep['worker_peak_memory_mib']} MiB** (run {rep['date']}, commit `{rep['commit']}`).",
            ]
        lines += [
            "",
            "## Budgets",
            "",
            f"- Every page p95 ≤ {BUDGET_MS} ms: {verdict(worst['p95_ms'] <= BUDGET_MS)} "
            f"(slowest: {worst['name']}, {ms(worst['p95_ms'])} ms).",
        ]
        if catalogue is not None:
            lines.append(
                f"- Catalogue throughput ≥ {CATALOGUE_RATIO:.0%} of the trivial view: "
                f"{verdict(catalogue['ratio'] >= CATALOGUE_RATIO)} ({catalogue['ratio']:.0%})."
            )
        if save is not None:
            lines.append(
                f"- Questionnaire save ≤ {SAVE_QUERIES} queries: {verdict(save['queries'] <= SAVE_QUERIES)} "
                f"({save['queries']})."
            )
        if c is not None:
            lost = c["errors"] or c["answers_wrong"] or c["untouched_changed"]
            lines.append(
                f"- Save p95 ≤ {BUDGET_MS} ms in the crunch, zero errors, nothing lost: "
                f"{verdict(c['save_p95_ms'] <= BUDGET_MS and not lost)}."
            )
        if rep:
            lines.append(
                f"- Report ≤ {REPORT_SECONDS} s and ≤ 1 GB: "
                f"{verdict(rep['enqueue_to_stored_pdf_seconds'] <= REPORT_SECONDS and rep['worker_peak_memory_mib'] <= REPORT_MIB)}."
            )
        lines += [
            "",
            "Query counts are also pinned by the test suite, independent of the data size. "
            "See docs/performance.md for how the budgets were reached.",
            "",
        ]
        return "\n".join(lines)
