"""The platform around the apps: health, production settings, demo data, translations."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from members.models import Invitation, Membership, Organisation, Representative, User
from tests.conftest import service_missing

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "pogi.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-for-the-deploy-check-" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "pogi.example",
    "DATABASE_URL": "sqlite:////tmp/pogi-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://pogi.example",
}


def manage(*args, env=None):
    base = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class TestHealth:
    @pytest.mark.django_db
    def test_reports_each_service(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"]["database"] == "ok"
        assert body["checks"]["cache"] == "ok"
        assert body["checks"]["broker"] == "in-process"
        assert response["Cache-Control"].startswith("max-age=0")

    @pytest.mark.django_db
    def test_real_broker_ok_and_unreachable_broker_is_503(self, client, settings, require_redis):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CELERY_BROKER_URL = require_redis
        assert client.get("/healthz").json()["checks"]["broker"] == "ok"
        settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {
            "status": "unavailable",
            "checks": {"database": "ok", "cache": "ok", "broker": "unavailable"},
        }


class TestProductionSettings:
    def test_check_deploy_has_no_warnings(self):
        result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "no issues" in result.stdout

    def test_refuses_to_start_without_its_secret(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
        result = manage("check", env=env)
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY" in result.stderr

    def test_refuses_to_start_without_the_portals_address(self):
        # given production settings without SITE_URL, or with a plain http address behind HTTPS
        without = {k: v for k, v in PRODUCTION_ENV.items() if k != "SITE_URL"}
        plain = {**PRODUCTION_ENV, "SITE_URL": "http://pogi.example"}
        # then the portal does not start: its emails would link to the wrong place
        for env, expected in ((without, "SITE_URL"), (plain, "https://")):
            result = manage("check", env=env)
            assert result.returncode != 0
            assert expected in result.stderr


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    def snapshot():
        return {
            "organisations": sorted(Organisation.objects.values_list("slug", "procurement_policy_url")),
            "memberships": sorted(Membership.objects.values_list("organisation__slug", "status", "joined_on")),
            "representatives": sorted(Representative.objects.values_list("user__email", "organisation__slug")),
            "users": sorted(User.objects.values_list("email", "is_secretariat")),
            "invitations": Invitation.objects.count(),
            "authenticators": Authenticator.objects.count(),
            "history": Membership.history.count() + Organisation.history.count(),
        }

    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = snapshot()
    call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert snapshot() == first
    # the data a new user is promised
    assert Membership.objects.filter(status="active").count() >= 20
    assert Membership.objects.filter(status="applied").count() == 1
    assert sum(m.in_transition for m in Membership.objects.filter(status="active")) == 3
    roles = {u.email: u for u in User.objects.all()}
    assert roles["sekretariat@pogi.example"].is_secretariat
    assert roles["styregruppe@aarhus.example"].representative.steering_group
    kk = roles["indkoeb@kk.example"].representative.organisation
    roskilde = roles["indkoeb@roskilde.example"].representative.organisation
    assert kk != roskilde


# Finnish covers the Nordic buyer dialogues: their pages, forms and e-mails, and the frame every page and e-mail
# has (header, footer, navigation, form messages). Its strings are those that occur in these files, plus the
# labels of the models' choices the dialogue pages show.
FINNISH_FILES = re.compile(
    r"^(templates/(base|404)\.html|templates/(includes|forms|emails|workgroups/dialogues)/"
    r"|templates/workgroups/email/(dialogue_|interest_)"
    r"|workgroups/(forms|views|models)_dialogues\.py|workgroups/services/dialogues\.py"
    r"|core/identifiers\.py|core/ratelimit\.py|pogi/context_processors\.py|pogi/settings/)"
)
FINNISH_LABELS = {
    "Denmark",
    "Norway",
    "Sweden",
    "Finland",
    "Iceland",
    "Nordic buyer dialogue",
    "Running",
    "Completed",
    "Stopped",
    "Danish",
    "English",
    "Norwegian Bokmål",
    "Swedish",
    "Finnish",
}


def _untranslated(po: Path) -> list[tuple[str, list[str]]]:
    """(msgid, the files it occurs in) of every entry that is untranslated or fuzzy."""
    out = []
    for args in (["--untranslated"], ["--only-fuzzy"]):
        text = subprocess.run(
            ["msgattrib", *args, "--no-obsolete", "--no-wrap", str(po)], capture_output=True, text=True, check=True
        ).stdout
        files: list[str] = []
        for line in text.splitlines():
            if line.startswith("#: "):
                files += [ref.rsplit(":", 1)[0] for ref in line[3:].split()]
            elif line.startswith("msgid ") and line != 'msgid ""':
                out.append((line[7:-1], files))
                files = []
            elif not line.startswith("#"):
                files = [] if not line.strip() else files
    return out


def test_every_project_string_is_translated_into_every_offered_language(tmp_path):
    """Extract the project's strings afresh and merge them with locale/: nothing may be untranslated or fuzzy in
    Danish, Norwegian Bokmål and Swedish, nor in Finnish on the Nordic buyer dialogues' pages and e-mails."""
    if not shutil.which("xgettext") or not shutil.which("msgattrib"):
        service_missing("GNU gettext (xgettext, msgmerge, msgattrib) is not installed")
    copy = tmp_path / "src"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "tests", "static", "staticfiles", "var", "*.mo", "node_modules"),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pogi.settings.test", "DATABASE_URL": "sqlite:///:memory:"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "da", "-l", "nb", "-l", "sv", "-l", "fi", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    problems = []
    for language in ("da", "nb", "sv", "fi"):
        missing = _untranslated(copy / "locale" / language / "LC_MESSAGES" / "django.po")
        if language == "fi":
            missing = [
                (msgid, files)
                for msgid, files in missing
                if msgid in FINNISH_LABELS or any(FINNISH_FILES.match(f) for f in files)
            ]
        problems += [f"{language}: {msgid}" for msgid, _files in missing]
    assert not problems, f"{len(problems)} strings lack a translation (run `make messages-update`):\n" + "\n".join(
        problems[:40]
    )


