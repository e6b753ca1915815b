"""The names of a body's offices as the pages say them. The plain "Chair" is a working group's chair (in Danish
"tovholder"); the chair of POGI Move or POGI Lab is its "formand", so the bodies' pages and messages name the
offices in their own context."""

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .models import BodyOffice

ROLE_LABELS: dict[str, Promise] = {
    BodyOffice.Role.CHAIR: pgettext_lazy("office of a body", "Chair"),
    BodyOffice.Role.VICE_CHAIR: pgettext_lazy("office of a body", "Vice-chair"),
}
ROLE_LABELS_LOWER: dict[str, Promise] = {
    BodyOffice.Role.CHAIR: pgettext_lazy("office of a body, within a sentence", "chair"),
    BodyOffice.Role.VICE_CHAIR: pgettext_lazy("office of a body, within a sentence", "vice-chair"),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def role_in_sentence(role: str) -> str:
    return str(ROLE_LABELS_LOWER.get(role, role))
