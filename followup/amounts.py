"""Whole numbers as people type them: "1.250.000", "1 250 000" or "1250000" (Danish), "1,250,000" (English)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_whole_number(value, *, field_label: str = "") -> int | None:
    """The number in ``value``, None when empty; a ValidationError for anything else or below zero."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Enter a whole number, for example 1.250.000."), code="invalid")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(_("Enter a whole number without decimals, for example 1.250.000."), code="invalid")
        number = int(value)
    else:
        text = _SPACES.sub("", str(value)).removesuffix("kr.").removesuffix("kr")
        if not text:
            return None
        negative = text.startswith("-")
        digits = text.lstrip("-+")
        if digits.isdigit():
            number = int(digits)
        elif _GROUPED.match(digits) and len(set(re.findall(r"[.,]", digits))) == 1:
            number = int(re.sub(r"[.,]", "", digits))
        elif re.match(r"^[\d.,]+$", digits):
            raise ValidationError(
                _("Enter a whole number without decimals; use dots only between thousands, for example 1.250.000."),
                code="invalid",
            )
        else:
            raise ValidationError(_("Enter a whole number, for example 1.250.000."), code="invalid")
        if negative:
            number = -number
    if number < 0:
        raise ValidationError(_("The number cannot be negative."), code="min_value")
    return number
