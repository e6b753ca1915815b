"""The audit trail, as people read it: who changed what and when, across several models' history tables.

Each source is a historical queryset and a function that labels one of its
records. Every record is compared with the record before it for the same
object in memory, so the trail costs one query per source whatever its length.
"""

import datetime
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext, gettext_noop

from .formats import date_text, datetime_text

_ModelT = TypeVar("_ModelT", bound=Model)


def by(instance: _ModelT, user: AbstractBaseUser | None) -> _ModelT:
    """Record `user` as the author of the next history entry of `instance` (None: the system)."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history, unknown to the stubs
    return instance


def value_text(field: Any, value: object) -> object:
    """A field's stored value as a reader sees it: the label of a choice, a formatted date, Yes or No."""
    if value is None or value == "":
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    return value


# django-simple-history keeps a change's reason in a column of this length.
REASON_LIMIT = 100


def reason_checked(reason: str | None, *, limit: int = REASON_LIMIT) -> str:
    """A person's reason for a change, on one line; refused when empty or longer than the history keeps."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError(gettext("Give the reason; it is kept in the history."))
    if len(reason) > limit:
        raise ValidationError(
            gettext("Keep the reason to %(limit)s characters; it is kept in the history.") % {"limit": limit}
        )
    return reason


# Reasons the services store as codes, so the history reads in the reader's language.
REASON_CODES = {
    "registered": gettext_noop("Adoption registered by the secretariat from the records"),
    "decision": gettext_noop("Adopted by the steering group's decision at its meeting"),
}


def reason_text(reason: str | None) -> str:
    """A history entry's reason as a reader sees it: a code translated, a person's own words as written."""
    if not reason:
        return ""
    code = reason.split(":", 1)[0]
    if code in REASON_CODES:
        return gettext(REASON_CODES[code])
    return reason


def entries(
    sources: Iterable[tuple[QuerySet[Any], Callable[[Any], object]]], *, limit: int = 50
) -> list[dict[str, Any]]:
    out = []
    for queryset, label in sources:
        records = list(queryset.order_by("-history_date", "-history_id")[: limit + 1])
        previous_of: dict[Any, Any] = {}
        for record in reversed(records):  # oldest first: remember each object's previous state
            record._previous = previous_of.get(record.id)
            previous_of[record.id] = record
        for record in records[:limit]:
            changes: list[tuple[str, object, object]] = []
            if record.history_type == "~" and record._previous is not None:
                meta = record.instance_type._meta
                # Many-to-many changes would cost a query per record; the trail shows field changes.
                delta = record.diff_against(record._previous, excluded_fields=[f.name for f in meta.many_to_many])
                for change in delta.changes:
                    field = meta.get_field(change.field)
                    if field.is_relation:
                        # A related row's id says nothing to a reader ("closed by: - -> 1"): the Who column
                        # names the person who made the change.
                        continue
                    old, new = value_text(field, change.old), value_text(field, change.new)
                    changes.append((str(field.verbose_name), old, new))
            out.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "type": record.history_type,
                    "object": record.instance_type._meta.verbose_name,
                    "label": label(record),
                    "changes": changes,
                    "reason": reason_text(getattr(record, "history_change_reason", None)),
                }
            )
    out.sort(key=lambda e: e["when"], reverse=True)
    return out[:limit]
