"""How each member stands against the commitments whose records live in the apps above members/.

A member commits, among other things, to take part in a POGI project every
second year. The projects belong to workgroups/, which members/ does not
import: an app above registers a :class:`Commitment` here when it starts
(``AppConfig.ready``), and the members' pages ask every registered commitment
how their members stand, for a whole page of members in a fixed number of
queries, and filter the secretariat's overview by it.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from .models import Membership

Label = str | Promise


@dataclass(frozen=True)
class Commitment:
    """One commitment a higher app knows how to check.

    ``standings`` answers, in a fixed number of queries whatever the number of
    memberships, how each membership's organisation stands (keyed by
    organisation id; the value is the app's own object, read only by its
    ``template``). ``in_status`` gives the memberships in one of ``statuses``
    as a ``Q`` on Membership, for the overview's filter; it must agree with
    ``standings``. ``template`` renders one standing with ``standing``,
    ``organisation`` and ``place`` ("overview", "member" or "own") in its context.
    """

    key: str
    label: Label
    statuses: Sequence[tuple[str, Label]]
    standings: Callable[[Sequence[Membership], date], Mapping[int, Any]]
    in_status: Callable[[str, date], Q]
    template: str


@dataclass(frozen=True)
class Standing:
    """How one member stands against one commitment, ready for the template."""

    commitment: Commitment
    value: Any


_commitments: list[Commitment] = []


def commitment_register(commitment: Commitment) -> None:
    """Add a commitment (once per key; registering the same key again replaces it)."""
    for index, known in enumerate(_commitments):
        if known.key == commitment.key:
            _commitments[index] = commitment
            return
    _commitments.append(commitment)


def registered() -> list[Commitment]:
    return list(_commitments)


def standings_attach(memberships: Iterable[Membership], *, today: date) -> list[Membership]:
    """The memberships as a list, each with ``commitment_standings``: one Standing per registered commitment."""
    members = list(memberships)
    per_commitment = [(c, c.standings(members, today) if members else {}) for c in _commitments]
    for membership in members:
        membership.commitment_standings = [  # type: ignore[attr-defined]
            Standing(commitment=c, value=found.get(membership.organisation_id)) for c, found in per_commitment
        ]
    return members


def filter_by_status(queryset: QuerySet[Membership], chosen: Mapping[str, str], *, today: date) -> QuerySet[Membership]:
    """The memberships in the chosen status of each commitment named in ``chosen`` (key → status)."""
    for commitment in _commitments:
        status = chosen.get(commitment.key)
        if status and status in dict(commitment.statuses):
            queryset = queryset.filter(commitment.in_status(status, today))
    return queryset
