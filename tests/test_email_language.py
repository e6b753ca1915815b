"""E-mails to a person are written in the language they last signed in with; to someone the portal does not know,
in Danish and then English."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from followup import services as followup_services
from goals import reference
from members.models import User
from tests.factories import PASSWORD, RepresentativeFactory, RoundFactory, goal_in_force
from workgroups import services as workgroup_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "language"), [("/en/accounts/login/", "en"), ("/accounts/login/", "da")])
def test_signing_in_remembers_the_language(client, rep_a, path, language):
    response = client.post(path, {"login": rep_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=rep_a.pk).language == language


def open_round(secretariat_user, capture):
    reference.load()
    version = goal_in_force()
    round_ = RoundFactory(year=2026)
    round_.goal_versions.set([version])
    with capture(execute=True):
        followup_services.round_open(round=round_, by=secretariat_user)


def test_the_follow_up_invitation_is_in_the_representatives_language(
    rep_a, rep_b, secretariat_user, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=rep_a.pk).update(language="en")
    open_round(secretariat_user, django_capture_on_commit_callbacks)
    (english,) = [m for m in mail.outbox if rep_a.email in m.to]
    (unknown,) = [m for m in mail.outbox if rep_b.email in m.to]
    # the one who signed in in English reads English only, with links to the English pages
    assert "/en/followup/" in english.body
    assert "Opfølgning" not in english.body and "----------" not in english.body
    # the one whose language is not known reads Danish, then English
    assert "----------" in unknown.body and "/en/followup/" in unknown.body


def test_the_hearing_notice_is_in_each_members_language(
    org_a, org_b, secretariat_user, django_capture_on_commit_callbacks
):
    english = RepresentativeFactory(organisation=org_a, position="primary", user__language="en").user
    danish = RepresentativeFactory(organisation=org_b, position="primary").user
    reference.load()
    version = goal_in_force(secretariat_user)
    from goals import services as goal_services

    draft = goal_services.goal_version_draft_start(goal=version.goal, by=secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        workgroup_services.hearing_open(
            version=draft, kind="internal", closes_at=timezone.now() + datetime.timedelta(days=14), by=secretariat_user
        )
    (to_english,) = [m for m in mail.outbox if m.to == [english.email]]
    (to_danish,) = [m for m in mail.outbox if m.to == [danish.email]]
    assert "internal hearing" in to_english.body and "/en/workgroups/hearings/" in to_english.body
    assert "intern høring" in to_danish.body and "/en/" not in to_danish.body


def test_a_security_notice_is_in_the_language_signed_in_with(client, rep_a, settings):
    from django.urls import reverse

    User.objects.filter(pk=rep_a.pk).update(language="en")
    client.force_login(rep_a)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Fjord-Lysning-2031", "password2": "Fjord-Lysning-2031"},
    )
    assert response.status_code == 302
    (notice,) = [m for m in mail.outbox if m.to == [rep_a.email]]
    assert "This change was just made" in notice.body
    assert "Denne ændring" not in notice.body and "----------" not in notice.body
    assert f"{settings.SITE_URL}/en/accounts/password/reset/" in notice.body
