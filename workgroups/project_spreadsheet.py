"""Projects and their phases as a spreadsheet: the export (XLSX with two sheets, or one CSV per sheet) and the
reading of an uploaded file for the import, with the same columns, so that a file exported and imported again
unchanged changes nothing. The format is described for users in docs/projects-import.md; the rules of the import
are in workgroups/services/project_import.py.

Every cell is read as text (a spreadsheet's dates and numbers are written out first), so the import checks one
kind of value, whatever the file's format.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.formats import whole_number
from core.spreadsheet import neutralise

from .models import Project, ProjectPhase

PROJECT_COLUMNS = [
    "slug",
    "title",
    "purpose",
    "track",
    "kind",
    "status",
    "owner",
    "lead_email",
    "goals",
    "product_areas",
    "co2_potential_tonnes",
    "co2_assumption",
    "measured_effect_tonnes",
    "effect_note",
    "approved_on",
    "started_on",
    "ended_on",
]
PHASE_COLUMNS = [
    "project",
    "position",
    "title",
    "milestone",
    "weight",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "status",
    "budget_dkk",
    "spent_dkk",
]
PROJECTS, PHASES = "projects", "phases"
COLUMNS = {PROJECTS: PROJECT_COLUMNS, PHASES: PHASE_COLUMNS}
# The columns that say which project (and phase) a row is about: a sheet without them cannot be read.
KEYS = {PROJECTS: ("slug",), PHASES: ("project", "position")}

# Limits on what is read: the upload itself, what an XLSX (a zip archive) unpacks to, and the rows and columns.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 200
MAX_ROWS = 20_000
MAX_COLUMNS = 60
# Values in a list cell (goals, product areas) are separated by commas (semicolons and spaces are read too).
LIST_SEPARATOR = ", "


class UnreadableFile(ValueError):
    """The upload is not a spreadsheet the import can read; the message says why, for the person uploading it."""


@dataclass
class Sheet:
    """One sheet of an uploaded file: its column names (lower case) and its rows as text, by spreadsheet row
    number (the header is row 1). Rows whose cells are all empty are left out."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def as_data(self) -> dict[str, Any]:
        return {"name": self.name, "header": self.header, "rows": [[n, cells] for n, cells in self.rows]}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Sheet":
        return cls(name=data["name"], header=list(data["header"]), rows=[(n, list(c)) for n, c in data["rows"]])


# --- writing -------------------------------------------------------------------------------------------------


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def project_rows(projects: Iterable[Project]) -> list[list[Any]]:
    """One row per project, in PROJECT_COLUMNS' order (the goals, areas, owner and lead prefetched)."""
    return [
        [
            p.slug,
            p.title,
            p.purpose,
            p.track,
            p.kind,
            p.status,
            p.owner.slug,
            p.lead.email if p.lead else "",
            LIST_SEPARATOR.join(str(g.number) for g in p.goals.all()),
            LIST_SEPARATOR.join(a.slug for a in p.product_areas.all()),
            p.co2_potential_tonnes,
            p.co2_assumption,
            p.measured_effect_tonnes,
            p.effect_note,
            p.approved_on,
            p.started_on,
            p.ended_on,
        ]
        for p in projects
    ]


def phase_rows(projects: Iterable[Project]) -> list[list[Any]]:
    """One row per phase of each project, in PHASE_COLUMNS' order (the phases prefetched)."""
    rows: list[list[Any]] = []
    for p in projects:
        phases: list[ProjectPhase] = list(p.phases.all())
        rows.extend(
            [
                p.slug,
                phase.position,
                phase.title,
                phase.milestone,
                phase.weight,
                phase.planned_start,
                phase.planned_end,
                phase.actual_start,
                phase.actual_end,
                phase.status,
                phase.budget_dkk,
                phase.spent_dkk,
            ]
            for phase in phases
        )
    return rows


