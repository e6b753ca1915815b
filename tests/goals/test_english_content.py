"""The English version of the goals' content: written by the secretariat beside the Danish, read on the English
site, in the redline, the PDF and the search, with the Danish text marked ``lang="da"`` where English is missing."""

import re
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from goals import pdf, services
from goals.models import GoalVersion
from tests.conftest import service_missing
from tests.factories import goal_in_force, revision_in_force

pytestmark = pytest.mark.django_db

DANISH_TEXT = "Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten."
ENGLISH_TEXT = "The cleaning product must carry the Nordic Swan Ecolabel or the EU Ecolabel."


def url(name, **kwargs) -> str:
    with translation.override("da"):
        return reverse(name, kwargs=kwargs)


def page(v: GoalVersion, name="goals:goal-detail", **kwargs) -> str:
    return url(name, number=v.goal.number, slug=v.goal.slug, **kwargs)


def translate(version: GoalVersion, by=None, **criteria_text) -> GoalVersion:
    """Give the version an English title and statement, and its first criterion the English text."""
    first = version.criteria.order_by("position").first()
    return services.goal_version_english_update(
        version=version,
        by=by,
        fields={"title_en": "Cleaning", "statement_en": "Members buy cleaning products with a smaller footprint."},
        criteria={first.pk: {"text_en": criteria_text.get("text", ENGLISH_TEXT)}},
    )


@pytest.fixture
def cleaning(refdata):
    return goal_in_force(title="Rengøring", criteria=(DANISH_TEXT, "Leverandøren skal tilbyde undervisning."))


def element_lang(html: str, text: str) -> str | None:
    """The lang attribute of the innermost element whose text starts with ``text`` (None when it has none)."""
    match = re.search(r"<(\w+)([^>]*)>\s*(?:<p>)?" + re.escape(text), html)
    assert match, f"{text!r} not found"
    found = re.search(r'lang="(\w+)"', match.group(2))
    return found.group(1) if found else None


class TestReading:
    def test_danish_site_reads_the_danish_text_unmarked(self, client, cleaning):
        translate(cleaning)
        html = client.get(page(cleaning)).text
        assert DANISH_TEXT in html and ENGLISH_TEXT not in html
        assert element_lang(html, DANISH_TEXT) is None

    def test_english_site_reads_the_english_text(self, client, cleaning):
        translate(cleaning)
        html = client.get("/en" + page(cleaning)).text
        assert "<h1>Goal 5: Cleaning</h1>" in html
        assert ENGLISH_TEXT in html and DANISH_TEXT not in html
        assert element_lang(html, ENGLISH_TEXT) is None
        # the second criterion has no English: its Danish text is shown, marked Danish, and the page says so
        assert element_lang(html, "Leverandøren skal tilbyde undervisning.") == "da"
        assert 'id="untranslated"' in html

    def test_untranslated_goal_is_danish_marked_on_the_english_site(self, client, cleaning):
        html = client.get("/en" + page(cleaning)).text
        assert '<h1>Goal 5: <span lang="da">Rengøring</span></h1>' in html
        assert element_lang(html, DANISH_TEXT) == "da"
        assert 'id="untranslated"' in html
        assert 'id="untranslated"' not in client.get(page(cleaning)).text

    def test_fully_translated_goal_has_no_notice(self, client, cleaning):
        second = cleaning.criteria.order_by("position")[1]
        services.goal_version_english_update(
            version=cleaning,
            by=None,
            fields={"title_en": "Cleaning", "statement_en": "Members buy greener cleaning products."},
            criteria={
                cleaning.criteria.order_by("position")[0].pk: {"text_en": ENGLISH_TEXT},
                second.pk: {"text_en": "The supplier must offer training."},
            },
        )
        html = client.get("/en" + page(cleaning)).text
        assert 'id="untranslated"' not in html
        assert 'lang="da"' not in html.split("<main", 1)[1].split("</main>", 1)[0].replace('hreflang="da"', "").replace(
            '<a lang="da"', ""
        )

    def test_catalogue_lists_the_english_title_once_written(self, client, cleaning):
        before = client.get("/en/goals/").text
        assert '<span lang="da">Rengøring</span>' in before
        translate(cleaning)
        # the anonymous catalogue is cached: writing the English text invalidates it at once
        after = client.get("/en/goals/").text
        assert "Goal 5: Cleaning" in after
        assert '<span lang="da">Rengøring</span>' not in after

    def test_search_finds_a_goal_by_its_english_words(self, client, cleaning, require_postgres):
        assert not client.get("/en/goals/", {"q": "ecolabel"}).context["page"].object_list
        translate(cleaning)
        found = client.get("/en/goals/", {"q": "ecolabel"}).context["page"].object_list
        assert [v.pk for v in found] == [cleaning.pk]
        # and the Danish words still find it, on either site
        assert [v.pk for v in client.get("/goals/", {"q": "svanemærket"}).context["page"].object_list] == [cleaning.pk]


