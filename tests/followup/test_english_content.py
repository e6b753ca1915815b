"""The follow-up in English: the report's English edition, the questionnaire and the round form.

The content is adopted in Danish with an English version beside it. An English
reader gets the English text where it is entered and the Danish text otherwise,
marked ``lang="da"`` (WCAG 2.1 3.1.2); the Danish pages are unchanged.
"""

import base64
import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from followup import pdf
from followup.models import Round
from followup.selectors import reports as report_selectors
from goals.models import GoalVersion

pytestmark = pytest.mark.django_db


def report_html(monkeypatch, round_, language: str) -> str:
    """The HTML WeasyPrint lays out as the report's PDF, rendered in a language (as the worker does)."""
    rendered = {}

    def capture(template_name, context):
        rendered["html"] = render_to_string(template_name, {**context, "for_pdf": True})
        return b""

    monkeypatch.setattr(pdf, "template_to_pdf", capture)
    with translation.override(language):
        data = report_selectors.report_data(round=round_)
        pdf.report_pdf_render(round=round_, data=data)
    return rendered["html"]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def english_titles(world):
    """Goal 5 has an English title; goals 7 and 9 have none."""
    g5, _g7, _g9 = world["goals"]
    GoalVersion.objects.filter(pk=g5.pk).update(title_en="Cleaning")
    return world


class TestTheEnglishReport:
    def test_english_titles_where_entered_and_danish_marked_where_not(self, english_titles, monkeypatch):
        html = report_html(monkeypatch, english_titles["round"], "en")
        assert '<html lang="en">' in html
        # goal 5 in English, unmarked: in the contents, the tables and its chapter
        assert "Goal 5: Cleaning" in html
        assert "5. Cleaning" in html
        assert "Rengøring" not in html
        # goal 7 has no English title: the Danish one, marked as Danish, everywhere it is named
        assert 'Goal 7: <span lang="da">IT-udstyr</span>' in html
        assert '7. <span lang="da">IT-udstyr</span>' in html
        assert "IT-udstyr" not in re.sub(r'<span lang="da">IT-udstyr</span>', "", html)
        # English captions and dates
        assert "Share of tenders with the POGI criteria per goal, 2026" in html
        assert re.search(r"<dt>Published</dt><dd>\d{1,2} [A-Z][a-z]+ \d{4}</dd>", html)

    def test_the_chart_labels_are_the_english_short_titles(self, english_titles):
        with translation.override("en"):
            data = report_selectors.report_data(round=english_titles["round"])
            context = pdf.report_context(round=english_titles["round"], data=data)
        svg = base64.b64decode(context["shares_chart"].split(",", 1)[1]).decode()
        assert "5 Cleaning" in svg
        assert "7 IT-udstyr" in svg  # no English title: the Danish one
        assert "Rengøring" not in svg

    def test_the_danish_report_is_unchanged(self, english_titles, monkeypatch):
        html = report_html(monkeypatch, english_titles["round"], "da")
        assert '<html lang="da">' in html
        assert "Indkøbsmål 5: Rengøring" in text_of(html)
        assert "Cleaning" not in html
        assert 'lang="da"' not in html.replace('<html lang="da">', "")

    def test_the_web_report_page_in_english(self, english_titles, secretariat_client):
        url = reverse("followup:report-detail", kwargs={"year": 2026})
        page = secretariat_client.get("/en" + url).content.decode()
        assert "5. Cleaning" in page
        assert '7. <span lang="da">IT-udstyr</span>' in page
        # the figures are cached per language: the Danish page still shows the Danish titles
        danish = secretariat_client.get(url).content.decode()
        assert "5. Rengøring" in danish and "Cleaning" not in danish

    def test_the_report_data_hash_changes_with_the_english_title(self, world):
        round_ = world["round"]
        before = report_selectors.report_data_hash(
            data=report_selectors.report_data(round=round_), kind="report", language="en"
        )
        GoalVersion.objects.filter(pk=world["goals"][0].pk).update(title_en="Cleaning")
        after = report_selectors.report_data_hash(
            data=report_selectors.report_data(round=round_), kind="report", language="en"
        )
        assert before != after


