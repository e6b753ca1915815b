"""The questionnaire asks "Did you meet challenges?" before the free text; the text is needed only after a yes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from followup import services
from followup.models import GoalAnswer

from .conftest import GOAL, ORGANISATION

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def answer_all(response, user, goals, **goal):
    services.response_organisation_save(response=response, by=user, expected_version=0, data=ORGANISATION)
    for version in goals:
        services.response_goal_save(
            response=response, goal_version=version, by=user, expected_version=0, data={**GOAL, **goal}
        )
    response.refresh_from_db()
    return response


def test_the_question_comes_before_the_free_text(client, response_a, rep_a, goals):
    client.force_login(rep_a)
    page = client.get(reverse("followup:response-goal", kwargs={"pk": response_a.pk, "number": 5})).content.decode()
    assert "Did you meet challenges?" in page
    assert page.index('name="challenges_met"') < page.index('name="challenges"')


def test_a_yes_without_a_description_cannot_be_submitted(response_a, rep_a, goals):
    response = answer_all(response_a, rep_a, goals, challenges_met=True, challenges="")
    with pytest.raises(ValidationError) as caught:
        services.response_submit(response=response, by=rep_a)
    assert "Goal 5 Rengøring: describe the challenges you met." in caught.value.messages


@pytest.mark.parametrize("met", [False, None])
def test_a_no_or_no_answer_needs_no_description(response_a, rep_a, goals, met):
    response = answer_all(response_a, rep_a, goals, challenges_met=met, challenges="")
    assert services.response_submit(response=response, by=rep_a).status == "submitted"


def test_the_form_saves_the_answer(client, response_a, rep_a, goals):
    client.force_login(rep_a)
    data = {
        "version": 0,
        "tenders_completed": "2",
        "tenders_with_criteria": "1",
        "volume_dkk": "10.000",
        "status": "partly",
        "reason": "Ny kontrakt",
        "challenges_met": "no",
        "challenges": "",
        "comment": "",
    }
    client.post(reverse("followup:response-goal", kwargs={"pk": response_a.pk, "number": 5}), data)
    assert GoalAnswer.objects.get(response=response_a, goal_version=goals[0]).challenges_met is False


def test_answering_no_drops_a_text_typed_before(response_a, rep_a, goals):
    response = answer_all(response_a, rep_a, goals, challenges_met=False, challenges="Få leverandører.")
    assert set(GoalAnswer.objects.filter(response=response).values_list("challenges", flat=True)) == {""}