class TestTheOneRoute:
    def test_a_version_in_force_is_translated_without_a_new_version(self, cleaning, secretariat_user):
        translate(cleaning, by=secretariat_user)
        cleaning.refresh_from_db()
        assert cleaning.status == GoalVersion.Status.PUBLISHED
        assert cleaning.goal.versions.count() == 1
        assert cleaning.title_en == "Cleaning" and cleaning.title == "Rengøring"
        assert cleaning.english_updated_at is not None
        latest = cleaning.history.first()
        assert latest.title_en == "Cleaning" and latest.history_user == secretariat_user

    def test_a_criterion_of_another_version_is_refused(self, cleaning, refdata):
        other = goal_in_force(number=6, title="Træ", area="trae", criteria=("Træet skal være lovligt fældet.",))
        foreign = other.criteria.get()
        with pytest.raises(ValidationError):
            services.goal_version_english_update(
                version=cleaning, by=None, fields={}, criteria={foreign.pk: {"text_en": "Hijacked"}}
            )
        foreign.refresh_from_db()
        assert foreign.text_en == ""

    def test_only_english_fields_are_written(self, cleaning):
        with pytest.raises(ValidationError):
            services.goal_version_english_update(version=cleaning, by=None, fields={"title": "Ændret"}, criteria={})
        first = cleaning.criteria.first()
        with pytest.raises(ValidationError):
            services.goal_version_english_update(
                version=cleaning, by=None, fields={}, criteria={first.pk: {"text": "Ændret"}}
            )
        cleaning.refresh_from_db()
        assert cleaning.title == "Rengøring"

    def test_a_withdrawn_draft_is_not_translated(self, cleaning):
        draft = services.goal_version_draft_start(goal=cleaning.goal, by=None)
        services.goal_version_withdraw(version=draft, by=None, reason="Arbejdsgruppen stopper revisionen.")
        with pytest.raises(ValidationError):
            services.goal_version_english_update(version=draft, by=None, fields={"title_en": "X"}, criteria={})

    def test_nothing_changed_records_nothing(self, cleaning):
        translate(cleaning)
        cleaning.refresh_from_db()
        stamp, entries = cleaning.english_updated_at, cleaning.history.count()
        translate(cleaning)
        cleaning.refresh_from_db()
        assert cleaning.english_updated_at == stamp and cleaning.history.count() == entries

    def test_a_new_draft_starts_with_the_english_of_the_version_in_force(self, cleaning):
        translate(cleaning)
        draft = services.goal_version_draft_start(goal=cleaning.goal, by=None)
        assert draft.title_en == "Cleaning"
        assert draft.criteria.order_by("position").first().text_en == ENGLISH_TEXT

    def test_a_changed_danish_text_clears_its_english_and_only_that(self, cleaning):
        translate(cleaning)
        draft = services.goal_version_draft_start(goal=cleaning.goal, by=None)
        first, second = draft.criteria.order_by("position")
        services.goal_version_update(version=draft, by=None, statement="Medlemmerne køber svanemærkede midler.")
        services.criterion_update(criterion=first, by=None, text="Midlet skal være svanemærket.")
        services.criterion_update(criterion=second, by=None, text=second.text)  # unchanged: keeps what it has
        draft.refresh_from_db()
        first.refresh_from_db()
        # the English no longer says what the Danish says: the reader gets the Danish, marked, until it is rewritten
        assert draft.statement_en == "" and draft.title_en == "Cleaning"
        assert first.text_en == ""
        assert draft.translation_missing("en")


