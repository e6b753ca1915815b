"""A mail server that refuses never fails the request whose email it is: the sign-in or the change has happened."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from core.emails import message_data, message_from_data
from core.tasks import email_send
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def refusing_mail_server(settings):
    settings.EMAIL_BACKEND = "tests.security.test_mail_outage.RefusingBackend"


def test_sign_in_from_a_new_browser_succeeds_while_the_mail_server_refuses(refusing_mail_server, caplog):
    owner = UserFactory()
    first, second = Client(), Client()
    assert first.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD}).status_code == 302
    # the second browser's sign-in writes a "new sign-in" notice, which the mail server refuses
    response = second.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    assert second.get(reverse("dashboard")).status_code == 200
    assert "Could not send the email" in caplog.text


def test_a_password_reset_request_is_answered_while_the_mail_server_refuses(refusing_mail_server):
    owner = UserFactory()
    response = Client().post(reverse("account_reset_password"), {"email": owner.email})
    assert response.status_code == 302


def test_the_worker_sends_the_email_as_it_was_written(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = message_from_data(
        {"subject": "Emne", "body": "Tekst", "from_email": "a@pogi.example", "to": ["b@pogi.example"], "headers": {}}
    )
    message.attach_alternative("<p>Tekst</p>", "text/html")
    email_send(message_data(message))
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Emne", "Tekst", ["b@pogi.example"])
    assert sent.alternatives[0][1] == "text/html"
