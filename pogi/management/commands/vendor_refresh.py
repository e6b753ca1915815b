"""Refresh the vendored front-end files from the npm registry.

The portal serves the Danish public sector's design system (dkfds) and htmx
from ``static/vendor/`` and never from a CDN; the browser tests inject
axe-core from ``tests/vendor/``. This command fetches the pinned versions with
``npm pack``, copies only the files the portal uses (for dkfds: the minified
CSS and JS, the images and exactly the fonts the CSS refers to) and records the
versions and licences in ``static/vendor/VENDOR.md``.
"""

import posixpath
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

PACKAGES = {
    "dkfds": "11.2.0",
    "htmx.org": "2.0.11",
    "axe-core": "4.14.1",
}

URL_RE = re.compile(r"url\((?:'|\")?(\.\./[^)'\"?#]+)")


class Command(BaseCommand):
    help = "Fetch dkfds, htmx and axe-core from npm and copy the files the portal uses."

    def handle(self, *args, **options):
        if shutil.which("npm") is None:
            raise CommandError("npm is needed to refresh the vendored files.")
        base = Path(settings.BASE_DIR)
        static_vendor = base / "static" / "vendor"
        tests_vendor = base / "tests" / "vendor"
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            unpacked = {name: self._fetch(name, version, tmp_path) for name, version in PACKAGES.items()}

            dkfds = unpacked["dkfds"] / "dist"
            target = static_vendor / "dkfds"
            shutil.rmtree(target, ignore_errors=True)
            files = ["css/dkfds.min.css", "css/dkfds.min.css.map", "js/dkfds.min.js", "js/dkfds.min.js.map"]
            css = (dkfds / "css" / "dkfds.min.css").read_text(encoding="utf-8")
            files += sorted({posixpath.normpath(posixpath.join("css", ref)) for ref in URL_RE.findall(css)})
            for rel in files:
                self._copy(dkfds / rel, target / rel)
            shutil.copytree(dkfds / "img", target / "img", dirs_exist_ok=True)
            self._copy(unpacked["dkfds"] / "LICENSE.md", target / "LICENSE.md")
            self._copy(dkfds / "LICENSE.md", target / "LICENSE-PARTS.md")

            htmx = unpacked["htmx.org"]
            target = static_vendor / "htmx"
            shutil.rmtree(target, ignore_errors=True)
            self._copy(htmx / "dist" / "htmx.min.js", target / "htmx.min.js")
            self._copy(htmx / "LICENSE", target / "LICENSE")

            axe = unpacked["axe-core"]
            target = tests_vendor / "axe-core"
            shutil.rmtree(target, ignore_errors=True)
            self._copy(axe / "axe.min.js", target / "axe.min.js")
            self._copy(axe / "LICENSE", target / "LICENSE")

        (static_vendor / "VENDOR.md").write_text(self._manifest(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS("Vendored: " + ", ".join(f"{n}@{v}" for n, v in PACKAGES.items())))

    def _fetch(self, name: str, version: str, tmp: Path) -> Path:
        result = subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--silent"], cwd=tmp, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"npm pack {name}@{version} failed: {result.stderr.strip()}")
        archive = tmp / result.stdout.strip().splitlines()[-1]
        out = tmp / name
        with tarfile.open(archive) as tar:
            tar.extractall(out, filter="data")
        return out / "package"

    @staticmethod
    def _copy(src: Path, dst: Path) -> None:
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)

    @staticmethod
    def _manifest() -> str:
        return (
            "# Vendored front-end files\n\n"
            "Refreshed with `make vendor` (`manage.py vendor_refresh`), which fetches the pinned\n"
            "versions from the npm registry and copies only the files the portal uses.\n\n"
            "| package | version | where | licence |\n"
            "|---|---|---|---|\n"
            f"| dkfds (Det Fælles Designsystem) | {PACKAGES['dkfds']} | static/vendor/dkfds | MIT; IBM Plex Sans fonts OFL-1.1; icons Apache-2.0 (see LICENSE.md, LICENSE-PARTS.md) |\n"
            f"| htmx.org | {PACKAGES['htmx.org']} | static/vendor/htmx | 0BSD (see LICENSE) |\n"
            f"| axe-core (browser tests only) | {PACKAGES['axe-core']} | tests/vendor/axe-core | MPL-2.0 (see LICENSE) |\n"
        )
