"""The account pages speak the portal's Danish: "adgangskode" and "Du er logget ind", not allauth's "password" and "succesfuldt"."""

import pytest
from django.contrib.messages import get_messages

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_in_says_so_in_plain_danish(client, rep_a):
    # when a representative signs in on the Danish site
    response = client.post("/accounts/login/", {"login": rep_a.email, "password": PASSWORD})
    # then the confirmation reads as Danish, not as allauth's literal translation
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(t.startswith("Du er logget ind som") for t in texts), texts
    assert not any("succesfuldt" in t for t in texts)


def test_the_password_reset_page_says_adgangskode(client):
    # when someone who forgot the password opens the reset page, in Danish and in English
    danish = client.get("/accounts/password/reset/").content.decode()
    english = client.get("/en/accounts/password/reset/").content.decode()
    # then Danish says "adgangskode" and "e-mail", English keeps its own words
    assert "Nulstil min adgangskode" in danish
    assert "Har du glemt din adgangskode?" in danish
    for awkward in ("Nulstil password", "Nulstil mit password", "Glemt dit password"):
        assert awkward not in danish
    assert "Reset My Password" in english


@pytest.mark.parametrize(
    ("prefix", "closing", "signature"),
    [
        ("", "Venlig hilsen", "Sekretariat for Partnerskab for Offentlige Grønne Indkøb"),
        ("/en", "Kind regards", "Secretariat of the Partnership for Green Public Procurement"),
    ],
)
def test_the_reset_email_is_signed_by_the_secretariat_not_the_host(
    client, rep_a, mailoutbox, prefix, closing, signature
):
    # when someone asks for a new password, on the Danish or the English site
    client.post(f"{prefix}/accounts/password/reset/", {"email": rep_a.email})
    # then the e-mail closes with a greeting and the secretariat, in both parts, never with the server's address
    (mail,) = mailoutbox
    assert mail.subject.endswith("Nulstilling af adgangskode" if not prefix else "Reset your password")
    html = mail.alternatives[0][0]
    for part in (mail.body, html):
        assert closing in part and signature in part
    assert "\ntestserver\n" not in mail.body and "testserver</p>" not in html
