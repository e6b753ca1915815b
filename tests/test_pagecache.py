"""The public catalogue served from the cache to anonymous visitors, and dropped as soon as a goal changes."""

import pytest

from goals import reference
from goals.models import Goal
from tests.factories import goal_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(secretariat_user):
    reference.load()
    return goal_in_force(secretariat_user, number=5, title="Rengøring")


def test_an_anonymous_visitor_gets_the_same_page_from_the_cache(client, catalogue, django_assert_num_queries):
    first = client.get("/goals/?q=reng")
    assert first.status_code == 200 and "Rengøring" in first.content.decode()
    # the page sets no cookie and carries no CSRF token: it is the same for every visitor
    assert not first.cookies and "csrfmiddlewaretoken" not in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get("/goals/?q=reng")
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == "text/html; charset=utf-8" and again["Content-Language"] == "da"
    # another address, another language, is another page
    english = client.get("/en/goals/?q=reng")
    assert english["Content-Language"] == "en" and 'lang="en"' in english.content.decode()


def test_a_change_to_a_goal_shows_at_once(client, catalogue, secretariat_user):
    assert "Rengøring" in client.get("/goals/").content.decode()
    # when a goal's address changes (here in the back office) and a second goal is published
    goal = Goal.objects.get(number=5)
    goal.slug = "rengoering-og-hygiejne"
    goal.save()
    goal_in_force(secretariat_user, number=7, title="IT-udstyr", area="it-udstyr", statement="IT er energimærket.")
    # then the next anonymous visitor sees it
    body = client.get("/goals/").content.decode()
    assert "IT-udstyr" in body and "/goals/5-rengoering-og-hygiejne/" in body


def test_signed_in_users_and_visitors_with_a_session_get_a_fresh_page(
    client, catalogue, rep_a, django_assert_max_num_queries
):
    client.get("/goals/")
    client.force_login(rep_a)
    reply = client.get("/goals/")
    assert f"{rep_a}" in reply.content.decode()  # their name in the header: never a cached page
    assert 'hx-headers=\'{"X-CSRFToken"' in reply.content.decode()


def test_the_language_link_leads_to_the_same_page_in_the_other_language(client, catalogue):
    body = client.get("/goals/?q=reng").content.decode()
    assert 'href="/en/goals/?q=reng" class="button button-tertiary" lang="en" hreflang="en">English</a>' in body
    body = client.get("/en/goals/?q=reng").content.decode()
    assert 'href="/goals/?q=reng" class="button button-tertiary" lang="da" hreflang="da">Dansk</a>' in body