def _csv_cell(value: Any) -> Any:
    """A value as a CSV cell: dates in ISO form, decimals with a decimal comma (as Danish Excel reads them), and
    text that starts like a formula, or with the quote that marks such text, behind a leading quote."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}".replace(".", ",")
    if isinstance(value, str) and value.startswith("'"):
        return "'" + value
    return neutralise(value)


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file as the follow-up's exports write them: UTF-8 with a byte-order mark, separated by semicolons."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerows([[_csv_cell(v) for v in row] for row in rows])
    # The byte-order mark makes Excel read the file as UTF-8 (æ, ø, å).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(projects: Sequence[Project]) -> bytes:
    """An XLSX workbook with the sheets "projects" and "phases"."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, columns, rows in (
        (PROJECTS, PROJECT_COLUMNS, project_rows(projects)),
        (PHASES, PHASE_COLUMNS, phase_rows(projects)),
    ):
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value="" if value is None else value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text someone wrote, never a formula
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as text: a spreadsheet's date in ISO form, a whole number without ".0", text trimmed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _sheet(name: str, table: Iterable[Sequence[Any]], *, quoted: bool) -> Sheet:
    """A sheet from its rows of cells; ``quoted``: a CSV, whose leading quote marks text written as text."""
    rows = iter(table)
    first = next(rows, None)
    header = [_text(c).lower() for c in first or ()]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise UnreadableFile(
            _("The sheet “%(sheet)s” is empty: its first row must hold the column names.") % {"sheet": name}
        )
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(
            _("The sheet “%(sheet)s” has more than %(count)s columns.") % {"sheet": name, "count": MAX_COLUMNS}
        )
    sheet = Sheet(name=name, header=header)
    for number, values in enumerate(rows, start=2):
        cells = [_text(v) for v in list(values)[: len(header)]]
        if quoted:
            cells = [c[1:] if c.startswith("'") else c for c in cells]
        if not any(cells):
            continue
        if len(sheet.rows) >= MAX_ROWS:
            raise UnreadableFile(
                _("The sheet “%(sheet)s” has more than %(count)s rows; import it in parts.")
                % {"sheet": name, "count": whole_number(MAX_ROWS)}
            )
        sheet.rows.append((number, cells + [""] * (len(header) - len(cells))))
    return sheet


def _kind_of(header: list[str]) -> str | None:
    """Which sheet a CSV file is, by its columns: the projects' (slug) or the phases' (project and position)."""
    if all(c in header for c in KEYS[PHASES]):
        return PHASES
    if all(c in header for c in KEYS[PROJECTS]):
        return PROJECTS
    return None


def _read_csv(name: str, data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UnreadableFile(_("The file “%(name)s” is not a CSV text file.") % {"name": name})
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        # A cell holds at most what the upload does; the csv module's own limit is lower than a long purpose.
        csv.field_size_limit(MAX_UPLOAD_BYTES)
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(_("The file “%(name)s” could not be read as CSV.") % {"name": name}) from exc
    sheet = _sheet(name, table, quoted=True)
    kind = _kind_of(sheet.header)
    if kind is None:
        raise UnreadableFile(
            _(
                "The file “%(name)s” has neither the projects' columns (slug, …) nor the phases' columns "
                "(project, position, …). Use the columns of the export."
            )
            % {"name": name}
        )
    sheet.name = kind
    return sheet


def _check_archive(name: str, data: bytes) -> None:
    """Refuse what is not an XLSX workbook, or unpacks to far more than a spreadsheet of this size would."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile(_("The file “%(name)s” could not be read as an XLSX workbook.") % {"name": name}) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise UnreadableFile(
                _("The file “%(name)s” unpacks to more than a workbook of projects would; it is not read.")
                % {"name": name}
            )
        if "xl/workbook.xml" not in archive.namelist():
            raise UnreadableFile(_("The file “%(name)s” could not be read as an XLSX workbook.") % {"name": name})


def _read_xlsx(name: str, data: bytes) -> list[Sheet]:
    _check_archive(name, data)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise UnreadableFile(_("The file “%(name)s” could not be read as an XLSX workbook.") % {"name": name}) from exc
    try:
        names = {title.strip().lower(): title for title in book.sheetnames}
        found = [kind for kind in (PROJECTS, PHASES) if kind in names]
        if not found:
            raise UnreadableFile(
                _("The workbook “%(name)s” has no sheet named “projects” or “phases”. Use the sheets of the export.")
                % {"name": name}
            )
        sheets = []
        for kind in found:
            worksheet = book[names[kind]]
            try:
                table = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
                sheets.append(_sheet(kind, table, quoted=False))
            except UnreadableFile:
                raise
            except Exception as exc:
                raise UnreadableFile(
                    _("The file “%(name)s” could not be read as an XLSX workbook.") % {"name": name}
                ) from exc
        return sheets
    finally:
        book.close()


def read(uploads: Sequence[Any]) -> dict[str, Sheet]:
    """The sheets of the uploaded files: one XLSX workbook (sheets "projects" and "phases"), or one or two CSV
    files (each recognised by its columns). Raises UnreadableFile with the reason."""
    sheets: dict[str, Sheet] = {}
    for upload in uploads:
        name = upload.name
        if upload.size > MAX_UPLOAD_BYTES:
            raise UnreadableFile(_("The file “%(name)s” is larger than 5 MB.") % {"name": name})
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise UnreadableFile(_("The file “%(name)s” is larger than 5 MB.") % {"name": name})
        found = _read_xlsx(name, data) if name.lower().endswith(".xlsx") else [_read_csv(name, data)]
        for sheet in found:
            if sheet.name in sheets:
                raise UnreadableFile(
                    _("Two of the files hold the %(sheet)s; upload each sheet once.")
                    % {"sheet": _("projects") if sheet.name == PROJECTS else _("phases")}
                )
            sheets[sheet.name] = sheet
    return sheets


def column_letter(index: int) -> str:
    """A column's letters in a spreadsheet (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
