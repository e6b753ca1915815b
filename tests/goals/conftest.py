"""Shared fixtures of the goals tests."""

import pytest

from goals import reference


@pytest.fixture
def refdata(db):
    """The reference data: product areas, CPV codes, ecolabels and SDG targets."""
    reference.load()