class TestRedline:
    @pytest.fixture
    def revised(self, cleaning):
        translate(cleaning)

        def change(draft):
            first = draft.criteria.order_by("position").first()
            services.criterion_update(criterion=first, by=None, text=DANISH_TEXT.replace("eller EU-Blomsten", ""))

        return cleaning, revision_in_force(cleaning, change=change)

    def test_english_redline_shows_the_english_change_when_both_versions_have_it(self, client, revised):
        old, new = revised
        first = new.criteria.order_by("position").first()
        services.goal_version_english_update(
            version=new,
            by=None,
            fields={},
            criteria={first.pk: {"text_en": "The cleaning product must carry the Nordic Swan Ecolabel."}},
        )
        html = client.get(
            "/en" + page(new, "goals:compare"), {"from_version": old.number, "to_version": new.number}
        ).text
        redline = html.split('class="redline-criterion', 1)[1]
        deleted = re.search(r"<del>.*?</del>", redline, re.S).group(0)
        assert "or the EU" in deleted and 'lang="da"' not in deleted
        assert "eller EU-Blomsten" not in html

    def test_english_redline_falls_back_to_the_danish_change_marked_danish(self, client, revised):
        old, new = revised
        # the new version's criterion text changed in Danish, which cleared the English of the old wording
        assert new.criteria.order_by("position").first().text_en == ""
        html = client.get(
            "/en" + page(new, "goals:compare"), {"from_version": old.number, "to_version": new.number}
        ).text
        redline = html.split('class="redline-criterion', 1)[1]
        deleted = re.search(r"<del>.*?</del>", redline, re.S).group(0)
        assert '<span lang="da">' in deleted and "eller EU-Blomsten" in deleted

    def test_danish_redline_is_unmarked(self, client, revised):
        old, new = revised
        html = client.get(page(new, "goals:compare"), {"from_version": old.number, "to_version": new.number}).text
        assert "eller EU-Blomsten" in html
        assert '<span lang="da">' not in html


class TestPdf:
    def _text(self, content: bytes, tmp_path) -> str:
        if shutil.which("pdftotext") is None:
            service_missing("pdftotext (poppler-utils) is not installed")
        path = tmp_path / "goal.pdf"
        path.write_bytes(content)
        return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())

    def test_english_pdf_follows_the_english_text_as_it_is_written(self, client, cleaning, tmp_path):
        pdf_url = "/en" + page(cleaning, "goals:version-pdf", version=1)
        before = self._text(client.get(pdf_url).content, tmp_path)
        assert "Goal 5: Rengøring" in before and DANISH_TEXT in before
        translate(cleaning)
        after = self._text(client.get(pdf_url).content, tmp_path)
        assert "Goal 5: Cleaning" in after and ENGLISH_TEXT in after
        # the Danish PDF is the same file as before: its text never changes after publication
        danish = self._text(client.get(page(cleaning, "goals:version-pdf", version=1)).content, tmp_path)
        assert "Indkøbsmål 5: Rengøring" in danish and DANISH_TEXT in danish

    def test_stored_name_of_the_english_edition_changes_with_its_text(self, cleaning):
        names = (pdf.stored_name(version=cleaning, language="en"), pdf.stored_name(version=cleaning, language="da"))
        translate(cleaning)
        cleaning.refresh_from_db()
        assert pdf.stored_name(version=cleaning, language="en") != names[0]
        assert pdf.stored_name(version=cleaning, language="da") == names[1]


