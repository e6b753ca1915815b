"""Restore drill: back up the portal's data, restore it into a fresh PostgreSQL database, find everything there.

Needs PostgreSQL (pg_dump reads the committed data from a connection of its own,
hence transactional_db) and its client tools.
"""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from followup.models import Report
from members.demo import minimal_pdf
from members.models import Membership
from pogi.backup import MANIFEST, MEDIA_TAR
from tests.factories import (
    CriterionFactory,
    GoalAnswerFactory,
    MembershipFactory,
    RepresentativeFactory,
    ResponseFactory,
    RoundFactory,
)

pytestmark = pytest.mark.services


def _dsn(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _row_counts(name: str) -> dict[str, int]:
    with psycopg.connect(_dsn(name)) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        return {
            table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
            for (table,) in tables
        }


def _hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def private_root(tmp_path, settings):
    """PRIVATE_MEDIA_ROOT in a directory of this test's own, for the settings and the storage the models use."""
    root = tmp_path / "private"
    root.mkdir()
    storages = {
        id(field.storage): field.storage
        for field in (
            Membership._meta.get_field("enrolment_form"),
            Report._meta.get_field("file"),
            Report._meta.get_field("published_file"),
        )
    }
    saved = [(storage, storage._location) for storage in storages.values()]
    for storage, _ in saved:
        storage._location = str(root)
        for cached in ("base_location", "location"):
            storage.__dict__.pop(cached, None)
    settings.PRIVATE_MEDIA_ROOT = str(root)
    yield root
    for storage, location in saved:
        storage._location = location
        for cached in ("base_location", "location"):
            storage.__dict__.pop(cached, None)


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database, dropped after the test."""
    name = f"pogi_restore_drill_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(_dsn("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _restore(backup: Path, database: str, media_root: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pogi.settings.test",
        "DATABASE_URL": _dsn(database),
        "PRIVATE_MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup), *extra],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    require_postgres, transactional_db, private_root, fresh_database, tmp_path
):
    # given members with signed enrolment forms, representatives, goals and follow-up answers
    memberships = MembershipFactory.create_batch(3)
    for membership in memberships:
        RepresentativeFactory(organisation=membership.organisation, position="primary")
    CriterionFactory.create_batch(2)
    GoalAnswerFactory(response=ResponseFactory(round=RoundFactory(), organisation=memberships[0].organisation))
    # and a stored report PDF in a subdirectory of the private uploads
    report_storage = Report._meta.get_field("file").storage
    report_storage.save("reports/2025/annual-report-da.pdf", ContentFile(minimal_pdf("report")))
    source_db = connection.settings_dict["NAME"]
    source_counts = _row_counts(source_db)
    source_files = _hashes(private_root)
    assert len(source_files) == 4
    assert source_counts["members_membership"] == 3
    assert source_counts["followup_goalanswer"] == 1

    # when the portal is backed up
    call_command("backup", output_dir=str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / MANIFEST).read_text())
    # then the manifest describes what was there
    assert manifest["database"]["tables"] == source_counts
    assert manifest["private_media"]["files"] == source_files
    assert oct(backup.stat().st_mode & 0o777) == oct(0o700)

    # when it is restored into a fresh database and an empty media directory
    restored_media = tmp_path / "restored-private"
    result = _restore(backup, fresh_database, restored_media)
    # then every table has the same rows and every file the same content
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restored and verified" in result.stdout
    assert _row_counts(fresh_database) == source_counts
    assert _hashes(restored_media) == source_files

    # when it is restored again over the data now there
    again = _restore(backup, fresh_database, restored_media)
    # then it refuses, unless forced
    assert again.returncode != 0
    assert "not empty" in again.stderr
    forced = _restore(backup, fresh_database, restored_media, "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert _row_counts(fresh_database) == source_counts


def test_a_damaged_backup_is_refused_before_anything_is_changed(
    require_postgres, transactional_db, private_root, fresh_database, tmp_path
):
    # given a backup whose media archive was changed after it was written
    MembershipFactory()
    call_command("backup", output_dir=str(tmp_path / "backups"))
    (backup,) = (tmp_path / "backups").iterdir()
    with open(backup / MEDIA_TAR, "ab") as tar:
        tar.write(b"\0" * 512)
    # when it is restored
    result = _restore(backup, fresh_database, tmp_path / "restored-private")
    # then the restore stops before touching the database
    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert _row_counts(fresh_database) == {}
