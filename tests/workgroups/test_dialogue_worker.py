"""A dialogue's news sent by real Celery workers on Redis (needs PostgreSQL and Redis): a worker killed mid-send
is replaced, and every confirmed recipient gets the news exactly once."""

import re
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import OrganisationFactory
from workgroups.models import DialogueNews, InterestSignup, NewsDelivery
from workgroups.services import dialogues as services

pytestmark = pytest.mark.services

RECIPIENTS = 12


def wait_for(condition, timeout=60, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def addressees(mail_dir, subject: str) -> Counter:
    """How many e-mails with the subject each address got, from every file the workers' mail backend wrote (the
    sign-ups' confirmation e-mails are there too)."""
    counts: Counter = Counter()
    for path in mail_dir.glob("*.log"):
        for message in path.read_text().split("-" * 79):
            if re.search(rf"^Subject: {re.escape(subject)}$", message, flags=re.M):
                counts.update(re.findall(r"^To: (\S+)$", message, flags=re.M))
    return counts


def test_a_worker_killed_mid_send_is_replaced_and_each_recipient_gets_the_news_once(celery_workers, secretariat_user):
    # given a dialogue with a confirmed interest list, a participant, an unconfirmed sign-up and a news update
    lead = OrganisationFactory(country="NO", region=None, official_code="")
    dialogue = services.dialogue_create(
        by=secretariat_user,
        lead=lead,
        title="Utslippsfri levering",
        purpose="Utslippsfri levering av varer.",
        funder="Nordisk ministerråd",
        ends_on=timezone.localdate() + timedelta(days=100),
    )
    consent = services.consent_current()
    for n in range(RECIPIENTS + 1):
        services.interest_signup(
            dialogue=dialogue,
            email=f"person{n}@example.se",
            name=f"Person {n}",
            language="sv",
            consent=consent,
            consent_given=True,
        )
    InterestSignup.objects.exclude(email=f"person{RECIPIENTS}@example.se").update(confirmed_at=timezone.now())
    news = services.news_create(
        dialogue=dialogue, texts={"en": ("Kick-off", "We met."), "sv": ("Uppstart", "Vi träffades.")}, by=None
    )
    # and a worker that pauses after each e-mail
    first = celery_workers["start"]("first", POGI_NEWS_SEND_PAUSE_SECONDS="0.5")
    # when the secretariat sends the news
    with transaction.atomic():
        assert services.news_send(news=news, by=secretariat_user) == RECIPIENTS

    def sent():
        return NewsDelivery.objects.filter(news=news, status=NewsDelivery.Status.SENT).count()

    def between_emails():
        return sent() >= 3 and not NewsDelivery.objects.filter(news=news, status=NewsDelivery.Status.SENDING).exists()

    assert wait_for(between_emails), "the worker did not start sending"
    # and the worker is killed mid-send
    first.kill()
    first.wait()
    before = sent()
    assert 3 <= before < RECIPIENTS
    # then another worker takes the unacknowledged task up and sends the rest
    celery_workers["start"](
        "second", CELERY_VISIBILITY_TIMEOUT="3", CELERY_UNACKED_RESTORE_SECONDS="1", CELERY_UNACKED_RESTORE_THROTTLE="1"
    )
    assert wait_for(lambda: DialogueNews.objects.get(pk=news.pk).status == DialogueNews.Status.SENT, timeout=90)
    time.sleep(5)  # time for any further copy of the task
    counts = addressees(celery_workers["mail_dir"], "Uppstart")
    expected = {f"person{n}@example.se" for n in range(RECIPIENTS)}
    assert set(counts) == expected, "an unconfirmed address got the news, or a confirmed one did not"
    assert set(counts.values()) == {1}, f"someone got the news twice: {counts}"
    assert NewsDelivery.objects.filter(news=news).count() == RECIPIENTS
    assert set(NewsDelivery.objects.filter(news=news).values_list("status", flat=True)) == {"sent"}
    # in Swedish, with the one-click unsubscribe header
    text = "".join(p.read_text() for p in celery_workers["mail_dir"].glob("*.log"))
    assert "Subject: Uppstart" in text
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
