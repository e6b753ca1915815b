"""The spreadsheet import of a round's answers (docs/followup-import.md).

The values are all-or-nothing: a bad value in any row refuses the whole file.
Submitting is per member: with ``submit`` the complete responses are
submitted, the others are kept as drafts, and the result says what each lacks.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import GoalVersion
from members.models import User

from ..completeness import response_missing
from ..models import GoalAnswer, Response, Round
from .responses import _goal_apply, _lock, _organisation_apply, response_submit


@dataclass
class MemberOutcome:
    """What the import did with one member's response."""

    SUBMITTED = "submitted"
    DRAFT = "draft"
    UNCHANGED = "unchanged"

    organisation: str
    response_id: int
    outcome: str  # SUBMITTED, DRAFT (saved, not submitted) or UNCHANGED (nothing in the file changed it, not submitted)
    answers: int = 0
    missing: list[str] = field(default_factory=list)  # what the response still needs before it can be submitted


@dataclass
class ImportResult:
    responses: int = 0
    answers: int = 0
    submitted: int = 0
    members: list[MemberOutcome] = field(default_factory=list)

    @property
    def drafts(self) -> list[MemberOutcome]:
        return [m for m in self.members if m.outcome == MemberOutcome.DRAFT]


class ImportRefused(ValidationError):
    """The file has errors; nothing was saved. ``rows`` lists (row number, reason)."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        super().__init__([_("Row %(row)s: %(reason)s") % {"row": n, "reason": reason} for n, reason in rows])


def _missing(response: Response, versions: list[GoalVersion]) -> list[str]:
    answers = {a.goal_version_id: a for a in response.answers.all()}
    return [m.message for m in response_missing(response=response, goal_versions=versions, answers=answers)]


@transaction.atomic
def round_import(*, round: Round, rows: list[dict[str, Any]], by: User, submit: bool = False) -> ImportResult:
    """Save members' answers from spreadsheet rows (see docs/followup-import.md) and, with ``submit``, submit the complete ones.

    Every row is checked first; any bad value refuses the whole file with the
    row number and the reason, and nothing is saved. Cells equal to the saved
    answer change nothing, so importing an export unchanged changes no answer.
    Imported answers replace the saved ones and are recorded in the history as
    changed by the importing person. With ``submit``, each response that is
    complete is submitted on the member's behalf; the others stay drafts and
    ``members`` lists what each still lacks.
    """
    from .. import spreadsheet

    round_ = Round.objects.select_for_update().get(pk=round.pk)
    plan, errors = spreadsheet.rows_parse(round=round_, rows=rows)
    if errors:
        raise ImportRefused(errors)
    versions = list(round_.goal_versions.select_related("goal").order_by("goal__number"))
    result = ImportResult()
    refused = []
    for _first_row, response, organisation_data, goal_rows in plan:
        changed = bool(organisation_data or goal_rows)
        if not changed and not submit:
            continue
        response = _lock(response)
        outcome = MemberOutcome(
            organisation=str(response.organisation), response_id=response.pk, outcome=MemberOutcome.UNCHANGED
        )
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
            outcome.answers += 1
        result.answers += outcome.answers
        if changed:
            result.responses += 1
            outcome.outcome = MemberOutcome.DRAFT
        if submit:
            try:
                with transaction.atomic():
                    response_submit(response=response, by=by)
            except ValidationError as exc:
                # Kept as a draft: what is missing is reported, the rest of the file goes on.
                outcome.missing = list(exc.messages)
            else:
                outcome.outcome = MemberOutcome.SUBMITTED
                result.submitted += 1
        else:
            outcome.missing = _missing(response, versions)
        result.members.append(outcome)
    if refused:
        # A value that does not hold together with the saved answers refuses the file: nothing is saved.
        raise ImportRefused(refused)
    result.members.sort(key=lambda m: m.organisation)
    return result
