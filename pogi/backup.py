"""Backups of the portal's data: the database and the private uploads, with a manifest to check a restore against.

A backup is one directory, ``<BACKUP_DIR>/<UTC time>/``:

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3``;
- ``private-media.tar``, every file under PRIVATE_MEDIA_ROOT (signed enrolment
  forms, stored report PDFs);
- ``manifest.json``: when, the row count of every table as the dump holds it,
  the SHA-256 of every private file and of the two archives.

On PostgreSQL the row counts and the dump read one snapshot
(``pg_export_snapshot`` shared with ``pg_dump --snapshot``), so they agree even
while the portal keeps writing. The directory is written under a ``.partial``
name and renamed when complete; it holds personal data and is readable by its
owner only.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.backends.postgresql.client import DatabaseClient

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_TAR = "private-media.tar"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


# --- files ---------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    """Every regular file under root (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def media_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under root, by its path relative to root."""
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in media_files(root)}


# --- PostgreSQL ----------------------------------------------------------------------------------


def _is_postgres(alias: str) -> bool:
    return connections[alias].vendor == "postgresql"


def _pg_tool(tool: str, settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The command line (without its own options) and environment to run a PostgreSQL client tool.

    The password, SSL options and service file go through the environment, as Django's dbshell
    passes them (they never show up in the process list).
    """
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    command = [shutil.which(tool) or tool]
    if settings_dict.get("USER"):
        command += ["--username", settings_dict["USER"]]
    if settings_dict.get("HOST"):
        command += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        command += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("NAME"):
        command += ["--dbname", settings_dict["NAME"]]
    return command, {**os.environ, **{k: v for k, v in (env or {}).items() if v}}


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (the PostgreSQL client tools are needed).") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{Path(command[0]).name} failed: {exc.stderr.strip()[-2000:]}") from exc


@contextmanager
def _pg_raw(alias: str) -> Iterator[Any]:
    """A new psycopg connection of its own (autocommit), outside Django's connection handling."""
    wrapper = connections.create_connection(alias)
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    raw.autocommit = True
    try:
        yield raw
    finally:
        raw.close()


def _pg_tables(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"
    )
    return list(cursor.fetchall())


