"""Criteria whose documentation text began with its own label ("Dokumentation: …").

Every page, PDF and open-data file prints the label before the text, so those
criteria read "Dokumentation: Dokumentation: …". The label is taken out of the
text; the rest of the text is unchanged.
"""

import re

from django.db import migrations

LABEL = re.compile(r"^\s*(dokumentation|documentation)\s*:\s*", re.IGNORECASE)


def documentation_without_label(apps, schema_editor):
    Criterion = apps.get_model("goals", "Criterion")
    for criterion in Criterion.objects.filter(documentation__iregex=r"^\s*(dokumentation|documentation)\s*:"):
        text = LABEL.sub("", criterion.documentation, count=1)
        criterion.documentation = text[:1].upper() + text[1:]
        criterion.save(update_fields=["documentation"])


class Migration(migrations.Migration):
    dependencies = [("goals", "0002_search_index")]

    operations = [migrations.RunPython(documentation_without_label, migrations.RunPython.noop)]
