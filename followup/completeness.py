"""What a response needs before it can be submitted: one set of rules, read by the questionnaire's task list and enforced on submit."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from goals.models import GoalVersion

from .models import GoalAnswer, Response

COUNTED = ("meets", "partly", "not_yet")


@dataclass(frozen=True)
class Missing:
    """An answer that is needed before the response can be submitted."""

    section: str  # "organisation" or a goal number
    field: str
    message: str


def organisation_missing(response: Response) -> list[Missing]:
    out = []
    labels = {
        "total_volume_dkk": _("Give the estimated total purchasing volume."),
        "policy_url_valid": _("Say whether the link to the procurement policy is still valid."),
        "contact_name": _("Give a contact person."),
        "contact_email": _("Give the contact person's email address."),
    }
    for name, message in labels.items():
        if getattr(response, name) in (None, ""):
            out.append(Missing("organisation", name, message))
    if response.policy_url_valid is False and not response.policy_url:
        out.append(Missing("organisation", "policy_url", _("Give the new link to the procurement policy.")))
    return out


def goal_missing(version: GoalVersion, answer: GoalAnswer | None) -> list[Missing]:
    section = str(version.goal.number)
    title = f"{version.goal.number} {version.tr.title}"  # in the reader's language, Danish where not translated
    if answer is None or not answer.status:
        return [Missing(section, "status", _("Goal %(goal)s: say where you stand on the goal.") % {"goal": title})]
    out = []
    if answer.status in COUNTED:
        messages = {
            "tenders_completed": _("Goal %(goal)s: give the number of tenders completed."),
            "tenders_with_criteria": _("Goal %(goal)s: give how many tenders used the POGI criteria."),
            "volume_dkk": _("Goal %(goal)s: give the purchasing volume in the area."),
        }
        for name, message in messages.items():
            if getattr(answer, name) is None:
                out.append(Missing(section, name, message % {"goal": title}))
    if answer.status != GoalAnswer.Status.MEETS and not answer.reason.strip():
        out.append(Missing(section, "reason", _("Goal %(goal)s: give the reason.") % {"goal": title}))
    if answer.challenges_met and not answer.challenges.strip():
        out.append(
            Missing(section, "challenges", _("Goal %(goal)s: describe the challenges you met.") % {"goal": title})
        )
    return out


def response_missing(
    *, response: Response, goal_versions: list[GoalVersion], answers: dict[int, GoalAnswer]
) -> list[Missing]:
    """What is still needed before submitting (``answers`` maps goal version id to answer)."""
    out = organisation_missing(response)
    for version in goal_versions:
        out.extend(goal_missing(version, answers.get(version.pk)))
    return out
