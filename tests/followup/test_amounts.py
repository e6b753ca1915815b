"""Amounts are typed the Danish way: thousand separators accepted, never negative, never a fraction."""

import pytest
from django.core.exceptions import ValidationError

from followup.amounts import parse_whole_number


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.250.000", 1_250_000),
        ("1250000", 1_250_000),
        ("1 250 000", 1_250_000),
        ("1\u00a0250\u00a0000", 1_250_000),
        ("1,250,000", 1_250_000),
        ("1.250.000 kr.", 1_250_000),
        ("0", 0),
        ("", None),
        ("   ", None),
        (None, None),
        (42, 42),
        (42.0, 42),
    ],
)
def test_accepted(typed, number):
    assert parse_whole_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("-5", "min_value"),
        ("-1.000", "min_value"),
        (-3, "min_value"),
        ("1.250,50", "invalid"),
        ("1.25", "invalid"),
        ("12.5", "invalid"),
        ("1.250,000", "invalid"),
        ("mange", "invalid"),
        (2.5, "invalid"),
        (True, "invalid"),
    ],
)
def test_refused_with_a_reason(typed, code):
    with pytest.raises(ValidationError) as caught:
        parse_whole_number(typed)
    assert caught.value.code == code
