"""Official identifiers of Nordic organisations, checked by their published check-digit rules.

- Denmark: CVR number, 8 digits (Erhvervsstyrelsen no longer promises a modulus-11 check digit, so none is
  checked).
- Norway: organisasjonsnummer, 9 digits, modulus 11 with weights 3 2 7 6 5 4 3 2 on the first eight
  (Brønnøysundregistrene, "Organisasjonsnummeret").
- Sweden: organisationsnummer, 10 digits written NNNNNN-NNNN, Luhn check digit, third digit ≥ 2 for a
  legal person (Skatteverket, SKV 709).
- Finland: Y-tunnus (Business ID), 7 digits, a hyphen and a check digit, modulus 11 with weights
  7 9 10 5 8 4 2; a remainder of 1 is never issued (Finnish Patent and Registration Office / Vero).
- Iceland: kennitala, 10 digits, modulus 11 with weights 3 2 7 6 5 4 3 2 on the first eight; a legal
  person's first digit is 4 to 7 (Þjóðskrá Íslands).

``normalise`` writes an identifier the way its register does; ``problem`` says in the reader's language
what is wrong with it, or returns None.
"""

import re

from django.utils.translation import gettext as _

_DIGITS = re.compile(r"\d+")


def _digits(value: str) -> str:
    return "".join(_DIGITS.findall(value))


def _mod11(digits: str, weights: tuple[int, ...]) -> int | None:
    """The modulus-11 check digit for ``digits``; None where the rule issues no number (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 0:
        return 0
    check = 11 - remainder
    return None if check == 10 else check


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normalise(country: str, value: str) -> str:
    """The identifier as its register writes it (spaces and dots dropped, the Swedish and Finnish hyphen put in)."""
    value = (value or "").strip()
    if not value:
        return ""
    digits = _digits(value)
    if country == "SE" and len(digits) == 10:
        return f"{digits[:6]}-{digits[6:]}"
    if country == "FI" and len(digits) == 8:
        return f"{digits[:7]}-{digits[7]}"
    if country == "IS" and len(digits) == 10:
        return f"{digits[:6]}-{digits[6:]}"
    if country in ("DK", "NO"):
        return digits if digits else value
    return value


def label(country: str) -> str:
    """What the identifier is called in the country, in the reader's language."""
    return {
        "DK": _("CVR number"),
        "NO": _("organisation number"),
        "SE": _("organisation number"),
        "FI": _("Business ID (Y-tunnus)"),
        "IS": _("national ID number (kennitala)"),
    }.get(country, _("official identifier"))


def problem(country: str, value: str) -> str | None:
    """None when ``value`` is a well-formed identifier for ``country`` (or empty); else what is wrong with it."""
    value = (value or "").strip()
    if not value:
        return None
    if re.search(r"[^\d\s.\-]", value):
        return _("An identifier has digits only (with spaces or a hyphen where the register writes them).")
    digits = _digits(value)
    if country == "DK":
        if len(digits) != 8:
            return _("A CVR number has exactly eight digits.")
        return None
    if country == "NO":
        if len(digits) != 9:
            return _("A Norwegian organisation number has exactly nine digits.")
        if _mod11(digits[:8], (3, 2, 7, 6, 5, 4, 3, 2)) != int(digits[8]):
            return _("This is not a valid Norwegian organisation number: its check digit does not match.")
        return None
    if country == "SE":
        if len(digits) != 10:
            return _("A Swedish organisation number has ten digits, written NNNNNN-NNNN.")
        if int(digits[2]) < 2:
            return _("This is a Swedish personal identity number, not an organisation number.")
        if not _luhn_ok(digits):
            return _("This is not a valid Swedish organisation number: its check digit does not match.")
        return None
    if country == "FI":
        if not re.fullmatch(r"\d{7}-?\d", value.replace(" ", "")):
            return _("A Finnish Business ID has seven digits, a hyphen and a check digit: 1234567-8.")
        check = _mod11(digits[:7], (7, 9, 10, 5, 8, 4, 2))
        if check is None or check != int(digits[7]):
            return _("This is not a valid Finnish Business ID: its check digit does not match.")
        return None
    if country == "IS":
        if len(digits) != 10:
            return _("An Icelandic kennitala has ten digits.")
        if digits[0] not in "4567":
            return _("This kennitala belongs to a person, not an organisation.")
        if _mod11(digits[:8], (3, 2, 7, 6, 5, 4, 3, 2)) != int(digits[8]):
            return _("This is not a valid kennitala: its check digit does not match.")
        return None
    return None
