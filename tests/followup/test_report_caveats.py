"""What the report says about its own figures: when the round closed, an early close, a low response rate; and
which challenges count (only a "yes" to "Did you meet challenges?"). The world is described in test_report.py."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse

from followup.models import GoalAnswer, Response, Round
from followup.selectors import reports as report_selectors
from tests.factories import OrganisationFactory

from .conftest import answer, respond

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def closed_at(round_, day):
    Round.objects.filter(pk=round_.pk).update(closed_at=datetime.datetime(2026, *day, 12, tzinfo=datetime.UTC))
    round_.refresh_from_db()
    return round_


def about(round_):
    """The "About the figures" chapter as the PDF prints it (and the web page shows it)."""
    data = report_selectors.report_data(round=round_)
    return data, " ".join(render_to_string("followup/_report_about.html", {"data": data}).split())


def test_a_round_closed_on_time_states_its_closing_date_and_no_caveat(world):
    data, text = about(closed_at(world["round"], (10, 3)))  # deadline 1 October
    assert data.closed_on == datetime.date(2026, 10, 3) and not data.closed_early and not data.low_response
    assert "The round closed on 3 October 2026." in text
    assert "Note:" not in text


def test_a_round_closed_before_its_deadline_says_so(world, secretariat_client):
    # given the round was closed on 20 September, before its deadline of 1 October
    round_ = closed_at(world["round"], (9, 20))
    # then the report says so, in the PDF's chapter and on the web page
    data, text = about(round_)
    assert data.closed_early
    assert "The round closed on 20 September 2026." in text  # the date once, then the note
    assert "Note: the round was closed before its deadline of 1 October 2026" in text
    page = " ".join(
        secretariat_client.get(reverse("followup:report-detail", kwargs={"year": 2026})).content.decode().split()
    )
    assert "before its deadline of 1 October 2026" in page
    # and a PDF rendered before is rendered again: the hash covers the closing
    on_time = report_selectors.report_data_hash(data=about(closed_at(round_, (10, 2)))[0], kind="report", language="en")
    assert report_selectors.report_data_hash(data=data, kind="report", language="en") != on_time


def test_a_response_rate_under_half_is_stated(world):
    # given only one of the four members submitted (25 %)
    round_ = closed_at(world["round"], (10, 3))
    Response.objects.filter(round=round_, organisation=world["orgs"][1]).update(status=Response.Status.DRAFT)
    data, text = about(round_)
    assert data.low_response
    assert "only 25.0 % of the members submitted, fewer than half" in text


def test_exactly_half_is_not_a_low_response_rate(world):
    data, text = about(closed_at(world["round"], (10, 3)))
    assert data.response_rate == 50 and "fewer than half" not in text


def test_an_open_round_says_its_figures_may_change(world):
    Round.objects.filter(pk=world["round"].pk).update(status=Round.Status.OPEN)
    world["round"].refresh_from_db()
    data, text = about(world["round"])
    assert data.closed_on is None and "The round is still open" in text


def test_only_a_yes_to_did_you_meet_challenges_counts_as_a_challenge(world):
    # given on goal 7: B said no (and wrote "Ingen"), a new submitted member said yes, another wrote nothing
    _g5, g7, _g9 = world["goals"]
    b_answer = GoalAnswer.objects.get(response__organisation=world["orgs"][1], goal_version=g7)
    GoalAnswer.objects.filter(pk=b_answer.pk).update(challenges="Ingen", challenges_met=False)
    e = respond(world["round"], OrganisationFactory(name="Eby"), "submitted")
    answer(e, g7, 1, 1, status="meets", challenges="Leverandørerne kendte ikke kravene.")
    f = respond(world["round"], OrganisationFactory(name="Fby"), "submitted")
    unmarked = answer(f, g7, 1, 1, status="meets", challenges="Noget tekst")
    GoalAnswer.objects.filter(pk=unmarked.pk).update(challenges_met=None)
    # when the report is computed
    data = report_selectors.report_data(round=world["round"])
    by_number = {g.number: g for g in data.goals}
    # then goal 5 counts A's yes (C's is a draft), goal 7 only E's yes
    assert by_number[5].challenges == 1
    assert by_number[7].challenges == 1
    # and only the yes answers are offered as quotes
    candidates = report_selectors.quote_candidates(round=world["round"], number=7)
    assert [a.response.organisation.name for a in candidates] == ["Eby"]


def test_the_data_migration_reads_yes_or_no_from_the_old_texts(world):
    # given answers from before the question, with texts that say something and texts that say nothing
    texts = {
        "Få leverandører.": True,
        "ingen": False,
        "Ingen særlige.": False,
        " Nej ": False,
        "None": False,
        "-": False,
        "": False,
    }
    g9 = world["goals"][2]
    made = {}
    for i, text in enumerate(texts):
        response = respond(world["earlier"], OrganisationFactory(name=f"M{i}"), "submitted")
        made[text] = answer(response, g9, 1, 1, status="meets", challenges=text).pk
    GoalAnswer.objects.filter(pk__in=made.values()).update(challenges_met=None)
    # when the migration runs (twice: it only fills what is not yet marked)
    migration = importlib.import_module("followup.migrations.0005_goalanswer_challenges_met_from_text")
    migration.forwards(apps, None)
    migration.forwards(apps, None)
    # then
    got = dict(GoalAnswer.objects.filter(pk__in=made.values()).values_list("pk", "challenges_met"))
    assert {text: got[pk] for text, pk in made.items()} == texts