class TestTheQuestionnaireInEnglish:
    def test_the_english_introduction_and_goal_title(self, client, response_a, rep_a, goals):
        Round.objects.filter(pk=response_a.round_id).update(intro_en="Answer by 1 April.")
        GoalVersion.objects.filter(pk=goals[0].pk).update(title_en="Cleaning", statement_en="Buy green cleaning.")
        client.force_login(rep_a)
        detail_url = reverse("followup:response-detail", kwargs={"pk": response_a.pk})
        goal_url = {n: reverse("followup:response-goal", kwargs={"pk": response_a.pk, "number": n}) for n in (5, 7)}
        check_url = reverse("followup:response-check", kwargs={"pk": response_a.pk})
        page = client.get("/en" + detail_url).content.decode()
        assert '<div class="mb-6"><p>Answer by 1 April.</p></div>' in page
        assert "Svar senest" not in page
        assert "Goal 5: Cleaning" in page
        assert 'Goal 7: <span lang="da">IT-udstyr</span>' in page
        page = client.get("/en" + goal_url[5]).content.decode()
        assert "<h1>Goal 5: Cleaning</h1>" in page
        assert '<p class="font-lead">Buy green cleaning.</p>' in page
        assert "<title>Goal 5: Cleaning" in page
        page = client.get("/en" + goal_url[7]).content.decode()
        assert '<h1>Goal 7: <span lang="da">IT-udstyr</span></h1>' in page
        assert '<p class="font-lead" lang="da">' in page
        check = client.get("/en" + check_url).content.decode()
        assert "<h2>Goal 5: Cleaning</h2>" in check
        assert '<h2>Goal 7: <span lang="da">IT-udstyr</span></h2>' in check

    def test_the_danish_introduction_is_marked_when_there_is_no_english(self, client, response_a, rep_a):
        client.force_login(rep_a)
        page = client.get("/en" + reverse("followup:response-detail", kwargs={"pk": response_a.pk})).content.decode()
        assert '<div class="mb-6" lang="da"><p>Svar senest 1. april.</p></div>' in page

    def test_the_danish_page_is_unchanged(self, client, response_a, rep_a, goals):
        Round.objects.filter(pk=response_a.round_id).update(intro_en="Answer by 1 April.")
        GoalVersion.objects.filter(pk=goals[0].pk).update(title_en="Cleaning")
        client.force_login(rep_a)
        page = client.get(reverse("followup:response-detail", kwargs={"pk": response_a.pk})).content.decode()
        assert '<div class="mb-6"><p>Svar senest 1. april.</p></div>' in page
        assert "Indkøbsmål 5: Rengøring" in page
        assert "Cleaning" not in page and "Answer by" not in page
        assert 'lang="da">' not in page.split("<main", 1)[1].replace('hreflang="da"', "")


class TestTheRoundForm:
    def test_the_form_has_the_english_introduction_after_the_danish(self, secretariat_client):
        url = reverse("followup:round-create")  # before a request in English leaves English active
        page = secretariat_client.get("/en" + url).content.decode()
        assert page.index('name="intro"') < page.index('name="intro_en"') < page.index('name="reminder_days_before"')
        assert "Introduction (English)" in page
        danish = secretariat_client.get(url).content.decode()
        assert "Introduktion (engelsk)" in danish

    def test_creating_and_editing_a_round_saves_the_english_introduction(self, secretariat_client, goals):
        form = {
            "year": "2027",
            "opens_on": "2027-02-01",
            "deadline": "2027-04-01",
            "intro": "Velkommen",
            "intro_en": " Welcome ",
            "reminder_days_before": "14,3",
            "reminder_days_after": "7",
            "goal_versions": [goals[0].pk],
        }
        secretariat_client.post(reverse("followup:round-create"), form)
        round_ = Round.objects.get(year=2027)
        assert (round_.intro, round_.intro_en) == ("Velkommen", "Welcome")
        reply = secretariat_client.post(
            reverse("followup:round-edit", kwargs={"year": 2027}), {**form, "intro_en": "Welcome to 2027"}
        )
        assert reply.status_code == 302
        round_.refresh_from_db()
        assert round_.intro_en == "Welcome to 2027"
        assert round_.opens_on == datetime.date(2027, 2, 1)
