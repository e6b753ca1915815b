"""Who, besides the secretariat, may preview and edit a goal version that is not public.

The goals app does not know who drafts a version: the apps above it do (a
working group drafts its goal's next version). Each such app registers a rule
here when it starts (``AppConfig.ready``); the goals selectors combine them.
"""

from collections.abc import Callable

from django.db.models import Q

from members.models import User

DraftEditorRule = Callable[[User], Q]
_rules: list[DraftEditorRule] = []


def draft_editor_rule_register(rule: DraftEditorRule) -> None:
    """Add a rule: given a user, the versions (as a Q on GoalVersion) that user drafts."""
    if rule not in _rules:
        _rules.append(rule)


def drafted_by(user: User) -> Q:
    """The versions the user drafts under any registered rule; none when no rule applies."""
    combined = Q(pk__in=[])
    for rule in _rules:
        combined |= rule(user)
    return combined
