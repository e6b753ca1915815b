"""`manage.py check --deploy` finds nothing to warn about under the production settings."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.services


def test_production_settings_pass_the_deploy_check(require_postgres, tmp_path):
    # given the production settings with exactly the environment they require
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "POGI_", "CELERY_", "REDIS_", "SITE_")) and key != "DATABASE_URL"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "pogi.settings.production",
            "DJANGO_SECRET_KEY": "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(60)),
            "DJANGO_ALLOWED_HOSTS": "pogi.example",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            # The checks connect to neither; the settings only require them.
            "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/1",
            "SITE_URL": "https://pogi.example",
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        }
    )
    # when Django's deployment checklist runs, warnings counted as failures
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then it reports nothing
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output, output
