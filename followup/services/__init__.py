"""Writes for the annual follow-up, one module per sub-domain: rounds, responses, reminders, imports, reports.

Every function validates before it saves, runs in its own transaction and
refuses what the rules do not allow with a ValidationError whose message is
shown to the user. Callers use the names below; a new sub-domain (climate
accounting, say) is a new module beside these.
"""

from .imports import (
    ImportRefused,
    ImportResult,
    round_import,
)
from .reminders import (
    receipts_send_missing,
    reminder_send_one,
    reminder_step_due,
    reminders_send_due,
    response_receipt_send,
    round_invitations_send,
)
from .responses import (
    GOAL_FIELDS,
    ORGANISATION_FIELDS,
    ResponseConflict,
    response_goal_save,
    response_organisation_save,
    response_reopen,
    response_submit,
)
from .rounds import (
    round_close,
    round_create,
    round_members_add,
    round_open,
    round_reopen,
    round_update,
)

__all__ = [
    "GOAL_FIELDS",
    "ORGANISATION_FIELDS",
    "ImportRefused",
    "ImportResult",
    "ResponseConflict",
    "receipts_send_missing",
    "reminder_send_one",
    "reminder_step_due",
    "reminders_send_due",
    "response_goal_save",
    "response_organisation_save",
    "response_receipt_send",
    "response_reopen",
    "response_submit",
    "round_close",
    "round_create",
    "round_import",
    "round_invitations_send",
    "round_members_add",
    "round_open",
    "round_reopen",
    "round_update",
]