def _pg_counts(cursor: Any) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for schema, table in _pg_tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[table if schema == "public" else f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def pg_table_counts(alias: str = "default") -> dict[str, int]:
    """The row count of every table of the database, by name (``schema.table`` outside public)."""
    with _pg_raw(alias) as raw, raw.cursor() as cursor:
        return _pg_counts(cursor)


def _pg_backup(alias: str, target: Path) -> dict[str, Any]:
    settings_dict = connections[alias].settings_dict
    with _pg_raw(alias) as raw, raw.cursor() as cursor:
        # One snapshot for the counts and the dump: they describe the same moment.
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        counts = _pg_counts(cursor)
        command, env = _pg_tool("pg_dump", settings_dict)
        _run([*command, "--format=custom", f"--snapshot={snapshot}", f"--file={target / PG_DUMP}"], env)
        cursor.execute("COMMIT")
    return {"vendor": "postgresql", "server_version": server_version, "file": PG_DUMP, "tables": counts}


def _pg_restore(alias: str, source: Path, *, force: bool) -> None:
    command, env = _pg_tool("pg_restore", connections[alias].settings_dict)
    options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        options += ["--clean", "--if-exists"]
    _run([*command, *options, str(source / PG_DUMP)], env)


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def sqlite_table_counts(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    with closing(sqlite3.connect(path)) as db:
        return _sqlite_counts(db)


def _sqlite_path(alias: str) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    # The online-backup API copies a consistent state even while the portal writes.
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


# --- backup and restore --------------------------------------------------------------------------


def table_counts(alias: str = "default") -> dict[str, int]:
    if _is_postgres(alias):
        return pg_table_counts(alias)
    return sqlite_table_counts(_sqlite_path(alias))


def backup_create(*, backup_dir: Path, media_root: Path, alias: str = "default") -> Path:
    """Write a complete backup into a new timestamped directory under backup_dir and return it."""
    started = datetime.datetime.now(tz=datetime.UTC)
    backup_dir.mkdir(parents=True, exist_ok=True)
    name = started.strftime("%Y%m%dT%H%M%SZ")
    final = backup_dir / name
    suffix = 1
    while final.exists():
        suffix += 1
        final = backup_dir / f"{name}-{suffix}"
    partial = final.with_name(final.name + ".partial")
    partial.mkdir(mode=0o700)
    old_umask = os.umask(0o077)
    try:
        if _is_postgres(alias):
            database = _pg_backup(alias, partial)
        else:
            _sqlite_copy(_sqlite_path(alias), partial / SQLITE_COPY)
            database = {"vendor": "sqlite", "file": SQLITE_COPY, "tables": sqlite_table_counts(partial / SQLITE_COPY)}
        database["sha256"] = file_sha256(partial / database["file"])

        files = {}
        with tarfile.open(partial / MEDIA_TAR, "w") as tar:
            for path in media_files(media_root):
                relative = path.relative_to(media_root).as_posix()
                files[relative] = file_sha256(path)
                tar.add(path, arcname=relative, recursive=False)
        manifest = {
            "format": FORMAT,
            "created_at": started.isoformat(timespec="seconds"),
            "finished_at": datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds"),
            "database": database,
            "private_media": {
                "file": MEDIA_TAR,
                "sha256": file_sha256(partial / MEDIA_TAR),
                "source": str(media_root),
                "files": files,
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    partial.rename(final)
    return final


def latest_backup(backup_dir: Path) -> Path:
    """The newest complete backup under backup_dir."""
    found = sorted(p.parent for p in backup_dir.glob(f"*/{MANIFEST}") if not p.parent.name.endswith(".partial"))
    if not found:
        raise BackupError(f"No backup found in {backup_dir}.")
    return found[-1]


def manifest_read(source: Path) -> dict[str, Any]:
    """The manifest of a backup, after checking that its archives are the ones it describes."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{source} is not a backup: it has no {MANIFEST}.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for part in (manifest["database"], manifest["private_media"]):
        path = source / part["file"]
        if not path.exists() or file_sha256(path) != part["sha256"]:
            raise BackupError(f"{path} is missing or does not match the manifest: the backup is damaged.")
    return manifest


def _database_is_empty(alias: str) -> bool:
    if _is_postgres(alias):
        with _pg_raw(alias) as raw, raw.cursor() as cursor:
            return not _pg_tables(cursor)
    return not sqlite_table_counts(_sqlite_path(alias))


def backup_verify(*, manifest: dict[str, Any], media_root: Path, alias: str = "default") -> list[str]:
    """What differs between the manifest and the database and private files as they are now (empty: nothing)."""
    problems = []
    expected = manifest["database"]["tables"]
    actual = table_counts(alias)
    for table, count in sorted(expected.items()):
        if actual.get(table) != count:
            problems.append(f"table {table}: {actual.get(table)} rows, the backup has {count}")
    files = manifest["private_media"]["files"]
    for relative, digest in sorted(files.items()):
        path = media_root / relative
        if not path.is_file():
            problems.append(f"file {relative} is missing")
        elif file_sha256(path) != digest:
            problems.append(f"file {relative} differs from the backup")
    return problems


def backup_restore(*, source: Path, media_root: Path, force: bool = False, alias: str = "default") -> dict[str, Any]:
    """Restore a backup into the configured database and media_root, then check both against the manifest.

    Refuses, before changing anything, a damaged backup, a backup of another database engine and,
    unless force, a database with tables or a media directory with files. Raises BackupError when
    the restored data does not match the manifest.
    """
    manifest = manifest_read(source)
    vendor = connections[alias].vendor
    if manifest["database"]["vendor"] != vendor:
        raise BackupError(f"The backup is of a {manifest['database']['vendor']} database, the portal uses {vendor}.")
    if not force:
        if not _database_is_empty(alias):
            raise BackupError(
                "The database is not empty. Restore into an empty one, or overwrite it with --force (make restore FORCE=1)."
            )
        if media_files(media_root):
            raise BackupError(
                f"{media_root} holds files. Restore into an empty one, or overwrite it with --force (make restore FORCE=1)."
            )

    connections[alias].close()
    if vendor == "postgresql":
        _pg_restore(alias, source, force=force)
    else:
        _sqlite_copy(source / SQLITE_COPY, _sqlite_path(alias))

    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_TAR) as tar:
        # The "data" filter refuses absolute paths, "..", links out of the tree and device files.
        tar.extractall(media_root, filter="data")

    problems = backup_verify(manifest=manifest, media_root=media_root, alias=alias)
    if problems:
        raise BackupError("The restored data does not match the backup:\n" + "\n".join(problems))
    extra = sorted(set(media_hashes(media_root)) - set(manifest["private_media"]["files"]))
    return {"manifest": manifest, "extra_files": extra}
