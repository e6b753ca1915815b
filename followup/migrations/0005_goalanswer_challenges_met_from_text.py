"""Fill in "Did you meet challenges?" for the answers given before the question existed.

A text that says nothing ("ingen", "Ingen særlige.", "nej", "none", "-" and the like, any case,
with or without a full stop) or is empty means no; any other text means yes.
Only answers not yet marked are changed, so running it again changes nothing.
"""

from django.db import migrations
from django.db.models.functions import Lower, Trim

NOTHING = [
    "",
    "ingen",
    "ingen.",
    "nej",
    "nej.",
    "none",
    "none.",
    "no",
    "no.",
    "-",
    "–",
    "—",
    "n/a",
    "intet",
    "intet.",
    "ingen særlige",
    "ingen særlige.",
    "ingen særlige udfordringer",
    "ingen særlige udfordringer.",
    "ingen udfordringer",
    "ingen udfordringer.",
    "ingen bemærkninger",
    "ingen bemærkninger.",
]


def forwards(apps, schema_editor):
    GoalAnswer = apps.get_model("followup", "GoalAnswer")
    answers = GoalAnswer.objects.filter(challenges_met__isnull=True).annotate(text=Lower(Trim("challenges")))
    answers.filter(text__in=NOTHING).update(challenges_met=False)
    answers.exclude(text__in=NOTHING).update(challenges_met=True)


def backwards(apps, schema_editor):
    GoalAnswer = apps.get_model("followup", "GoalAnswer")
    GoalAnswer.objects.update(challenges_met=None)


class Migration(migrations.Migration):
    dependencies = [("followup", "0004_round_reopen_and_challenges_met")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
