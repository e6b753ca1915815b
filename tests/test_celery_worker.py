"""A real Celery worker on Redis runs the portal's tasks end to end (needs PostgreSQL and Redis)."""

import time

import pytest

from members import services
from members.models import Invitation
from tests.factories import MembershipFactory

pytestmark = pytest.mark.services


@pytest.fixture
def worker(celery_workers):
    """One worker on a private queue; the emails it sends land in a directory."""
    celery_workers["start"]("worker")
    return celery_workers


def test_invitation_is_emailed_by_the_worker(worker, secretariat_user):
    # given an organisation
    organisation = MembershipFactory().organisation
    # when the secretariat invites a representative (the task is enqueued after commit)
    invitation = services.invitation_create(
        organisation=organisation, email="ny@kommune.example", position="primary", invited_by=secretariat_user
    )
    # then the worker sends the email and records it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.sent_at:
            break
        time.sleep(0.2)
    assert invitation.sent_at is not None, "the worker did not send the invitation"
    messages = list(worker["mail_dir"].glob("*.log"))
    assert len(messages) == 1
    text = messages[0].read_text()
    assert "ny@kommune.example" in text
    assert "/members/invitations/" in text


def test_periodic_task_runs_on_the_worker(worker):
    from members.tasks import invitations_expire

    assert invitations_expire.apply_async(queue=worker["queue"]).get(timeout=30) == 0
    assert Invitation.objects.count() == 0
