"""The audit trail, as people read it: who changed what and when, across several models' history tables.

Each source is a historical queryset and a function that labels one of its
records. Every record is compared with the record before it for the same
object in memory, so the trail costs one query per source whatever its length.
"""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Model, QuerySet

_ModelT = TypeVar("_ModelT", bound=Model)


def by(instance: _ModelT, user: AbstractBaseUser | None) -> _ModelT:
    """Record `user` as the author of the next history entry of `instance` (None: the system)."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by django-simple-history, unknown to the stubs
    return instance


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
            changes = []
            if record.history_type == "~" and record._previous is not None:
                meta = record.instance_type._meta
                # Many-to-many changes would cost a query per record; the trail shows field changes.
                delta = record.diff_against(record._previous, excluded_fields=[f.name for f in meta.many_to_many])
                changes = [(str(meta.get_field(c.field).verbose_name), c.old, c.new) for c in delta.changes]
            out.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "type": record.history_type,
                    "object": record.instance_type._meta.verbose_name,
                    "label": label(record),
                    "changes": changes,
                }
            )
    out.sort(key=lambda e: e["when"], reverse=True)
    return out[:limit]
