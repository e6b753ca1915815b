"""Every email links to the portal's one configured address (SITE_URL), never to a request's host or a default port."""

import re

import pytest
from django.core import mail

from followup import services as followup_services
from goals import reference
from members import services as member_services
from tests.factories import HearingFactory, RoundFactory, goal_in_force
from workgroups import services as workgroup_services

pytestmark = pytest.mark.django_db

SITE = "https://pogi.test:8443"
LINK = re.compile(r"https?://[^\s<>\"')]+")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def links(message) -> list[str]:
    return LINK.findall(message.body)


def assert_links_to_the_portal(message):
    found = links(message)
    assert found, f"no link in {message.subject!r}"
    wrong = [url for url in found if not url.startswith(SITE + "/")]
    assert not wrong, f"{message.subject!r} links elsewhere: {wrong}"


def test_an_invitation_links_to_the_portal(org_a, secretariat_user, django_capture_on_commit_callbacks):
    # when the secretariat invites a representative
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_create(
            organisation=org_a, email="ny@testby.example", position="deputy", invited_by=secretariat_user
        )
    # then the invitation's links (Danish and English) start with the portal's address
    (message,) = mail.outbox
    assert_links_to_the_portal(message)
    assert any("/en/members/invitations/" in url for url in links(message))


def test_the_follow_up_invitation_links_to_the_portal(rep_a, secretariat_user, django_capture_on_commit_callbacks):
    # given a goal in force and a round being prepared
    reference.load()
    version = goal_in_force()
    round_ = RoundFactory(year=2026)
    round_.goal_versions.set([version])
    # when the secretariat opens it
    with django_capture_on_commit_callbacks(execute=True):
        followup_services.round_open(round=round_, by=secretariat_user)
    # then the representative's invitation links to the portal
    (message,) = [m for m in mail.outbox if rep_a.email in m.to]
    assert_links_to_the_portal(message)


def test_a_hearing_notice_links_to_the_portal(rep_a):
    # given an internal hearing that members have not been told about
    hearing = HearingFactory()
    # when the notice goes out
    assert workgroup_services.hearing_notice_deliver(hearing_id=hearing.pk) == 1
    # then it links to the member hearing page at the portal's address
    (message,) = mail.outbox
    assert_links_to_the_portal(message)
    assert links(message) == [f"{SITE}/workgroups/hearings/{hearing.pk}/"]


def test_a_password_reset_links_to_the_portal_whatever_host_was_asked(client, rep_a):
    # when someone asks for a reset through another host name
    response = client.post("/accounts/password/reset/", {"email": rep_a.email}, HTTP_HOST="other.example")
    assert response.status_code == 302
    # then the reset link and the signature are the portal's, not the host's
    (message,) = mail.outbox
    assert_links_to_the_portal(message)
    assert "/accounts/password/reset/key/" in message.body
    assert "other.example" not in message.body
    assert "other.example" not in message.subject
    assert "POGI" in message.subject


def test_the_no_account_email_links_to_the_portal_too(client):
    # when someone asks to reset the password of an address without an account, through another host name
    client.post("/accounts/password/reset/", {"email": "ingen@nowhere.example"}, HTTP_HOST="other.example")
    # then the email that says so links to the portal's address, never to the host that was asked
    (message,) = mail.outbox
    assert_links_to_the_portal(message)
    assert "other.example" not in message.body
