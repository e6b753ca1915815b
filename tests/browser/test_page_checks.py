"""The checks every browser test relies on: they must catch what they are meant to catch."""

import pytest

from .pages import INVITATION_LINK, check_a11y, language_of, other_language_path, path_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/", "/en/"),
        ("/en/", "/"),
        ("/members/", "/en/members/"),
        ("/en/members/?q=Vejle", "/members/?q=Vejle"),
        ("/members/?q=Vejle", "/en/members/?q=Vejle"),
        ("/en", "/"),
    ],
)
def test_other_language_path(path, other):
    assert other_language_path(path) == other


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/projects/x/", "sv", "/sv/projects/x/"),
        ("/sv/projects/x/?a=1", "fi", "/fi/projects/x/?a=1"),
        ("/nb/", "da", "/"),
        ("/fi", "en", "/en/"),
        ("/en/members/", "nb", "/nb/members/"),
        ("/sverige/", "en", "/en/sverige/"),  # a path that only starts like a prefix
    ],
)
def test_path_in_every_language(path, language, expected):
    assert path_in(path, language) == expected
    assert language_of(expected.split("?")[0]) == language


def test_invitation_link_in_email_text():
    body = "Følg linket:\nhttp://127.0.0.1:8000/members/invitations/Ab-c_12/\n\nhttps://pogi.example/en/members/invitations/Ab-c_12/\n"
    assert INVITATION_LINK.findall(body) == ["/members/invitations/Ab-c_12/", "/en/members/invitations/Ab-c_12/"]


def test_a11y_check_reports_violations(page):
    page.set_content('<!DOCTYPE html><html lang="en"><title>Sample</title><main><img src="x.png"><input></main></html>')
    with pytest.raises(pytest.fail.Exception) as failure:
        check_a11y(page, "sample page")
    report = str(failure.value)
    assert "Accessibility violations on sample page" in report
    assert "- image-alt (critical)" in report
    assert "- label (critical)" in report
    assert "at img" in report


def test_a11y_check_passes_an_accessible_page(page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><title>Sample</title><main><h1>Sample</h1>'
        '<img src="x.png" alt="A sample"><label for="q">Search</label><input id="q"></main></html>'
    )
    check_a11y(page, "sample page")