def test_the_catalogues_carry_no_english_left_in_place():
    """A translation identical to its English source is English left in place (names and codes aside)."""
    from pogi.msgfmt import parse_po

    for language in ("da", "nb", "sv", "fi"):
        messages = parse_po((BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))
        same = [msgid for msgid, msgstr in messages.items() if msgstr == msgid and len(msgid.split()) >= 4]
        assert not same, f"{language}: {same[:10]}"


def test_english_catalogue_exists_for_every_danish_entry():
    da = BASE_DIR / "locale" / "da" / "LC_MESSAGES" / "django.po"
    en = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
    assert da.exists() and en.exists()
    from pogi.msgfmt import parse_po

    assert len(parse_po(da.read_text(encoding="utf-8"))) > 100


def test_pure_python_compiler_matches_gettext(tmp_path):
    """`make` falls back to pogi.msgfmt without gettext: its catalogue must translate like msgfmt's."""
    import gettext

    from pogi.msgfmt import parse_po, write_mo

    po = BASE_DIR / "locale" / "da" / "LC_MESSAGES" / "django.po"
    write_mo(parse_po(po.read_text(encoding="utf-8")), tmp_path / "django.mo")
    with open(tmp_path / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext("Members") == "Medlemmer"
    assert catalogue.ngettext("%(counter)s member", "%(counter)s members", 2) == "%(counter)s medlemmer"
    assert json.dumps(catalogue.gettext("Apply for membership"))


@pytest.mark.django_db
def test_robots_txt_keeps_search_engines_out_of_sign_in_and_back_office(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /accounts/", "Disallow: /en/accounts/", "Disallow: /admin/"} <= set(lines)
    assert "Disallow: /goals/" not in lines
