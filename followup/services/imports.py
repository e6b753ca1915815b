"""The spreadsheet import of a round's answers (docs/followup-import.md): every row or none."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import User

from ..models import GoalAnswer, Round
from .responses import _goal_apply, _lock, _organisation_apply, response_submit


@dataclass
class ImportResult:
    responses: int = 0
    answers: int = 0
    submitted: int = 0


class ImportRefused(ValidationError):
    """The file has errors; nothing was saved. ``rows`` lists (row number, reason)."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        super().__init__([_("Row %(row)s: %(reason)s") % {"row": n, "reason": reason} for n, reason in rows])


@transaction.atomic
def round_import(*, round: Round, rows: list[dict[str, Any]], by: User, submit: bool = False) -> ImportResult:
    """Save members' answers from spreadsheet rows (see docs/followup-import.md): all of them or none.

    Every row is checked first; any error refuses the whole file with the row
    number and the reason. Imported answers replace the saved ones and are
    recorded in the history as changed by the importing person.
    """
    from .. import spreadsheet

    round_ = Round.objects.select_for_update().get(pk=round.pk)
    plan, errors = spreadsheet.rows_parse(round=round_, rows=rows)
    if errors:
        raise ImportRefused(errors)
    result = ImportResult()
    refused = []
    for first_row, response, organisation_data, goal_rows in plan:
        if not organisation_data and not goal_rows and not submit:
            continue
        response = _lock(response)
        if organisation_data:
            _organisation_apply(response, organisation_data, by)
        existing = {a.goal_version_id: a for a in response.answers.all()}
        for version, data, row in goal_rows:
            answer = existing.get(version.pk) or GoalAnswer(response=response, goal_version=version)
            try:
                # The answers in the file combined with the saved ones must still hold together.
                with transaction.atomic():
                    _goal_apply(response, answer, data, by)
            except ValidationError as exc:
                refused.append((row, " ".join(exc.messages)))
                continue
            result.answers += 1
        result.responses += 1
        if submit:
            try:
                with transaction.atomic():
                    response_submit(response=response, by=by)
                result.submitted += 1
            except ValidationError as exc:
                refused.append(
                    (
                        first_row,
                        _("%(org)s cannot be submitted: %(reasons)s")
                        % {"org": response.organisation, "reasons": " ".join(exc.messages)},
                    )
                )
    if refused:
        # Raising rolls back every row: the file is saved completely or not at all.
        raise ImportRefused(refused)
    return result
