"""The follow-up as a spreadsheet: export (XLSX, CSV) and import, with the same columns.

One row per member and goal asked about; the organisation's own answers are
repeated on each of its rows. The format is described for users in
docs/followup-import.md.
"""

import csv
import io
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.spreadsheet import FORMULA_START, neutralise
from members.models import Organisation

from .forms import GoalSectionForm, OrganisationSectionForm
from .models import GoalAnswer, Response, Round

ANSWER_COLUMNS = [
    "year",
    "organisation",
    "organisation_slug",
    "response_status",
    "in_transition",
    "submitted_at",
    "submitted_by",
    "total_volume_dkk",
    "policy_url_valid",
    "policy_url",
    "contact_name",
    "contact_email",
    "contact_phone",
    "goal_number",
    "goal_title",
    "goal_version",
    "tenders_completed",
    "tenders_with_criteria",
    "volume_dkk",
    "goal_status",
    "reason",
    "challenges_met",
    "challenges",
    "comment",
]
ORGANISATION_COLUMNS = [
    "total_volume_dkk",
    "policy_url_valid",
    "policy_url",
    "contact_name",
    "contact_email",
    "contact_phone",
]
GOAL_COLUMNS = [
    "tenders_completed",
    "tenders_with_criteria",
    "volume_dkk",
    "goal_status",
    "reason",
    "challenges_met",
    "challenges",
    "comment",
]
OVERVIEW_COLUMNS = [
    "year",
    "organisation",
    "organisation_slug",
    "in_transition",
    "response_status",
    "last_saved_at",
    "last_saved_by",
    "submitted_at",
    "submitted_by",
]
YES = {"yes", "ja", "true", "1", "y", "j"}
NO = {"no", "nej", "false", "0", "n"}


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _responses(round: Round):
    return round.responses.select_related("organisation", "submitted_by", "last_saved_by").order_by(
        "organisation__name"
    )


def overview_rows(*, round: Round) -> list[list]:
    return [
        [
            round.year,
            r.organisation.name,
            r.organisation.slug,
            _yes_no(r.in_transition),
            r.status,
            _when(r.last_saved_at),
            str(r.last_saved_by or ""),
            _when(r.submitted_at),
            str(r.submitted_by or ""),
        ]
        for r in _responses(round)
    ]


def answer_rows(*, round: Round) -> list[list]:
    """Every response and every goal asked about (empty cells where nothing is answered yet)."""
    versions = list(round.goal_versions.select_related("goal").order_by("goal__number"))
    answers = {
        (a.response_id, a.goal_version_id): a for a in GoalAnswer.objects.filter(response__round=round).order_by()
    }
    rows = []
    for r in _responses(round):
        organisation = [
            r.total_volume_dkk,
            _yes_no(r.policy_url_valid),
            r.policy_url,
            r.contact_name,
            r.contact_email,
            r.contact_phone,
        ]
        head = [
            round.year,
            r.organisation.name,
            r.organisation.slug,
            r.status,
            _yes_no(r.in_transition),
            _when(r.submitted_at),
            str(r.submitted_by or ""),
        ]
        for v in versions:
            a = answers.get((r.pk, v.pk))
            goal = [v.goal.number, v.title, v.number]
            if a is None:
                values = [None, None, None, "", "", "", "", ""]
            else:
                values = [
                    a.tenders_completed,
                    a.tenders_with_criteria,
                    a.volume_dkk,
                    a.status,
                    a.reason,
                    _yes_no(a.challenges_met),
                    a.challenges,
                    a.comment,
                ]
            rows.append(head + organisation + goal + values)
    return rows


def _cell(value):
    return "" if value is None else value


# Text that starts like a formula gets a leading quote (core.spreadsheet); the import removes it again.
_csv_cell = neutralise


def csv_bytes(columns: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerows([[_csv_cell(v) for v in row] for row in rows])
    # The byte-order mark makes Excel read the file as UTF-8 (æ, ø, å).
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(*, round: Round) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    for title, columns, rows in (
        ("answers", ANSWER_COLUMNS, answer_rows(round=round)),
        ("overview", OVERVIEW_COLUMNS, overview_rows(round=round)),
    ):
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=_cell(value))
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text a member wrote, never a formula
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading ------------------------------------------------------------------------------------------