class TestTheSecretariatsPage:
    def test_only_the_secretariat_writes_english(self, client, cleaning, rep_a):
        target = url("goals:manage-english", pk=cleaning.pk)
        assert client.get(target).status_code == 302  # to sign in
        client.force_login(rep_a)
        assert client.post(target, {"title_en": "Hijacked"}).status_code in (403, 404)
        cleaning.refresh_from_db()
        assert cleaning.title_en == ""

    def test_the_page_shows_the_danish_beside_each_field_and_saves(self, secretariat_client, cleaning):
        target = url("goals:manage-english", pk=cleaning.pk)
        html = secretariat_client.get(target).text
        assert f'<div class="translation-danish" lang="da">{DANISH_TEXT}</div>' in html
        assert "4 fields have Danish text and no English version yet." in secretariat_client.get("/en" + target).text
        first = cleaning.criteria.order_by("position").first()
        response = secretariat_client.post(
            target,
            {"title_en": "  Cleaning ", "statement_en": "Members buy greener.", f"c{first.pk}-text_en": ENGLISH_TEXT},
        )
        assert response.status_code == 302 and response["Location"] == target
        cleaning.refresh_from_db()
        first.refresh_from_db()
        assert (cleaning.title_en, cleaning.statement_en, first.text_en) == (
            "Cleaning",
            "Members buy greener.",
            ENGLISH_TEXT,
        )

    def test_a_posted_field_for_another_versions_criterion_is_ignored(self, secretariat_client, cleaning, refdata):
        other = goal_in_force(number=6, title="Træ", area="trae", criteria=("Træet skal være lovligt fældet.",))
        foreign = other.criteria.get()
        target = url("goals:manage-english", pk=cleaning.pk)
        secretariat_client.post(target, {"title_en": "Cleaning", f"c{foreign.pk}-text_en": "Hijacked"})
        foreign.refresh_from_db()
        assert foreign.text_en == ""

    def test_too_long_a_title_is_refused_with_the_text_kept(self, secretariat_client, cleaning):
        target = url("goals:manage-english", pk=cleaning.pk)
        response = secretariat_client.post(target, {"title_en": "x" * 201, "statement_en": "Kept."})
        assert response.status_code == 200
        assert "Der er et problem" in response.text
        assert "Kept." in response.text
        cleaning.refresh_from_db()
        assert cleaning.title_en == ""

    def test_the_version_page_links_to_it(self, secretariat_client, cleaning):
        html = secretariat_client.get(url("goals:manage-version", pk=cleaning.pk)).text
        assert url("goals:manage-english", pk=cleaning.pk) in html


def test_anonymous_client_sees_english_after_secretariat_saves(cleaning, secretariat_client):
    """The goal page, the catalogue and the PDF are read by people who are not signed in: no stale copy."""
    anonymous = Client()
    assert "Goal 5: Cleaning" not in anonymous.get("/en" + page(cleaning)).text
    first = cleaning.criteria.order_by("position").first()
    secretariat_client.post(
        url("goals:manage-english", pk=cleaning.pk), {"title_en": "Cleaning", f"c{first.pk}-text_en": ENGLISH_TEXT}
    )
    assert "Goal 5: Cleaning" in anonymous.get("/en" + page(cleaning)).text
    assert "Goal 5: Cleaning" in anonymous.get("/en/goals/").text


def test_catalogue_sorted_by_title_sorts_by_the_title_the_reader_sees(client, refdata):
    # Danish: Affald < Belysning; English: Lighting < Waste
    waste = goal_in_force(number=1, title="Affald", area="rengoering")
    lighting = goal_in_force(number=2, title="Belysning", area="rengoering")
    services.goal_version_english_update(version=waste, by=None, fields={"title_en": "Waste"}, criteria={})
    services.goal_version_english_update(version=lighting, by=None, fields={"title_en": "Lighting"}, criteria={})
    listed = lambda path: [v.goal.number for v in client.get(path, {"order": "title"}).context["page"].object_list]  # noqa: E731
    assert listed("/goals/") == [1, 2]
    assert listed("/en/goals/") == [2, 1]
