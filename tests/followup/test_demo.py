"""The follow-up demo: two closed rounds answered by most members, one open round; loading twice changes nothing."""

import pytest
from django.db.models import Count, Q, Sum

from followup import demo as followup_demo
from followup.models import GoalAnswer, Response, Round
from goals import demo as goal_demo
from members import demo as member_demo
from members.models import Membership, User

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "rounds": sorted(Round.objects.values_list("year", "status", "opens_on", "deadline")),
        "responses": sorted(
            Response.objects.values_list("round__year", "organisation__slug", "status", "total_volume_dkk")
        ),
        "answers": sorted(
            GoalAnswer.objects.values_list(
                "response__round__year",
                "response__organisation__slug",
                "goal_version__goal__number",
                "tenders_with_criteria",
            )
        ),
        "history": Response.history.count() + GoalAnswer.history.count(),
    }


def test_demo_follow_up_shows_overview_questionnaire_and_trend_and_is_idempotent():
    member_demo.load()
    goal_demo.load()
    # when the demo is loaded twice
    followup_demo.load()
    first = snapshot()
    followup_demo.load()
    # then nothing changed the second time
    assert snapshot() == first
    # and there are two closed rounds and this year's open one
    rounds = list(Round.objects.order_by("year"))
    assert [r.status for r in rounds] == ["closed", "closed", "open"]
    assert all(r.goal_versions.exists() for r in rounds)
    # most members answered the past rounds
    active = Membership.objects.filter(status="active").count()
    for past in rounds[:2]:
        assert past.responses.filter(status="submitted").count() >= active * 0.6
    # the open round has every kind of status for the overview
    statuses = set(rounds[2].responses.values_list("status", flat=True))
    assert {"submitted", "draft", "not_started"} <= statuses
    # the share of tenders with the criteria rises over the years
    shares = []
    for r in rounds[:2]:
        totals = GoalAnswer.objects.filter(response__round=r).aggregate(
            done=Sum("tenders_completed"), used=Sum("tenders_with_criteria")
        )
        shares.append(totals["used"] / totals["done"])
    assert shares[0] < shares[1]
    # the demo representative of Copenhagen finds this year's response
    kk = User.objects.get(email="indkoeb@kk.example").representative.organisation
    assert Response.objects.get(round=rounds[2], organisation=kk).status == "draft"
    roskilde = User.objects.get(email="indkoeb@roskilde.example").representative.organisation
    assert Response.objects.get(round=rounds[2], organisation=roskilde).status == "not_started"
    assert not GoalAnswer.objects.filter(Q(tenders_with_criteria__gt=0) & Q(tenders_completed=0)).exists()
    assert Response.objects.values("round").annotate(n=Count("id")).count() == 3


def test_a_new_user_finds_the_overview_the_questionnaire_and_last_years_answers(client):
    from django.urls import reverse

    member_demo.load()
    goal_demo.load()
    followup_demo.load()
    open_round = Round.objects.get(status="open")
    # the Copenhagen representative opens this year's response and sees last year's answers as hints
    jonas = User.objects.get(email="indkoeb@kk.example")
    client.force_login(jonas)
    response = Response.objects.get(round=open_round, organisation=jonas.representative.organisation)
    assert client.get(reverse("followup:response-detail", kwargs={"pk": response.pk})).status_code == 200
    number = open_round.goal_versions.order_by("goal__number").last().goal.number
    page = client.get(reverse("followup:response-goal", kwargs={"pk": response.pk, "number": number})).content.decode()
    assert "Sidste år:" in page
    assert client.get(reverse("followup:home")).content.decode().count("/followup/responses/") == 3
    # the secretariat sees every year's overview and exports it
    # (the demo secretariat account has two-factor authentication already)
    client.force_login(User.objects.get(email="sekretariat@pogi.example"))
    for r in Round.objects.all():
        assert client.get(reverse("followup:round-detail", kwargs={"year": r.year})).status_code == 200
        assert client.get(reverse("followup:round-export", kwargs={"year": r.year, "kind": "xlsx"})).status_code == 200


def test_demo_publishes_the_report_of_the_last_closed_round_once(private_media):
    from followup.models import Report

    member_demo.load()
    goal_demo.load()
    followup_demo.load()
    # when the report step runs twice
    assert followup_demo.report_publish_last_closed() == 2
    assert followup_demo.report_publish_last_closed() == 0
    # then the last closed round's report is published in Danish and English, with quotes
    last_closed = Round.objects.filter(status="closed").order_by("-year").first()
    published = Report.objects.filter(published_at__isnull=False)
    assert sorted(published.values_list("round__year", "language")) == [
        (last_closed.year, "da"),
        (last_closed.year, "en"),
    ]
    assert all(r.published_size and r.published_file.storage.exists(r.published_file.name) for r in published)
    assert last_closed.quotes.exists()
