"""HTTP-level controls (issue 13, ASVS 5.0 L2): CSP, Permissions-Policy, caching, the language link, CSV cells."""

import csv
import io
from urllib.parse import unquote

import pytest

from core.spreadsheet import neutralise
from goals import reference
from tests.factories import goal_in_force

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    reference.load()
    return goal_in_force(number=5, title="Rengøring", criteria=['=HYPERLINK("http://evil.example")', "Svanemærket."])


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


# --- Content-Security-Policy ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/goals/", "/en/goals/", "/accounts/login/", "/goals/no-such-page/"])
def test_every_page_has_a_strict_content_security_policy(client, catalogue, url):
    response = client.get(url)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_a_page_from_the_page_cache_has_the_policy_too(client, catalogue):
    client.get("/goals/")
    again = client.get("/goals/")
    assert "default-src 'self'" in again["Content-Security-Policy"]


def test_htmx_is_told_not_to_inject_its_indicator_style(client, catalogue):
    body = client.get("/goals/").text
    assert '"includeIndicatorStyles": false' in body
    assert "<style" not in body and " style=" not in body
    assert "<script>" not in body  # only <script src=…>


# --- Permissions-Policy ----------------------------------------------------------------------------


def test_browser_features_the_portal_never_uses_are_switched_off(client, catalogue):
    policy = client.get("/goals/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert "interest-cohort" not in policy  # not a feature browsers know any more: it would log an error


# --- caching -----------------------------------------------------------------------------------------


def test_pages_for_a_signed_in_user_are_never_stored(client, catalogue, rep_a):
    client.force_login(rep_a)
    for url in ("/goals/", "/dashboard/", "/members/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url


def test_the_anonymous_catalogue_may_be_kept_by_shared_caches(client, catalogue):
    for response in (client.get("/goals/"), client.get("/goals/")):  # rendered, then from the page cache
        assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
        assert "no-store" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"] and "HX-Request" in response["Vary"]


def test_the_public_pdf_keeps_its_public_cache_control_for_a_signed_in_user(client, catalogue, rep_a):
    client.force_login(rep_a)
    response = client.get("/goals/5-rengoering/versions/1/pdf/")
    assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=3600"


# --- the language link -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/%2F%2Fevil.example/",
        "/%5C%5Cevil.example/",
        "/%09/evil.example/",
        "//evil.example/en/goals/",
        "/en//evil.example/",
    ],
)
def test_the_language_link_of_a_404_never_leads_off_site(client, path):
    # the path as a WSGI server passes it on (decoded); the test client would read "//host/" as a host
    response = client.get("/", PATH_INFO=unquote(path))
    assert response.status_code == 404
    links = [
        part.split('"', 1)[0] for part in response.text.split('href="')[1:] if 'hreflang="' in part.split(">", 1)[0]
    ]
    assert links, "the 404 page has a language link"
    for link in links:
        assert link.startswith("/") and not link.startswith("//") and not link.startswith("/\\"), link
        assert "\t" not in link and "\\" not in link, link


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/nowhere/", "/en/nowhere/"),
        ("//evil.example/", "/en/evil.example/"),
        ("/en/nowhere/", "/nowhere/"),
        ("/en//evil.example/", "/evil.example/"),
    ],
)
def test_the_language_link_of_a_404_leads_to_the_same_address_in_the_other_language(client, path, expected):
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    assert f'href="{expected}" class="button button-tertiary"' in response.text


def test_the_language_link_still_leads_to_the_same_page(client, catalogue):
    body = client.get("/goals/5-rengoering/").text
    assert 'href="/en/goals/5-rengoering/" class="button button-tertiary" lang="en" hreflang="en"' in body


# --- CSV cells -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+45 12 34", "'+45 12 34"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Svanemærket", "Svanemærket"),
        (5, 5),
        (None, ""),
    ],
)
def test_a_cell_that_starts_like_a_formula_is_text(value, expected):
    assert neutralise(value) == expected


def test_the_open_data_csv_neutralises_formula_cells(client, catalogue):
    text = client.get("/open-data/goals.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    texts = [row["criterion_text"] for row in rows]
    assert '\'=HYPERLINK("http://evil.example")' in texts and "Svanemærket." in texts
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
