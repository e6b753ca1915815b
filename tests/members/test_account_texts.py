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
