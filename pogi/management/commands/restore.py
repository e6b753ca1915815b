from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pogi.backup import BackupError, backup_restore, latest_backup


class Command(BaseCommand):
    # A backup or a restore in an emergency must not depend on the rest of the code loading cleanly.
    requires_system_checks: list[str] = []
    help = (
        "Restore a backup made by `manage.py backup` into the database of DATABASE_URL and PRIVATE_MEDIA_ROOT, "
        "then check every table's row count and every file's SHA-256 against its manifest. "
        "Refuses a non-empty database or media directory unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", nargs="?", help="the backup directory (default: the newest under BACKUP_DIR)")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that has tables and files already there"
        )

    def handle(self, *args, **options):
        try:
            source = Path(options["backup"]) if options["backup"] else latest_backup(Path(settings.BACKUP_DIR))
            database = settings.DATABASES["default"]
            self.stdout.write(f"Restoring {source} into database {database['NAME']} and {settings.PRIVATE_MEDIA_ROOT}")
            result = backup_restore(source=source, media_root=Path(settings.PRIVATE_MEDIA_ROOT), force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result["manifest"]
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Restored and verified: {len(tables)} tables, {sum(tables.values())} rows, "
            f"{len(manifest['private_media']['files'])} private files as in the backup of {manifest['created_at']}."
        )
        if result["extra_files"]:
            self.stdout.write(
                f"{len(result['extra_files'])} files in {settings.PRIVATE_MEDIA_ROOT} are not in the backup "
                "(left in place)."
            )
