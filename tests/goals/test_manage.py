import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from goals import reference, services
from goals.models import ProductArea
from tests.factories import goal_in_force

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


def test_working_group_member_edits_the_groups_draft_but_not_others(client, secretariat_user, rep_a, rep_b):
    # given a revision group with rep_a as member, and the draft it works on

    from workgroups import services as wg_services

    reference.load()
    area = ProductArea.objects.get(slug="rengoering")
    version = goal_in_force(secretariat_user, statement="S.")
    plan = wg_services.work_plan_create(year=2026, by=secretariat_user)
    item = wg_services.work_plan_item_add(
        plan=plan, kind="revision", goal=version.goal, product_area=area, title="Rengøring", by=secretariat_user
    )
    group = wg_services.working_group_create(item=item, facilitator=secretariat_user, by=secretariat_user)
    wg_services.working_group_member_add(group=group, user=rep_a, by=secretariat_user)
    url = reverse("goals:manage-version", kwargs={"pk": group.draft.pk})
    # when the member adds a criterion to the group's draft
    client.force_login(rep_a)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["is_secretariat"] is False
    assert "Withdraw the version" not in client.get("/en" + url).text  # the steps stay with the secretariat
    client.post(
        reverse("goals:manage-criterion-add", kwargs={"pk": group.draft.pk}),
        {"criterion-kind": "requirement", "criterion-text": "Ingen parfume."},
    )
    # then it is in the draft, with the member as its author; the draft can be previewed
    added = group.draft.criteria.get(text="Ingen parfume.")
    assert added.history.first().history_user == rep_a
    preview = reverse("goals:version-detail", kwargs={"number": 5, "slug": version.goal.slug, "version": 2})
    assert client.get(preview).status_code == 200
    assert (
        client.post(
            reverse("goals:manage-action", kwargs={"pk": group.draft.pk, "action": "withdraw"}), {"reason": "Nej."}
        ).status_code
        == 403
    )
    # and a representative outside the group reaches neither the draft nor its preview
    client.force_login(rep_b)
    assert client.get(url).status_code == 404
    assert client.get(preview).status_code == 404
    assert client.post(
        reverse("goals:manage-criterion-add", kwargs={"pk": group.draft.pk}),
        {"criterion-kind": "requirement", "criterion-text": "Indtrængen."},
    ).status_code in (302, 404)
    assert not group.draft.criteria.filter(text="Indtrængen.").exists()


def test_invalid_plan_row_is_shown_again_with_what_was_written(client, secretariat_user, rep_a, org_a):
    # given an implementation plan with one goal in force
    reference.load()
    goal_in_force(secretariat_user, statement="S.")
    row = services.implementation_plan_create(organisation=org_a, by=secretariat_user).rows.get()
    # when the representative saves a row with a date that is not a date
    client.force_login(rep_a)
    url = reverse("goals:plan-row-update", kwargs={"slug": org_a.slug, "pk": row.pk})
    prefix = f"row{row.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-expected_by": "31.13.2027",
            f"{prefix}-status": "in_progress",
            f"{prefix}-note": "Udbud i foråret.",
        },
    )
    # then the page comes back with the note kept and the error shown, and nothing was saved
    assert response.status_code == 200
    assert "Udbud i foråret." in response.text
    bound = next(form for r, form, _ in response.context["rows"] if r.pk == row.pk)
    assert bound.errors["expected_by"]
    row.refresh_from_db()
    assert (row.status, row.note) == ("not_started", "")


def test_the_history_shows_labels_and_dates_not_stored_values(secretariat_client, secretariat_user):
    # given a draft that went to internal hearing, and a version in force whose date was set
    reference.load()
    draft = services.goal_create(
        number=8,
        title="Belysning",
        product_area=ProductArea.objects.get(slug="belysning"),
        statement="Lyset er LED.",
        by=secretariat_user,
    )
    services.criterion_add(version=draft, by=secretariat_user, kind="requirement", text="LED.")
    services.goal_version_hearing_enter(version=draft, kind="internal", by=secretariat_user)
    url = reverse("goals:manage-version", kwargs={"pk": draft.pk})
    # when the secretariat reads the version's history, in Danish and in English
    danish = secretariat_client.get(url).text
    english = secretariat_client.get("/en" + url).text
    # then the status change reads as people say it, never as the stored codes
    assert "Kladde → Intern høring" in danish
    assert "Draft → Internal hearing" in english
    assert "draft → internal_hearing" not in danish + english
    # and dates read as dates in the reader's format
    from core.history import value_text
    from goals.models import GoalVersion

    effective = GoalVersion._meta.get_field("effective_date")
    with translation.override("da"):
        assert value_text(effective, datetime.date(2027, 3, 1)) == "1.3.2027"
    with translation.override("en"):
        assert value_text(effective, datetime.date(2027, 3, 1)) == "01/03/2027"


def test_dates_follow_the_readers_language(client):
    # given a goal in force since 1 January 2024
    reference.load()
    version = goal_in_force()
    # when the public reads its page in Danish and in English
    danish = client.get(version.goal.get_absolute_url()).text
    english = client.get("/en" + version.goal.get_absolute_url()).text
    # then each language writes the date its own way
    assert "1. januar 2024" in danish
    assert "1 January 2024" in english
    assert "1. January 2024" not in english
