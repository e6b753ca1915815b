"""Writes for the revision cycle, one module per sub-domain: work plans, working groups, hearings, meetings.

Every function validates, runs in its own transaction and refuses what the
rules do not allow with a ValidationError whose message is shown to the user.
The goal version's own status moves through goals.services. A new sub-domain
(projects, say) is a new module beside these."""

from .groups import (
    GROUP_TRANSITIONS,
    milestone_add,
    milestone_done,
    working_group_cancel,
    working_group_complete,
    working_group_create,
    working_group_member_add,
    working_group_member_remove,
    working_group_start,
    working_group_terms_pdf_set,
    working_group_update,
)
from .hearings import (
    hearing_close,
    hearing_notice_deliver,
    hearing_open,
    hearing_respond,
    hearing_response_answer,
    hearing_response_dismiss,
    hearing_response_restore,
)
from .meetings import (
    agenda_document_add,
    agenda_item_add,
    agenda_item_remove,
    attendance_record,
    body_for,
    decision_record,
    draft_comment_add,
    meeting_create,
    meeting_invitation_deliver,
    meeting_invite,
    meeting_update,
    minutes_approve,
    minutes_save,
)
from .plans import (
    work_plan_create,
    work_plan_item_add,
)

__all__ = [
    "GROUP_TRANSITIONS",
    "agenda_document_add",
    "agenda_item_add",
    "agenda_item_remove",
    "attendance_record",
    "body_for",
    "decision_record",
    "draft_comment_add",
    "hearing_close",
    "hearing_notice_deliver",
    "hearing_open",
    "hearing_respond",
    "hearing_response_answer",
    "hearing_response_dismiss",
    "hearing_response_restore",
    "meeting_create",
    "meeting_invitation_deliver",
    "meeting_invite",
    "meeting_update",
    "milestone_add",
    "milestone_done",
    "minutes_approve",
    "minutes_save",
    "work_plan_create",
    "work_plan_item_add",
    "working_group_cancel",
    "working_group_complete",
    "working_group_create",
    "working_group_member_add",
    "working_group_member_remove",
    "working_group_start",
    "working_group_terms_pdf_set",
    "working_group_update",
]