class UnreadableFile(ValueError):
    pass


def read(upload, *, required=("organisation_slug", "goal_number"), sheet: str = "answers") -> list[dict]:
    """The rows of an uploaded XLSX (sheet ``sheet``, else the first) or CSV (; or ,) as dicts by column name.

    Each dict carries its spreadsheet row number under "__row__".
    """
    name = upload.name.lower()
    data = upload.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise UnreadableFile(_("The file could not be read as an XLSX workbook.")) from exc
        chosen = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
        table = [list(row) for row in chosen.iter_rows(values_only=True)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        if "\x00" in text:
            raise UnreadableFile(_("The file is not a CSV text file. Save it as CSV (UTF-8) or XLSX and try again."))
        first = text.splitlines()[0] if text else ""
        try:
            table = list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ","))
        except csv.Error as exc:
            raise UnreadableFile(
                _("The file could not be read as CSV. Save it as CSV (UTF-8) or XLSX and try again.")
            ) from exc
    if not table or not any(table[0]):
        raise UnreadableFile(_("The file is empty."))
    header = [str(c).strip().lower() if c is not None else "" for c in table[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise UnreadableFile(_("The file lacks the column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {column: (values[i] if i < len(values) else None) for i, column in enumerate(header) if column}
        row["__row__"] = number
        # Cells beyond the header: a comma inside a number in a comma-separated file, say.
        row["__extra__"] = any(v not in (None, "") for v in values[len(header) :])
        rows.append(row)
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]  # the quote the CSV export puts before text that looks like a formula
    return text


def _status_code(value: str) -> str | None:
    if not value:
        return ""
    lowered = value.lower()
    for code, label in GoalAnswer.Status.choices:
        if lowered == code:
            return code
        for language in ("da", "en"):
            with override(language):
                if lowered == str(label).lower():
                    return code
    return None


def _form_errors(form) -> list[str]:
    out = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return out


def _yes_no_code(value: str) -> str | None:
    """A yes/no cell as the form's "yes" or "no"; None when it is neither."""
    lowered = value.lower()
    if lowered in YES:
        return "yes"
    if lowered in NO:
        return "no"
    return None


def _changed(instance, data: dict) -> dict:
    """The values in ``data`` that differ from those saved on ``instance``: an unchanged cell changes nothing."""
    if instance is None:
        return dict(data)
    return {k: v for k, v in data.items() if getattr(instance, k) != v}


def rows_parse(*, round: Round, rows: list[dict]):
    """Check every row; return (plan, errors).

    The plan lists, per response in the file: first row, response, the organisation data and the goal rows
    that change something (cells equal to what is saved are left out, so the file as exported changes
    nothing). A submitted response, or one the closed round no longer lets change, may appear with its
    saved values; a row that would change it is an error.
    """
    errors: list[tuple[int, str]] = []
    if round.status == Round.Status.DRAFT:
        return [], [(1, _("The round is not open; open it before importing answers."))]
    if not rows:
        return [], [(1, _("The file has no rows with answers."))]
    versions = {v.goal.number: v for v in round.goal_versions.select_related("goal")}
    slugs = {_text(r.get("organisation_slug")) for r in rows}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    responses = {
        r.organisation_id: r
        for r in round.responses.select_related("round", "organisation").filter(organisation__in=organisations.values())
    }
    saved_answers = {
        (a.response_id, a.goal_version_id): a
        for a in GoalAnswer.objects.filter(response__in=list(responses.values())).order_by()
    }
    plan: dict[int, list] = {}
    organisation_values: dict[int, tuple[int, dict]] = {}
    seen_goals: dict[tuple[int, int], int] = {}

    def locked_error(n: int, response: Response) -> tuple[int, str]:
        if response.status == Response.Status.SUBMITTED:
            return (
                n,
                _("%(org)s has submitted; reopen the response before importing.") % {"org": response.organisation},
            )
        return (n, _("The %(year)s round is not open for answers.") % {"year": round.year})

    for row in rows:
        n = row["__row__"]
        year = _text(row.get("year"))
        if year and year != str(round.year):
            errors.append(
                (n, _("The row is for %(year)s, not for the %(round)s round.") % {"year": year, "round": round.year})
            )
            continue
        slug = _text(row.get("organisation_slug"))
        organisation = organisations.get(slug)
        if organisation is None:
            errors.append((n, _("No organisation has the identifier “%(slug)s”.") % {"slug": slug}))
            continue
        response = responses.get(organisation.pk)
        if response is None:
            errors.append(
                (n, _("%(org)s has no response in the %(year)s round.") % {"org": organisation, "year": round.year})
            )
            continue
        locked = not response.is_editable
        entry = plan.setdefault(response.pk, [n, response, {}, []]) if not locked else None
        # The organisation's own answers: the same on each of its rows (empty cells are ignored).
        raw = {c: row.get(c) for c in ORGANISATION_COLUMNS if _text(row.get(c))}
        if raw:
            form_data = {c: _text(v) for c, v in raw.items()}
            if "policy_url_valid" in form_data:
                code = _yes_no_code(form_data["policy_url_valid"])
                if code is None:
                    errors.append((n, _("policy_url_valid must be yes or no.")))
                    continue
                form_data["policy_url_valid"] = code
            form = OrganisationSectionForm({**form_data, "version": 0})
            if not form.is_valid():
                errors.extend((n, message) for message in _form_errors(form))
                continue
            data = {k: form.cleaned_data[k] for k in raw}
            valid = data.get(
                "policy_url_valid", organisation_values.get(response.pk, (0, {}))[1].get("policy_url_valid")
            )
            if "policy_url" in data and valid is not False:
                data.pop("policy_url")
            earlier = organisation_values.get(response.pk)
            if earlier is not None and any(k in earlier[1] and earlier[1][k] != v for k, v in data.items()):
                errors.append(
                    (n, _("The organisation's answers differ from those in row %(row)s.") % {"row": earlier[0]})
                )
                continue
            organisation_values.setdefault(response.pk, (n, {}))[1].update(data)
            changed = _changed(response, data)
            if changed and locked:
                errors.append(locked_error(n, response))
                continue
            if entry is not None:
                entry[2].update(changed)
        number = _text(row.get("goal_number"))
        goal_raw = {c: _text(row.get(c)) for c in GOAL_COLUMNS}
        if not number:
            if any(goal_raw.values()):
                errors.append((n, _("The row has answers about a goal but no goal_number.")))
            continue
        if not any(goal_raw.values()):
            continue
        version = versions.get(int(number)) if number.isdigit() else None
        if version is None:
            errors.append((n, _("The round does not ask about goal %(number)s.") % {"number": number}))
            continue
        status = _status_code(goal_raw.pop("goal_status"))
        if status is None:
            errors.append((n, _("goal_status must be one of: meets, partly, not_yet, not_relevant.")))
            continue
        if goal_raw["challenges_met"]:
            code = _yes_no_code(goal_raw["challenges_met"])
            if code is None:
                errors.append((n, _("challenges_met must be yes or no.")))
                continue
            goal_raw["challenges_met"] = code
        form = GoalSectionForm({**goal_raw, "status": status, "version": 0})
        if not form.is_valid():
            errors.extend((n, message) for message in _form_errors(form))
            continue
        if (response.pk, version.pk) in seen_goals:
            errors.append(
                (
                    n,
                    _("Goal %(number)s for %(org)s is also in row %(row)s.")
                    % {"number": number, "org": organisation, "row": seen_goals[(response.pk, version.pk)]},
                )
            )
            continue
        seen_goals[(response.pk, version.pk)] = n
        # Only the cells with a value change the answer; empty cells leave it as it is.
        given = {"status" if c == "goal_status" else c for c in GOAL_COLUMNS if _text(row.get(c))}
        data = {k: v for k, v in form.answers().items() if k in given}
        changed = _changed(saved_answers.get((response.pk, version.pk)), data)
        if changed and locked:
            errors.append(locked_error(n, response))
            continue
        if changed and entry is not None:
            entry[3].append((version, changed, n))
    return list(plan.values()), errors
