"""Reads for the annual follow-up, one module per sub-domain: rounds, responses, reports.

Querysets are scoped to the user who may see them; a selector answers 404
rather than return another organisation's data.
"""

from .responses import (
    goal_version_in_round,
    open_response_for_user,
    previous_goal_answer,
    previous_response,
    response_answers,
    response_audit_trail,
    response_for_user,
    response_recipients,
    response_summary,
    responses_for_user,
    task_list,
)
from .rounds import (
    default_goal_versions,
    other_open_round,
    round_audit_trail,
    round_get,
    round_goal_numbers,
    round_goal_version,
    round_goal_versions,
    round_members_missing,
    round_members_to_invite,
    round_overview,
    round_unsubmitted_count,
    rounds_dated_between,
    rounds_list,
)

__all__ = [
    "default_goal_versions",
    "goal_version_in_round",
    "open_response_for_user",
    "other_open_round",
    "previous_goal_answer",
    "previous_response",
    "response_answers",
    "response_audit_trail",
    "response_for_user",
    "response_recipients",
    "response_summary",
    "responses_for_user",
    "round_audit_trail",
    "round_get",
    "round_goal_numbers",
    "round_goal_version",
    "round_goal_versions",
    "round_members_missing",
    "round_members_to_invite",
    "round_overview",
    "round_unsubmitted_count",
    "rounds_dated_between",
    "rounds_list",
    "task_list",
]
