import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pogi.backup import MANIFEST, BackupError, backup_create


class Command(BaseCommand):
    # A backup or a restore in an emergency must not depend on the rest of the code loading cleanly.
    requires_system_checks: list[str] = []
    help = (
        "Back up the database (pg_dump custom format, or a copy of the SQLite file) and the private uploads, "
        "with a manifest of row counts and file hashes, into a new timestamped directory under BACKUP_DIR."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", help="where to put the backup (default: the BACKUP_DIR setting)")

    def handle(self, *args, **options):
        try:
            target = backup_create(
                backup_dir=Path(options["output_dir"] or settings.BACKUP_DIR),
                media_root=Path(settings.PRIVATE_MEDIA_ROOT),
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = json.loads((target / MANIFEST).read_text())
        tables = manifest["database"]["tables"]
        self.stdout.write(
            f"Backup written to {target}: {len(tables)} tables, {sum(tables.values())} rows, "
            f"{len(manifest['private_media']['files'])} private files."
        )
