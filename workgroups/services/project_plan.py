"""Writes for a project's risk register and stakeholder table: the risks with their probability, consequence,
measure and owner, and who is responsible (H), takes part (D) or is informed (I) at each activity.

The owner organisation's representatives and the secretariat keep both, as they keep the plan. A completed or
stopped project's register and table are its history: they are kept as they were and no longer change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import history
from members.models import User

from ..models import Project, ProjectRisk, ProjectStakeholder
from .projects import _owner_or_secretariat

P = Project.Status


def _open_project(project: Project, by: User | None) -> Project:
    """The project, locked, when the person may change its register: its managers, and only before it ended."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _owner_or_secretariat(by, project)
    if project.status in (P.COMPLETED, P.STOPPED):
        raise ValidationError(
            _("The project has ended; its risk register and stakeholder table are kept as they were.")
        )
    return project


def _scale(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in ProjectRisk.SCALE:
        raise ValidationError(_("Score the probability and the consequence from 1 to 4."))
    return value


def _risk_fill(risk: ProjectRisk, *, title: str, probability: int, consequence: int, measure: str, owner: str) -> None:
    title, measure, owner = title.strip(), measure.strip(), owner.strip()
    if not title:
        raise ValidationError(_("Describe the risk."))
    risk.probability = _scale(probability)
    risk.consequence = _scale(consequence)
    if not measure:
        raise ValidationError(_("Describe the measure that meets the risk."))
    if not owner:
        raise ValidationError(_("Name the risk's owner: the person or party who follows it."))
    others = ProjectRisk.objects.filter(project_id=risk.project_id, title__iexact=title).exclude(pk=risk.pk)
    if others.exists():
        raise ValidationError(_("%(risk)s is already in the risk register.") % {"risk": title})
    risk.title, risk.measure, risk.owner = title, measure, owner
    risk.full_clean()


@transaction.atomic
def risk_add(
    *, project: Project, by: User | None, title: str, probability: int, consequence: int, measure: str, owner: str
) -> ProjectRisk:
    """Add a risk to the register of a project that has not ended, scored from 1 to 4 for probability and consequence."""
    project = _open_project(project, by)
    risk = ProjectRisk(project=project)
    _risk_fill(risk, title=title, probability=probability, consequence=consequence, measure=measure, owner=owner)
    history.by(risk, by).save()
    return risk


@transaction.atomic
def risk_update(
    *, risk: ProjectRisk, by: User | None, title: str, probability: int, consequence: int, measure: str, owner: str
) -> ProjectRisk:
    """Score a risk again or change its measure or owner; its history keeps what it said before."""
    risk = ProjectRisk.objects.select_for_update().get(pk=risk.pk)
    _open_project(risk.project, by)
    _risk_fill(risk, title=title, probability=probability, consequence=consequence, measure=measure, owner=owner)
    history.by(risk, by).save()
    return risk


@transaction.atomic
def risk_remove(*, risk: ProjectRisk, by: User | None) -> None:
    """Take a risk out of the register (one that no longer applies); its history keeps it."""
    risk = ProjectRisk.objects.select_for_update().get(pk=risk.pk)
    _open_project(risk.project, by)
    history.by(risk, by).delete()


@transaction.atomic
def stakeholder_set(
    *, project: Project, by: User | None, activity: str, stakeholder: str, involvement: str
) -> ProjectStakeholder:
    """Set (or replace) how one stakeholder is involved at one activity: responsible, takes part or informed.

    An activity or stakeholder already in the table is matched whatever the case of its letters, and keeps
    the spelling it has there, so the table gets no second row or column for the same name.
    """
    project = _open_project(project, by)
    activity, stakeholder = " ".join(activity.split()), " ".join(stakeholder.split())
    if not activity or not stakeholder:
        raise ValidationError(_("Name both the activity and the stakeholder."))
    if involvement not in ProjectStakeholder.Involvement.values:
        raise ValidationError(_("Choose H (responsible), D (takes part) or I (informed)."))
    entries = ProjectStakeholder.objects.filter(project=project)
    activity = entries.filter(activity__iexact=activity).values_list("activity", flat=True).first() or activity
    stakeholder = (
        entries.filter(stakeholder__iexact=stakeholder).values_list("stakeholder", flat=True).first() or stakeholder
    )
    entry = entries.select_for_update().filter(activity=activity, stakeholder=stakeholder).first()
    if entry is None:
        entry = ProjectStakeholder(project=project, activity=activity, stakeholder=stakeholder)
    elif entry.involvement == involvement:
        return entry
    entry.involvement = involvement
    entry.full_clean()
    history.by(entry, by).save()
    return entry


@transaction.atomic
def stakeholder_remove(*, entry: ProjectStakeholder, by: User | None) -> None:
    """Take one stakeholder's involvement at one activity out of the table; its history keeps it."""
    entry = ProjectStakeholder.objects.select_for_update().get(pk=entry.pk)
    _open_project(entry.project, by)
    history.by(entry, by).delete()
