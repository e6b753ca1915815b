import pytest
from django.urls import reverse

from goals import reference, services
from goals.models import ProductArea

pytestmark = pytest.mark.django_db


def test_secretariat_sees_who_changed_a_draft_and_what(secretariat_client, secretariat_user):
    # given a draft whose criterion the secretariat has changed
    reference.load()
    version = services.goal_create(
        number=3,
        title="Byggeri",
        product_area=ProductArea.objects.get(slug="byggeri"),
        statement="Lavenergi.",
        by=secretariat_user,
    )
    criterion = services.criterion_add(version=version, by=secretariat_user, kind="requirement", text="Energiklasse A")
    services.criterion_update(criterion=criterion, by=secretariat_user, text="Energiklasse A2020")
    # when the secretariat opens the draft
    response = secretariat_client.get(reverse("goals:manage-version", kwargs={"pk": version.pk}))
    # then the history shows the change, who made it, and the criterion
    trail = response.context["audit_trail"]
    change = next(e for e in trail if e["type"] == "~" and e["label"] == "3.a")
    assert change["who"] == secretariat_user
    assert ("tekst til udbudsmaterialet", "Energiklasse A", "Energiklasse A2020") in [
        (field.lower(), old, new) for field, old, new in change["changes"]
    ]
    assert "Energiklasse A2020" in response.text
