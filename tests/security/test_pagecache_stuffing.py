"""Made-up query strings cannot fill the page cache (issue 13): the cache key holds only what the page reads."""

import uuid

import pytest

from core import pagecache
from goals import reference
from tests.factories import goal_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_pages(monkeypatch):
    """The distinct page keys the page cache stores (version counters left out)."""
    keys = set()
    original = pagecache.cache.set

    def recording(key, *args, **kwargs):
        if key.startswith("pagecache:catalogue:"):
            keys.add(key)
        return original(key, *args, **kwargs)

    monkeypatch.setattr(pagecache.cache, "set", recording)
    return keys


@pytest.fixture
def catalogue(db):
    reference.load()
    goal_in_force(number=5, title="Rengøring")


def test_a_hundred_random_utm_parameters_make_at_most_one_entry(client, catalogue, stored_pages):
    # when a hundred anonymous requests each carry a new random tracking parameter
    replies = [client.get(f"/goals/?utm_source={uuid.uuid4().hex}&fbclid={uuid.uuid4().hex}") for _ in range(100)]
    # then they all got the catalogue, and the cache holds one page for them
    assert {r.status_code for r in replies} == {200}
    assert "Rengøring" in replies[-1].text
    assert len(stored_pages) <= 1
    # the unknown parameter is not echoed into the page (the language link, the pager)
    assert "utm_source" not in replies[-1].text


def test_a_filter_the_page_reads_still_gets_its_own_entry(client, catalogue, stored_pages):
    # given the plain catalogue in the cache
    client.get("/goals/")
    # when a visitor searches, with and without a tracking parameter, and in another order
    searched = client.get("/goals/?q=reng&utm_source=x")
    client.get("/goals/?q=reng")
    client.get("/goals/?utm_medium=y&q=reng")
    client.get("/goals/?q=zzz")
    # then each search is its own page, and the tracking parameters add none
    assert "Rengøring" in searched.text
    assert len(stored_pages) == 3
