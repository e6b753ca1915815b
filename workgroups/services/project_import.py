"""The import of projects and their phases from a spreadsheet (docs/projects-import.md): first a preview of what
would change, then the change itself, all or nothing.

What an import may change is what the project's managers keep on its pages: the plan's phases and milestones
(new phases too) with their progress, budget and spend, and the project's description (title, purpose, lead,
goals, product areas, CO2 potential with its assumption; the measured effect and its note of a completed
project). It never moves a project's status, nor what the status steps record (the approval, start and end
dates), nor its track, kind or owner: those change only through the services named in PROJECT_TRANSITIONS. A
file that differs from the saved project in one of them is refused with the reason, as is a file with any
other error; nothing is saved then. Projects and phases the file leaves out are left as they are: the import
deletes nothing.
"""

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import history
from core.formats import date_text, whole_number
from goals.models import Goal, ProductArea
from members.models import User

from ..models import Project, ProjectPhase
from ..project_spreadsheet import (
    COLUMNS,
    KEYS,
    PHASE_COLUMNS,
    PHASES,
    PROJECT_COLUMNS,
    PROJECTS,
    Sheet,
    column_letter,
)
from ..selectors.prioritisation import CANDIDATE_STATUSES
from .projects import _acts_for, _phase_check

P = Project.Status
PH = ProjectPhase.Status
ENDED = (P.COMPLETED, P.STOPPED)

# The limits of the portal's own forms.
TEXT_LIMITS = {"title": 200, "purpose": 5000, "co2_assumption": 2000, "effect_note": 2000, "milestone": 300}
MAX_TONNES = Decimal("99999999999.9")  # twelve digits, one of them a decimal
# Digits 0-9 only: str.isdigit() also takes "²", which int() refuses.
DIGITS = re.compile(r"[0-9]+").fullmatch
MAX_DKK = 10**15
MAX_POSITION = 1000
PHASE_VALUES = [c for c in PHASE_COLUMNS if c not in ("project", "position")]
READ_ONLY = ("track", "kind", "status", "owner", "approved_on", "started_on", "ended_on")
NUMBER_SEPARATORS = re.compile(r"[.,\s]")


@dataclass
class RowError:
    """Why the file was refused: the sheet, the spreadsheet row and column, and the reason."""

    sheet: str
    row: int
    column: str
    letter: str
    message: str


@dataclass
class FieldChange:
    """One value that the import changes, as the person reads it before and after."""

    column: str
    label: str
    before: str
    after: str


@dataclass
class PhaseChange:
    row: int
    position: int
    title: str
    created: bool
    changes: list[FieldChange]
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    phase: ProjectPhase | None = field(default=None, repr=False)


@dataclass
class ProjectChange:
    slug: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    phases: list[PhaseChange] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict, repr=False)
    project: Project | None = field(default=None, repr=False)


@dataclass
class ImportPreview:
    """What an import of the file would change (or did change), the errors that refuse it, and notices."""

    projects: list[ProjectChange]
    errors: list[RowError]
    notices: list[str]
    rows: dict[str, int]
    digest: str

    @property
    def has_changes(self) -> bool:
        return bool(self.projects)

    @property
    def phases_changed(self) -> int:
        return sum(1 for p in self.projects for ph in p.phases if not ph.created)

    @property
    def phases_created(self) -> int:
        return sum(1 for p in self.projects for ph in p.phases if ph.created)

    @property
    def projects_changed(self) -> int:
        return sum(1 for p in self.projects if p.changes)

    def changed_slugs(self) -> set[str]:
        return {p.slug for p in self.projects}


class ImportRefused(ValidationError):
    """The file has errors; nothing was saved. ``errors`` lists them by sheet, row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__([e.message for e in errors])


class _Bad(ValueError):
    """A cell's value that the import cannot take; the message is the person's."""


# --- reading cells ----------------------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")


def _date(text: str) -> date | None:
    if not text:
        return None
    value = text.split(" ")[0] if re.fullmatch(r"\d{4}-\d\d-\d\d 00:00(:00)?", text) else text
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise _Bad(_("“%(value)s” is not a date; write it as 2026-03-31 or 31-03-2026.") % {"value": text})


def _whole(text: str, *, low: int, high: int) -> int | None:
    if not text:
        return None
    cleaned = re.sub(r"\s*(kr\.?|dkk)$", "", text.lower()).strip()
    # 1.250.000, 1,250,000 and 1 250 000 are whole numbers; a single separator before 1-2 digits is a decimal
    if re.fullmatch(r"\d{1,3}([.,\s]\d{3})+", cleaned):
        cleaned = NUMBER_SEPARATORS.sub("", cleaned)
    if not DIGITS(cleaned):
        raise _Bad(_("“%(value)s” is not a whole number.") % {"value": text})
    # a number of more digits than any limit is out of range (and int() refuses thousands of digits)
    number = int(cleaned) if len(cleaned) <= 18 else high + 1
    if not low <= number <= high:
        raise _Bad(
            _("%(value)s is outside the allowed range, %(low)s to %(high)s.")
            % {"value": whole_number(number), "low": whole_number(low), "high": whole_number(high)}
        )
    return number


def _tonnes(text: str) -> Decimal | None:
    if not text:
        return None
    cleaned = text.replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise _Bad(_("“%(value)s” is not a number of tonnes.") % {"value": text}) from None
    if not value.is_finite() or value < 0:
        raise _Bad(_("Write the tonnes as a positive number, such as 350 or 12,5."))
    # checked before the rounding, which fails on a number too large to round
    if value > MAX_TONNES:
        raise _Bad(_("“%(value)s” is more tonnes than the portal records.") % {"value": text})
    if value != value.quantize(Decimal("0.1")):
        raise _Bad(_("Write the tonnes with at most one decimal."))
    return value.quantize(Decimal("0.1"))


def _choice(text: str, choices: Sequence[tuple[str, Any]]) -> str:
    """A choice by its code, or by its label in Danish or English, in any case."""
    lowered = text.strip().lower()
    for code, label in choices:
        if lowered == code:
            return code
        for language in ("da", "en"):
            with override(language):
                if lowered == str(label).lower():
                    return code
    raise _Bad(_("“%(value)s” is not one of: %(codes)s.") % {"value": text, "codes": ", ".join(c for c, _l in choices)})


def _list(text: str) -> list[str]:
    return [part for part in re.split(r"[,;\s]+", text) if part]


# --- what the person reads ---------------------------------------------------------------------------------------


def _label(model: type[Project] | type[ProjectPhase], column: str) -> str:
    names = {"lead_email": "lead"}
    try:
        found = model._meta.get_field(names.get(column, column))
    except FieldDoesNotExist:
        return column
    return str(getattr(found, "verbose_name", column))


def _shown(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, Decimal):
        return formats.number_format(value, decimal_pos=1)
    if isinstance(value, User):
        return value.email
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _choice_shown(choices: dict[str, Any], value: str) -> str:
    return str(choices.get(value, value))


# --- the plan ----------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    by: User | None
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    digest_parts: list[str] = field(default_factory=list)

    def error(self, sheet: Sheet, row: int, column: str, message: str) -> None:
        letter = column_letter(sheet.header.index(column)) if column in sheet.header else ""
        self.errors.append(RowError(sheet=sheet.name, row=row, column=column, letter=letter, message=message))


def _check_header(ctx: _Context, sheet: Sheet) -> bool:
    """The sheet's columns: its key columns there, every column one of the export's and only once."""
    known = COLUMNS[sheet.name]
    ok = True
    missing = [c for c in KEYS[sheet.name] if c not in sheet.header]
    if missing:
        ctx.error(sheet, 1, "", _("The sheet lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        ok = False
    seen: set[str] = set()
    for column in sheet.header:
        if not column:
            continue
        if column not in known:
            ctx.error(
                sheet,
                1,
                column,
                _("“%(column)s” is not one of the export's columns: %(columns)s.")
                % {"column": column, "columns": ", ".join(known)},
            )
            ok = False
        elif column in seen:
            ctx.error(sheet, 1, column, _("The column “%(column)s” appears twice.") % {"column": column})
            ok = False
        seen.add(column)
    absent = [c for c in known if c not in sheet.header and c not in KEYS[sheet.name]]
    if ok and absent:
        ctx.notices.append(
            _("The %(sheet)s sheet has no column %(columns)s; those values are left as they are.")
            % {"sheet": _sheet_name(sheet.name), "columns": ", ".join(absent)}
        )
    return ok


def _sheet_name(name: str) -> str:
    return _("projects") if name == PROJECTS else _("phases")


def _cells(sheet: Sheet, cells: list[str]) -> dict[str, str]:
    return {column: cells[i] for i, column in enumerate(sheet.header) if column}


def _refused_owner(project: Project) -> str:
    return _("The project “%(title)s” belongs to %(owner)s; you can only import your own organisation's projects.") % {
        "title": project.title,
        "owner": project.owner.name,
    }


def _read_only_message(column: str) -> str:
    if column == "status":
        return _(
            "The status is not changed by an import: a project moves only through its own steps on its "
            "management page (prioritise, approval by decision, start, complete, stop). Keep the saved status "
            "in the file."
        )
    if column in ("approved_on", "started_on", "ended_on"):
        return _(
            "This date is recorded by the project's own step (approval, start, completion or stop) and is not "
            "changed by an import. Keep the saved date in the file."
        )
    return _("The project's track, kind and owner are not changed by an import. Keep the saved value in the file.")


def _plan(*, sheets: dict[str, Sheet], by: User | None, lock: bool) -> ImportPreview:
    ctx = _Context(by=by)
    project_sheet, phase_sheet = sheets.get(PROJECTS), sheets.get(PHASES)
    if project_sheet is None and phase_sheet is None:
        raise ValidationError(_("The file holds neither projects nor phases."))
    readable = {name: _check_header(ctx, sheet) for name, sheet in sheets.items()}
    if project_sheet is None:
        ctx.notices.append(_("The file has no projects sheet; the projects' own values are left as they are."))
    if phase_sheet is None:
        ctx.notices.append(_("The file has no phases sheet; the phases are left as they are."))
    rows = {name: len(sheet.rows) for name, sheet in sheets.items()}
    if not all(readable.values()):
        return ImportPreview(projects=[], errors=ctx.errors, notices=ctx.notices, rows=rows, digest="")

    slugs = set()
    if project_sheet is not None:
        slugs |= {_cells(project_sheet, cells).get("slug", "") for _n, cells in project_sheet.rows}
    if phase_sheet is not None:
        slugs |= {_cells(phase_sheet, cells).get("project", "") for _n, cells in phase_sheet.rows}
    queryset = Project.objects.filter(slug__in=slugs - {""}).select_related("owner", "lead").order_by("pk")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    projects = {p.slug: p for p in queryset}
    plans: dict[str, ProjectChange] = {}
    if project_sheet is not None:
        _plan_projects(ctx, project_sheet, projects, plans)
    if phase_sheet is not None:
        _plan_phases(ctx, phase_sheet, projects, plans, lock=lock)
    ctx.notices.append(
        _("Projects and phases that are not in the file are left as they are; an import deletes nothing.")
    )
    changed = [plans[slug] for slug in sorted(plans, key=lambda s: plans[s].title.lower()) if _has_change(plans[slug])]
    for plan in changed:
        plan.phases.sort(key=lambda ph: ph.position)
        plan.changes.sort(key=lambda c: PROJECT_COLUMNS.index(c.column))
        for phase in plan.phases:
            phase.changes.sort(key=lambda c: PHASE_COLUMNS.index(c.column))
    digest = hashlib.sha256("\n".join(sorted(ctx.digest_parts)).encode()).hexdigest() if changed else ""
    return ImportPreview(projects=changed, errors=ctx.errors, notices=ctx.notices, rows=rows, digest=digest)


def _has_change(plan: ProjectChange) -> bool:
    return bool(plan.values or plan.phases)


def _record(ctx: _Context, plan: ProjectChange, column: str, before: Any, after: Any, shown: tuple[str, str]) -> None:
    """One value of a project that the file changes."""
    plan.values[column] = after
    plan.changes.append(FieldChange(column, _label(Project, column), shown[0], shown[1]))
    ctx.digest_parts.append(f"{plan.slug}|{column}|{before!r}|{after!r}")


def _plan_projects(ctx: _Context, sheet: Sheet, projects: dict[str, Project], plans: dict[str, ProjectChange]) -> None:
    present = set(sheet.header)
    numbers: set[int] = set()
    area_slugs: set[str] = set()
    emails: set[str] = set()
    for _n, cells in sheet.rows:
        row = _cells(sheet, cells)
        numbers |= {int(x) for x in _list(row.get("goals", "")) if DIGITS(x) and len(x) < 6}
        area_slugs |= set(_list(row.get("product_areas", "")))
        if row.get("lead_email"):
            emails.add(row["lead_email"].lower())
    goals = {g.number: g for g in Goal.objects.filter(number__in=numbers)} if numbers else {}
    areas = {a.slug: a for a in ProductArea.objects.filter(slug__in=area_slugs)} if area_slugs else {}
    users = (
        {u.email_lower: u for u in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)}
        if emails
        else {}
    )
    in_file = list(projects.values())
    current_goals: dict[int, set[int]] = {p.pk: set() for p in in_file}
    current_areas: dict[int, set[str]] = {p.pk: set() for p in in_file}
    if "goals" in present:
        for project_id, number in Project.goals.through.objects.filter(project__in=in_file).values_list(
            "project_id", "goal__number"
        ):
            current_goals[project_id].add(number)
    if "product_areas" in present:
        for project_id, slug in Project.product_areas.through.objects.filter(project__in=in_file).values_list(
            "project_id", "productarea__slug"
        ):
            current_areas[project_id].add(slug)
    seen: dict[str, int] = {}
    status_labels = dict(Project.Status.choices)

    for n, cells in sheet.rows:
        row = _cells(sheet, cells)
        slug = row.get("slug", "")
        if not slug:
            ctx.error(sheet, n, "slug", _("Give the project's address (slug), as in the export."))
            continue
        if slug in seen:
            ctx.error(sheet, n, "slug", _("The project is also in row %(row)s.") % {"row": seen[slug]})
            continue
        seen[slug] = n
        project = projects.get(slug)
        if project is None:
            ctx.error(
                sheet,
                n,
                "slug",
                _(
                    "No project has the address “%(slug)s”. An import changes existing projects; a new project is "
                    "proposed on the portal."
                )
                % {"slug": slug},
            )
            continue
        if not _acts_for(ctx.by, project.owner):
            ctx.error(sheet, n, "slug", _refused_owner(project))
            continue
        plan = plans.setdefault(slug, ProjectChange(slug=slug, title=project.title, project=project))
        errors_before = len(ctx.errors)

        # The values a status step records: compared, never changed.
        for column in READ_ONLY:
            if column not in present:
                continue
            text = row[column]
            try:
                if column in ("approved_on", "started_on", "ended_on"):
                    same = _date(text) == getattr(project, column)
                elif column == "owner":
                    same = text.lower() in {project.owner.slug.lower(), (project.owner.official_code or "").lower()}
                elif column == "status":
                    same = _choice(text, list(Project.Status.choices)) == project.status
                elif column == "track":
                    same = _choice(text, list(Project.Track.choices)) == project.track
                else:
                    same = _choice(text, list(Project.Kind.choices)) == project.kind
            except _Bad as exc:
                ctx.error(sheet, n, column, str(exc))
                continue
            if not same:
                message = _read_only_message(column)
                if column == "status":
                    message = (
                        _("The file says “%(file)s”, the project is “%(saved)s”. ")
                        % {
                            "file": text,
                            "saved": _choice_shown(status_labels, project.status),
                        }
                        + message
                    )
                ctx.error(sheet, n, column, message)

        for column in ("title", "purpose", "co2_assumption", "effect_note"):
            if column not in present or row[column] == getattr(project, column):
                continue
            value = row[column]
            if column in ("title", "purpose") and not value:
                ctx.error(sheet, n, column, _("A project needs a title and a purpose."))
            elif len(value) > TEXT_LIMITS[column]:
                ctx.error(
                    sheet,
                    n,
                    column,
                    _("Keep it to %(limit)s characters.") % {"limit": whole_number(TEXT_LIMITS[column])},
                )
            else:
                _record(ctx, plan, column, getattr(project, column), value, (getattr(project, column), value))

        if "lead_email" in present:
            email = row["lead_email"].lower()
            saved = project.lead.email.lower() if project.lead else ""
            if email != saved:
                lead = users.get(email) if email else None
                if email and lead is None:
                    ctx.error(
                        sheet, n, "lead_email", _("No one in the portal has the e-mail “%(email)s”.") % {"email": email}
                    )
                elif lead is not None and not _acts_for(lead, project.owner):
                    ctx.error(sheet, n, "lead_email", _("The project lead must represent the owner organisation."))
                else:
                    shown = (project.lead.email if project.lead else "", lead.email if lead else "")
                    _record(ctx, plan, "lead_email", project.lead_id, lead.pk if lead else None, shown)
                    del plan.values["lead_email"]
                    plan.values["lead"] = lead

        if "goals" in present:
            parts = _list(row["goals"])
            bad = [x for x in parts if not DIGITS(x) or len(x) >= 6 or int(x) not in goals]
            wanted = {int(x) for x in parts if x not in bad}
            if bad:
                ctx.error(sheet, n, "goals", _("No goal has the number %(numbers)s.") % {"numbers": ", ".join(bad)})
            elif wanted != current_goals[project.pk]:
                before_goals = sorted(current_goals[project.pk])
                shown = (_shown(before_goals), _shown(sorted(wanted)))
                _record(ctx, plan, "goals", before_goals, sorted(wanted), shown)
                plan.values["goals"] = [goals[x] for x in sorted(wanted)]

        if "product_areas" in present:
            parts = _list(row["product_areas"])
            bad = [x for x in parts if x not in areas]
            wanted_areas = set(parts) - set(bad)
            if bad:
                ctx.error(
                    sheet,
                    n,
                    "product_areas",
                    _("No product area has the identifier %(slugs)s.") % {"slugs": ", ".join(bad)},
                )
            elif wanted_areas != current_areas[project.pk]:
                before_areas = sorted(current_areas[project.pk])
                shown = (_shown(before_areas), _shown(sorted(wanted_areas)))
                _record(ctx, plan, "product_areas", before_areas, sorted(wanted_areas), shown)
                plan.values["product_areas"] = [areas[x] for x in sorted(wanted_areas)]

        for column in ("co2_potential_tonnes", "measured_effect_tonnes"):
            if column not in present or row[column] in _saved_texts(getattr(project, column)):
                continue
            try:
                tonnes = _tonnes(row[column])
            except _Bad as exc:
                ctx.error(sheet, n, column, str(exc))
                continue
            if tonnes != getattr(project, column):
                saved_value = getattr(project, column)
                _record(ctx, plan, column, saved_value, tonnes, (_shown(saved_value), _shown(tonnes)))

        # The rules that tie the values together, on the project as it would be.
        result = {c: plan.values.get(c, getattr(project, c)) for c in ("co2_potential_tonnes", "co2_assumption")}
        result["effect_note"] = plan.values.get("effect_note", project.effect_note)
        co2_changed = {"co2_potential_tonnes", "co2_assumption"} & set(plan.values)
        if co2_changed and project.status not in CANDIDATE_STATUSES:
            # the potential is what the proposal was prioritised and approved on (services.prioritisation)
            for column in sorted(co2_changed):
                ctx.error(
                    sheet,
                    n,
                    column,
                    _(
                        "The CO2 reduction potential is set while the project is proposed or prioritised; this "
                        "project is %(status)s. Keep the saved value in the file."
                    )
                    % {"status": _choice_shown(status_labels, project.status).lower()},
                )
        elif co2_changed and result["co2_potential_tonnes"] is not None and not result["co2_assumption"].strip():
            ctx.error(sheet, n, "co2_assumption", _("Write out the assumption behind the CO2 reduction potential."))
        effect = {"measured_effect_tonnes", "effect_note"} & set(plan.values)
        if effect and project.status != P.COMPLETED:
            for column in sorted(effect):
                ctx.error(
                    sheet,
                    n,
                    column,
                    _(
                        "The measured effect is recorded when the project is completed; this project is %(status)s. "
                        "Keep the saved value in the file."
                    )
                    % {"status": _choice_shown(status_labels, project.status).lower()},
                )
        elif effect and not result["effect_note"].strip():
            ctx.error(sheet, n, "effect_note", _("Say how the effect was measured, or why it could not be."))
        if len(ctx.errors) > errors_before:
            plan.values.clear()
            plan.changes.clear()


def _plan_phases(
    ctx: _Context,
    sheet: Sheet,
    projects: dict[str, Project],
    plans: dict[str, ProjectChange],
    *,
    lock: bool,
) -> None:
    present = set(sheet.header)
    queryset = ProjectPhase.objects.filter(project__in=list(projects.values())).order_by("project", "position", "pk")
    if lock:
        queryset = queryset.select_for_update()
    saved: dict[tuple[int, int], ProjectPhase] = {}
    for saved_phase in queryset:
        saved.setdefault((saved_phase.project_id, saved_phase.position), saved_phase)
    seen: dict[tuple[str, int], int] = {}
    status_labels = dict(ProjectPhase.Status.choices)
    today = timezone.localdate()
    parsers: dict[str, Callable[[str], Any]] = {
        "weight": lambda t: _whole(t, low=1, high=100),
        "planned_start": _date,
        "planned_end": _date,
        "actual_start": _date,
        "actual_end": _date,
        "status": lambda t: _choice(t, list(ProjectPhase.Status.choices)) if t else None,
        "budget_dkk": lambda t: _whole(t, low=0, high=MAX_DKK),
        "spent_dkk": lambda t: _whole(t, low=0, high=MAX_DKK),
    }

    for n, cells in sheet.rows:
        row = _cells(sheet, cells)
        slug = row.get("project", "")
        if not slug:
            ctx.error(sheet, n, "project", _("Give the project's address (slug), as in the export."))
            continue
        project = projects.get(slug)
        if project is None:
            ctx.error(sheet, n, "project", _("No project has the address “%(slug)s”.") % {"slug": slug})
            continue
        if not _acts_for(ctx.by, project.owner):
            ctx.error(sheet, n, "project", _refused_owner(project))
            continue
        try:
            position = _whole(row.get("position", ""), low=1, high=MAX_POSITION)
        except _Bad as exc:
            ctx.error(sheet, n, "position", str(exc))
            continue
        if position is None:
            ctx.error(sheet, n, "position", _("Give the phase's number, as in the export."))
            continue
        if (slug, position) in seen:
            ctx.error(
                sheet,
                n,
                "position",
                _("Phase %(number)s of the project is also in row %(row)s.")
                % {"number": position, "row": seen[(slug, position)]},
            )
            continue
        seen[(slug, position)] = n
        phase = saved.get((project.pk, position))
        errors_before = len(ctx.errors)

        values: dict[str, Any] = {}
        for column in ("title", "milestone"):
            if column not in present:
                continue
            text = row[column]
            if not text:
                ctx.error(sheet, n, column, _("A phase needs its title and its milestone."))
            elif len(text) > TEXT_LIMITS[column] and (phase is None or text != getattr(phase, column)):
                ctx.error(sheet, n, column, _("Keep it to %(limit)s characters.") % {"limit": TEXT_LIMITS[column]})
            else:
                values[column] = text
        for column, parse in parsers.items():
            if column not in present:
                continue
            if phase is not None and row[column] in _saved_texts(getattr(phase, column)):
                continue  # as exported: unchanged, even where the saved value is one the portal no longer takes
            try:
                values[column] = parse(row[column])
            except _Bad as exc:
                ctx.error(sheet, n, column, str(exc))
        if "status" in values and values["status"] is None:
            ctx.error(sheet, n, "status", _("Choose the phase's status: %(codes)s.") % {"codes": ", ".join(PH.values)})
        if "weight" in values and values["weight"] is None:
            ctx.error(sheet, n, "weight", _("Give the milestone's weight, from 1 to 100."))
        for column in ("planned_start", "planned_end"):
            if column in values and values[column] is None:
                ctx.error(sheet, n, column, _("Give the phase's planned start and end."))
        if len(ctx.errors) > errors_before:
            continue

        if phase is None:
            missing = [c for c in ("title", "milestone", "planned_start", "planned_end") if c not in values]
            if missing:
                ctx.error(
                    sheet,
                    n,
                    "",
                    _("A new phase needs the columns %(columns)s.") % {"columns": ", ".join(missing)},
                )
                continue
            values.setdefault("weight", 1)
            values.setdefault("status", PH.PLANNED)
            changes = [
                FieldChange(c, _label(ProjectPhase, c), "", _phase_shown(c, v, status_labels))
                for c, v in values.items()
                if v is not None and v != ""
            ]
        else:
            values = {c: v for c, v in values.items() if v != getattr(phase, c)}
            changes = [
                FieldChange(
                    c,
                    _label(ProjectPhase, c),
                    _phase_shown(c, getattr(phase, c), status_labels),
                    _phase_shown(c, v, status_labels),
                )
                for c, v in values.items()
            ]
        if not values:
            continue
        if project.status in ENDED:
            ctx.error(
                sheet,
                n,
                "",
                _("The project is %(status)s; its plan is closed and its phases no longer change.")
                % {"status": str(dict(Project.Status.choices)[project.status]).lower()},
            )
            continue

        # The phase as it would be, checked as the plan's own page checks it.
        result: dict[str, Any] = dict.fromkeys(PHASE_VALUES)
        if phase is not None:
            result.update({c: getattr(phase, c) for c in PHASE_VALUES})
        result.update(values)
        if result["planned_end"] < result["planned_start"]:
            ctx.error(sheet, n, "planned_end", _("A phase ends on or after the day it starts."))
        status, actual_start, actual_end = result["status"], result["actual_start"], result["actual_end"]
        if status == PH.DONE and actual_end is None:
            ctx.error(sheet, n, "actual_end", _("Give the date the milestone was reached."))
        if status != PH.DONE and actual_end is not None:
            ctx.error(
                sheet,
                n,
                "actual_end",
                _("The date the milestone was reached is given only when its status is “%(done)s”.")
                % {"done": status_labels[PH.DONE]},
            )
        if actual_end is not None and actual_start is not None and actual_end < actual_start:
            ctx.error(sheet, n, "actual_end", _("A milestone is reached on or after the day its phase started."))
        if actual_end is not None and actual_end > today:
            ctx.error(sheet, n, "actual_end", _("A milestone cannot be reached in the future."))
        if len(ctx.errors) > errors_before:
            continue
        plan = plans.setdefault(slug, ProjectChange(slug=slug, title=project.title, project=project))
        plan.phases.append(
            PhaseChange(
                row=n,
                position=position,
                title=result["title"],
                created=phase is None,
                changes=changes,
                values=values,
                phase=phase,
            )
        )
        for column, value in sorted(values.items()):
            before = getattr(phase, column) if phase is not None else None
            ctx.digest_parts.append(f"{slug}|{position}|{phase is None}|{column}|{before!r}|{value!r}")


def _saved_texts(value: Any) -> tuple[str, ...]:
    """How the export writes a saved value, in an XLSX or CSV file (a cell with one of these changes nothing)."""
    if value is None:
        return ("",)
    if isinstance(value, date):
        return (value.isoformat(),)
    if isinstance(value, Decimal):
        text = f"{value:f}"
        whole = text[:-2] if text.endswith(".0") else text
        return (text, text.replace(".", ","), whole)
    return (str(value),)


def _phase_shown(column: str, value: Any, status_labels: dict[str, Any]) -> str:
    if column == "status" and value:
        return _choice_shown(status_labels, value)
    if column in ("budget_dkk", "spent_dkk") and value is not None:
        return formats.number_format(value, force_grouping=True)
    return _shown(value)


# --- the services --------------------------------------------------------------------------------------------------


def project_import_preview(*, sheets: dict[str, Sheet], by: User | None) -> ImportPreview:
    """What importing the sheets would change, per project and phase, and every error by sheet, row and column.

    Changes nothing. Cells equal to the saved values change nothing, so a file exported and imported unchanged
    has no changes. The preview's ``digest`` names exactly these changes; project_import_apply makes them only
    while they are still the same.
    """
    return _plan(sheets=sheets, by=by, lock=False)


@transaction.atomic
def project_import_apply(*, sheets: dict[str, Sheet], by: User | None, expected: str) -> ImportPreview:
    """Make the changes the preview showed: all of them, or (on any error) none.

    The projects and phases in the file are locked and checked again; if the file now has an error, or the
    changes are no longer those of the preview ``expected`` names (someone changed a project meanwhile), nothing
    is saved. Each changed project and phase is validated like the project's own pages do and saved with the
    importing person in its history.
    """
    preview = _plan(sheets=sheets, by=by, lock=True)
    if preview.errors:
        raise ImportRefused(preview.errors)
    if not preview.has_changes:
        raise ValidationError(_("The file changes nothing."))
    if preview.digest != expected:
        raise ValidationError(
            _(
                "The projects have changed since the preview, so the file would no longer make the changes shown. "
                "Nothing has been saved; upload the file again to see what it changes now."
            )
        )
    for plan in preview.projects:
        project = plan.project
        assert project is not None
        values = dict(plan.values)
        goals = values.pop("goals", None)
        areas = values.pop("product_areas", None)
        if plan.values:
            for name, value in values.items():
                setattr(project, name, value)
            project.full_clean()
            history.by(project, by).save()  # also when only its goals or areas change: the history says who did
        if goals is not None:
            project.goals.set(goals)
        if areas is not None:
            project.product_areas.set(areas)
        for change in plan.phases:
            phase = change.phase or ProjectPhase(project=project, position=change.position)
            for name, value in change.values.items():
                setattr(phase, name, value)
            _phase_check(phase)
            history.by(phase, by).save()
    return preview


def pending_sheets(*, sheets: dict[str, Sheet], preview: ImportPreview) -> dict[str, Sheet]:
    """The rows of the sheets about the projects the preview changes: enough to make the same changes again."""
    slugs = preview.changed_slugs()
    out = {}
    for name, sheet in sheets.items():
        key = "slug" if name == PROJECTS else "project"
        index = sheet.header.index(key)
        out[name] = Sheet(name=name, header=sheet.header, rows=[r for r in sheet.rows if r[1][index] in slugs])
    return out


def sheets_from_data(data: Sequence[dict[str, Any]]) -> dict[str, Sheet]:
    sheets = [Sheet.from_data(d) for d in data]
    return {s.name: s for s in sheets}
