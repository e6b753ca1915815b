"""The purchasing goals as the public, the secretariat and the members use them, through the views."""

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from goals import services
from goals.models import Criterion, Ecolabel, GoalVersion, ImplementationPlanRow, ProductArea, SdgTarget
from tests.conftest import service_missing
from tests.factories import (
    A_MONTH_BEFORE,
    FLOWER,
    FSC,
    SWAN,
    add_criteria,
    ecolabels,
    goal_in_force,
    revision_in_force,
)

pytestmark = pytest.mark.django_db

S = GoalVersion.Status
REQ = Criterion.Kind.REQUIREMENT
REC = Criterion.Kind.RECOMMENDATION
AWARD = Criterion.Kind.AWARD
CLAUSE = Criterion.Kind.CLAUSE


# --- helpers (goals are built with tests.factories.goal_in_force) ---------------------------------


def en(url: str) -> str:
    """The English page of a Danish URL (strings there are the source texts)."""
    assert not url.startswith("/en/")
    return "/en" + url


def goal_url(goal, name="goals:goal-detail", **kwargs):
    """A goal's Danish URL (a request to /en/… leaves English active, so reverse() alone may not give it)."""
    with translation.override("da"):
        return reverse(name, kwargs={"number": goal.number, "slug": goal.slug, **kwargs})


def listed(response) -> list[tuple[int, int]]:
    """(goal number, version number) of the catalogue results shown."""
    return [(v.goal.number, v.number) for v in response.context["page"].object_list]


def numbers(response) -> list[int]:
    return [goal for goal, _ in listed(response)]


def messages_of(response) -> list[str]:
    """The levels of the messages a page showed, or a redirect left for the next page."""
    if response.status_code in (301, 302):
        return [m.level_tag for m in response.wsgi_request._messages._queued_messages]
    return [m.level_tag for m in response.context["messages"]]


def form_data(form, **values) -> dict:
    """POST data for a form as the page renders it (with its prefix)."""
    return {form.add_prefix(name): value for name, value in values.items()}


# --- the public catalogue -----------------------------------------------------------------------


@pytest.fixture
def catalogue_goals(refdata):
    """Four goals in force that differ in area, ecolabels, SDG targets, criterion kinds and year."""
    cleaning = goal_in_force(
        number=1,
        title="Rengøringsmidler",
        criteria=[
            {"text": "Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten.", "labels": [SWAN, FLOWER]}
        ],
        sdg=["12.7"],
        effective=date(2023, 3, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    textiles = goal_in_force(
        number=2,
        title="Tekstiler",
        criteria=[
            "Tekstilerne må ikke være behandlet med PFAS.",
            {"text": "Der gives point for tekstiler med genanvendte fibre.", "kind": AWARD},
        ],
        area="tekstiler",
        labels=[FLOWER],
        sdg=["12.5"],
        effective=date(2024, 6, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    paper = goal_in_force(
        number=3,
        title="Papir",
        criteria=[{"text": "Papiret skal være FSC- eller PEFC-certificeret.", "labels": [FSC]}],
        area="papir-tryksager",
        effective=date(2024, 1, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    lighting = goal_in_force(
        number=4,
        title="Belysning",
        criteria=[{"text": "Leverandøren skal tage udtjente lyskilder retur.", "kind": CLAUSE}],
        area="belysning",
        effective=date(2022, 9, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    return {"cleaning": cleaning, "textiles": textiles, "paper": paper, "lighting": lighting}


class TestCatalogue:
    def test_lists_only_versions_in_force(self, client, refdata):
        # given a goal revised once, a goal still in its first draft and a goal that was withdrawn
        revised = goal_in_force(
            number=1,
            title="Rengøring",
            criteria=["Rengøringsmidlet skal være uden parfume."],
            adopted_on=A_MONTH_BEFORE,
        )
        revision_in_force(revised, title="Rengøring og hygiejne", adopted_on=A_MONTH_BEFORE)
        services.goal_create(
            number=2,
            title="Madordninger i daginstitutioner",
            product_area=ProductArea.objects.get(slug="foedevarer"),
            statement="Mere økologi.",
            by=None,
        )
        withdrawn = goal_in_force(
            number=3,
            title="Gadebelysning",
            criteria=["Lyskilder skal være LED."],
            area="belysning",
            adopted_on=A_MONTH_BEFORE,
        )
        services.goal_version_withdraw(version=withdrawn, by=None, reason="Trukket tilbage.")
        # when anyone opens the catalogue
        response = client.get(reverse("goals:catalogue"))
        # then only the revised goal's version in force is listed
        assert response.status_code == 200
        assert listed(response) == [(1, 2)]
        assert "Rengøring og hygiejne" in response.text
        assert "Madordninger i daginstitutioner" not in response.text
        assert "Gadebelysning" not in response.text

    def test_search_finds_a_word_in_a_criterion(self, client, catalogue_goals):
        # "Svanemærket" is only in the text of goal 1's criterion
        response = client.get(reverse("goals:catalogue"), {"q": "svanemærket"})
        assert response.status_code == 200
        assert numbers(response) == [1]

    def test_search_on_title_and_nothing_found(self, client, catalogue_goals):
        assert numbers(client.get(reverse("goals:catalogue"), {"q": "papir"})) == [3]
        response = client.get(reverse("goals:catalogue"), {"q": "helikopter"})
        assert response.status_code == 200
        assert numbers(response) == []

    def test_postgres_websearch_excludes_a_word(self, client, refdata, require_postgres):
        goal_in_force(
            number=1,
            title="Rengøringsmidler",
            criteria=["Rengøringsmidlet skal være mærket med Svanemærket."],
            adopted_on=A_MONTH_BEFORE,
        )
        goal_in_force(
            number=2,
            title="Arbejdstøj",
            criteria=["Tekstiler skal være mærket med Svanemærket."],
            area="tekstiler",
            adopted_on=A_MONTH_BEFORE,
        )
        goal_in_force(
            number=3,
            title="Papir",
            criteria=["Papiret skal være FSC-certificeret."],
            area="papir-tryksager",
            adopted_on=A_MONTH_BEFORE,
        )
        url = reverse("goals:catalogue")
        assert numbers(client.get(url, {"q": "svanemærket"})) == [1, 2]
        assert numbers(client.get(url, {"q": "svanemærket -tekstiler"})) == [1]
        assert numbers(client.get(url, {"q": '"mærket med svanemærket" or fsc'})) == [1, 2, 3]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"area": "tekstiler"}, [2]),
            ({"area": "rengoering"}, [1]),
            ({"ecolabel": SWAN}, [1]),
            ({"ecolabel": FLOWER}, [1, 2]),  # on a criterion of goal 1, on the version of goal 2
            ({"ecolabel": FSC}, [3]),
            ({"ecolabel": "tco-certified"}, []),
            ({"sdg": "12.7"}, [1]),
            ({"sdg": "12.5"}, [2]),
            ({"kind": "award"}, [2]),
            ({"kind": "clause"}, [4]),
            ({"kind": "requirement"}, [1, 2, 3]),
            ({"year": "2024"}, [2, 3]),
            ({"year": "2022"}, [4]),
            ({"area": "tekstiler", "kind": "award", "year": "2024", "ecolabel": FLOWER, "sdg": "12.5"}, [2]),
            ({"area": "tekstiler", "kind": "clause"}, []),
        ],
    )
    def test_filters(self, client, catalogue_goals, params, expected):
        response = client.get(reverse("goals:catalogue"), params)
        assert response.status_code == 200
        assert numbers(response) == expected

    def test_order_by_date_and_title(self, client, catalogue_goals):
        url = reverse("goals:catalogue")
        assert numbers(client.get(url)) == [1, 2, 3, 4]
        assert numbers(client.get(url, {"order": "-date"})) == [2, 3, 1, 4]
        assert numbers(client.get(url, {"order": "date"})) == [4, 1, 3, 2]
        assert numbers(client.get(url, {"order": "title"})) == [4, 3, 1, 2]

    def test_pages_of_25_keep_the_filters(self, client, refdata):
        for number in range(1, 28):
            goal_in_force(
                number=number,
                title=f"Rengøring {number}",
                criteria=["Rengøringsmidlet skal være uden parfume."],
                adopted_on=A_MONTH_BEFORE,
            )
        goal_in_force(
            number=28,
            title="Tekstiler",
            criteria=["Tekstilerne må ikke indeholde PFAS."],
            area="tekstiler",
            adopted_on=A_MONTH_BEFORE,
        )
        url = reverse("goals:catalogue")

        first = client.get(url, {"area": "rengoering"})
        assert first.context["page"].paginator.count == 27
        assert numbers(first) == list(range(1, 26))
        assert 'href="?area=rengoering&amp;page=2"' in first.text

        second = client.get(url, {"area": "rengoering", "page": "2"})
        assert numbers(second) == [26, 27]
        assert 'href="?area=rengoering&amp;page=1"' in second.text

    def test_bad_query_values_are_not_an_error(self, client, catalogue_goals):
        response = client.get(
            reverse("goals:catalogue"),
            {"area": "nope", "year": "abc", "page": "x", "kind": "castle", "sdg": "99.9", "order": "nope"},
        )
        assert response.status_code == 200
        assert numbers(response) == [1, 2, 3, 4]
        assert client.get(reverse("goals:catalogue"), {"page": "999"}).status_code == 200

    def test_htmx_gets_the_results_only(self, client, catalogue_goals):
        response = client.get(reverse("goals:catalogue"), {"area": "tekstiler"}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "<html" not in response.text
        assert "<form" not in response.text
        assert "Tekstiler" in response.text
        assert "Papir" not in response.text
        assert numbers(response) == [2]

    def test_without_htmx_the_whole_page(self, client, catalogue_goals):
        response = client.get(reverse("goals:catalogue"), {"area": "tekstiler"})
        assert "<html" in response.text
        assert 'id="goal-results"' in response.text


# --- a goal's page, its versions and what changed ------------------------------------------------


@pytest.fixture
def revised_goal(refdata):
    """Goal 5: version 1 superseded by version 2 (one criterion changed, one removed, one added, one kept)."""
    v1 = goal_in_force(
        number=5,
        title="Rengøring",
        criteria=[
            {"text": "Rengøringsmidlet skal være mærket med Svanemærket.", "labels": [SWAN]},
            "Emballagen skal være fri for PVC.",
            {"text": "Ordregiver bør bruge doseringsanlæg.", "kind": REC},
        ],
        labels=[SWAN],
        sdg=["12.7"],
        effective=date(2020, 1, 1),
        adopted_on=A_MONTH_BEFORE,
    )

    def change(draft):
        first, packaging, _dosing = draft.criteria.order_by("position")
        services.criterion_update(
            criterion=first,
            by=None,
            text="Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten.",
            ecolabels=ecolabels([SWAN, FLOWER]),
        )
        services.criterion_delete(criterion=packaging, by=None)
        add_criteria(draft, [{"text": "Leverandøren skal tilbyde undervisning i korrekt dosering.", "kind": CLAUSE}])

    v2 = revision_in_force(
        v1,
        effective=date(2024, 1, 1),
        change=change,
        title="Rengøring og rengøringsmidler",
        sdg_targets=list(SdgTarget.objects.filter(code__in=["12.4", "12.7"])),
        adopted_on=A_MONTH_BEFORE,
    )
    return v1, v2


class TestGoalPage:
    def test_shows_the_version_in_force_with_criteria_by_kind(self, client, revised_goal):
        v1, v2 = revised_goal
        response = client.get(en(goal_url(v2.goal)))
        assert response.status_code == 200
        assert response.context["version"] == v2
        groups = [[(c.number, c.kind) for c in items] for _, items in response.context["groups"]]
        assert groups == [[("5.a", REQ)], [("5.c", REC)], [("5.d", CLAUSE)]]
        text = response.text
        assert "Rengøring og rengøringsmidler" in text
        assert "Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten." in text
        assert "Leverandøren skal tilbyde undervisning i korrekt dosering." in text
        assert "Emballagen skal være fri for PVC." not in text  # removed in version 2
        # ecolabels (on the version and its criteria) and SDG targets
        assert "Nordic Swan Ecolabel" in text
        assert "EU Ecolabel" in text
        assert "target 12.4" in text and "target 12.7" in text
        # the version history links to both versions, the comparison to the one before
        assert [v.number for v in response.context["history"]] == [2, 1]
        assert f'href="{en(goal_url(v2.goal, "goals:version-detail", version=1))}"' in text
        assert f'href="{en(goal_url(v2.goal, "goals:version-detail", version=2))}"' in text
        assert response.context["previous"] == v1
        assert "from_version=1&amp;to_version=2" in text

    def test_danish_page_shows_the_danish_label_names(self, client, revised_goal):
        _, v2 = revised_goal
        text = client.get(goal_url(v2.goal)).text
        assert Ecolabel.objects.get(slug=SWAN).name_da in text
        assert Ecolabel.objects.get(slug=FLOWER).name_da in text

    def test_superseded_version_is_public_with_a_notice(self, client, revised_goal):
        v1, _ = revised_goal
        response = client.get(en(goal_url(v1.goal, "goals:version-detail", version=1)))
        assert response.status_code == 200
        assert response.context["version"] == v1
        assert "Emballagen skal være fri for PVC." in response.text
        assert "You are reading version 1, which is superseded." in response.text
        assert f'href="{en(goal_url(v1.goal))}"' in response.text  # to the version in force

    @pytest.mark.parametrize(
        ("name", "kwargs"),
        [("goals:goal-detail", {}), ("goals:version-detail", {"version": 1}), ("goals:compare", {})],
    )
    def test_wrong_slug_redirects_to_the_canonical_url(self, client, revised_goal, name, kwargs):
        goal = revised_goal[1].goal
        wrong = reverse(name, kwargs={"number": goal.number, "slug": "gammelt-navn", **kwargs})
        response = client.get(wrong)
        assert response.status_code == 302
        assert response["Location"] == goal_url(goal, name, **kwargs)

    def test_unknown_goal_and_version_are_404(self, client, revised_goal):
        goal = revised_goal[1].goal
        assert client.get(reverse("goals:goal-detail", kwargs={"number": 99, "slug": "x"})).status_code == 404
        assert client.get(goal_url(goal, "goals:version-detail", version=9)).status_code == 404

    def test_draft_is_for_the_secretariat_only(self, secretariat_client, rep_a, revised_goal):
        goal = revised_goal[1].goal
        draft = services.goal_version_draft_start(goal=goal, by=None)
        services.goal_version_update(version=draft, by=None, title="Hemmeligt udkast")
        url = goal_url(goal, "goals:version-detail", version=draft.number)
        anonymous, representative = Client(), Client()
        representative.force_login(rep_a)
        assert anonymous.get(url).status_code == 404
        assert representative.get(url).status_code == 404
        # and the public goal page neither shows nor links it
        public = anonymous.get(goal_url(goal))
        assert "Hemmeligt udkast" not in public.text
        assert [v.number for v in public.context["history"]] == [2, 1]

        response = secretariat_client.get(url)
        assert response.status_code == 200
        assert response.context["version"] == draft
        assert "Hemmeligt udkast" in response.text

    def test_withdrawn_goal_shows_its_last_version_with_a_notice(self, client, refdata):
        version = goal_in_force(
            number=7,
            title="Transport",
            criteria=["Køretøjerne skal være elektriske."],
            area="transport",
            adopted_on=A_MONTH_BEFORE,
        )
        services.goal_version_withdraw(version=version, by=None, reason="Trukket tilbage.")
        response = client.get(en(goal_url(version.goal)))
        assert response.status_code == 200
        assert response.context["version"] == version
        assert response.context["version"].status == S.WITHDRAWN
        assert "Køretøjerne skal være elektriske." in response.text
        assert "You are reading version 1, which is withdrawn." in response.text
        assert numbers(client.get(reverse("goals:catalogue"))) == []

    def test_goal_that_was_never_published_is_404(self, client, refdata):
        draft = services.goal_create(
            number=8,
            title="Byggeri",
            product_area=ProductArea.objects.get(slug="byggeri"),
            statement="Lavenergibyggeri.",
            by=None,
        )
        assert client.get(goal_url(draft.goal)).status_code == 404
        assert client.get(goal_url(draft.goal, "goals:version-detail", version=1)).status_code == 404
        assert client.get(goal_url(draft.goal, "goals:version-print", version=1)).status_code == 404
        assert client.get(goal_url(draft.goal, "goals:version-pdf", version=1)).status_code == 404
        # nor the comparison page, nor a redirect to the right slug: both would disclose the coming goal
        assert client.get(goal_url(draft.goal, "goals:compare")).status_code == 404
        for name, kwargs in [
            ("goals:goal-detail", {}),
            ("goals:version-detail", {"version": 1}),
            ("goals:compare", {}),
        ]:
            response = client.get(reverse(name, kwargs={"number": 8, "slug": "x", **kwargs}))
            assert response.status_code == 404, response.get("Location")

    def test_abandoned_draft_stays_private(self, client, revised_goal):
        # a revision that is withdrawn before it was ever adopted was never public …
        goal = revised_goal[1].goal
        draft = services.goal_version_draft_start(goal=goal, by=None)
        services.goal_version_update(version=draft, by=None, title="Forkastet udkast")
        services.goal_version_withdraw(version=draft, by=None, reason="Trukket tilbage.")
        # … so it stays out of the public pages
        assert client.get(goal_url(goal, "goals:version-detail", version=draft.number)).status_code == 404
        page = client.get(goal_url(goal))
        assert page.context["version"] == revised_goal[1]
        assert [v.number for v in page.context["history"]] == [2, 1]
        assert "Forkastet udkast" not in page.text


class TestCompare:
    def test_default_compares_the_previous_version_with_the_one_in_force(self, client, revised_goal):
        v1, v2 = revised_goal
        response = client.get(goal_url(v2.goal, "goals:compare"))
        assert response.status_code == 200
        assert (response.context["old"], response.context["new"]) == (v1, v2)
        assert response.context["result"]["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}

    def test_shows_added_removed_and_changed_criteria_word_by_word(self, client, revised_goal):
        goal = revised_goal[1].goal
        response = client.get(goal_url(goal, "goals:compare"), {"from_version": "1", "to_version": "2"})
        assert response.status_code == 200
        result = response.context["result"]
        assert result["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
        assert [(row.number, row.status) for row in result["criteria"]] == [
            ("5.a", "changed"),
            ("5.b", "removed"),
            ("5.c", "unchanged"),
            ("5.d", "added"),
        ]
        inserted = " ".join(re.findall(r"<ins>(.*?)</ins>", response.text, re.S))
        deleted = " ".join(re.findall(r"<del>(.*?)</del>", response.text, re.S))
        assert "eller EU-Blomsten." in inserted  # the words added to 5.a
        assert "Leverandøren skal tilbyde undervisning i korrekt dosering." in inserted  # 5.d added
        assert "Emballagen skal være fri for PVC." in deleted  # 5.b removed
        assert "Svanemærket." in deleted  # 5.a's old ending
        assert "og rengøringsmidler" in inserted  # the words added to the title
        assert "Ordregiver bør bruge doseringsanlæg." not in inserted + deleted  # unchanged

    def test_compares_the_other_way(self, client, revised_goal):
        goal = revised_goal[1].goal
        response = client.get(goal_url(goal, "goals:compare"), {"from_version": "2", "to_version": "1"})
        assert response.context["result"]["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
        assert [(r.number, r.status) for r in response.context["result"]["criteria"]][1] == ("5.b", "added")

    @pytest.mark.parametrize(
        "params",
        [
            {"from_version": "9", "to_version": "2"},
            {"from_version": "abc", "to_version": "x"},
            {"from_version": "1"},
            {"to_version": "-1"},
            {"other": "1"},
        ],
    )
    def test_invalid_versions_fall_back_to_the_defaults(self, client, revised_goal, params):
        v1, v2 = revised_goal
        response = client.get(goal_url(v2.goal, "goals:compare"), params)
        assert response.status_code == 200
        assert (response.context["old"], response.context["new"]) == (v1, v2)

    def test_a_draft_is_not_offered_to_the_public(self, client, revised_goal):
        v1, v2 = revised_goal
        draft = services.goal_version_draft_start(goal=v2.goal, by=None)
        response = client.get(goal_url(v2.goal, "goals:compare"), {"from_version": "2", "to_version": draft.number})
        assert response.status_code == 200
        assert (response.context["old"], response.context["new"]) == (v1, v2)

    def test_goal_with_one_version(self, client, refdata):
        version = goal_in_force(
            number=6,
            title="Tekstiler",
            criteria=["Tekstilerne må ikke indeholde PFAS."],
            area="tekstiler",
            adopted_on=A_MONTH_BEFORE,
        )
        response = client.get(goal_url(version.goal, "goals:compare"))
        assert response.status_code == 200
        assert response.context["result"] is None


class TestPrintAndPdf:
    def test_print_page(self, client, revised_goal):
        _, v2 = revised_goal
        response = client.get(goal_url(v2.goal, "goals:version-print", version=2))
        assert response.status_code == 200
        assert "Leverandøren skal tilbyde undervisning i korrekt dosering." in response.text
        assert "Emballagen skal være fri for PVC." not in response.text

    def test_print_of_a_draft_is_404_for_the_public(self, client, revised_goal):
        goal = revised_goal[1].goal
        draft = services.goal_version_draft_start(goal=goal, by=None)
        assert client.get(goal_url(goal, "goals:version-print", version=draft.number)).status_code == 404
        assert client.get(goal_url(goal, "goals:version-pdf", version=draft.number)).status_code == 404

    def test_pdf_is_an_attachment_with_the_criteria(self, client, revised_goal, tmp_path):
        _, v2 = revised_goal
        response = client.get(goal_url(v2.goal, "goals:version-pdf", version=2))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert f"-{v2.goal.number}-{v2.goal.slug}-v2.pdf" in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF-")

        if shutil.which("pdftotext") is None:
            service_missing("pdftotext (poppler-utils) is not installed")
        path = tmp_path / "goal.pdf"
        path.write_bytes(response.content)
        extracted = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        words = " ".join(extracted.split())
        assert "Rengøring og rengøringsmidler" in words
        assert "Leverandøren skal tilbyde undervisning i korrekt dosering." in words
        assert "Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten." in words


# --- the secretariat edits goals through the views ---------------------------------------------


def criteria_of(version) -> list[tuple[str, str]]:
    return list(version.criteria.order_by("position", "number").values_list("number", "text"))


def manage_url(version) -> str:
    return reverse("goals:manage-version", kwargs={"pk": version.pk})


def add_form(client, version):
    """The form for a new criterion on the draft's editing page."""
    return client.get(manage_url(version)).context["criterion_form"]


def edit_form(client, criterion):
    return client.get(reverse("goals:manage-criterion-edit", kwargs={"pk": criterion.pk})).context["form"]


def new_draft(number, title="Papir", area="papir-tryksager"):
    return services.goal_create(
        number=number, title=title, product_area=ProductArea.objects.get(slug=area), statement="Mindre spild.", by=None
    )


class TestSecretariatEditing:
    def test_pages_are_for_the_secretariat(self, client, rep_a, revised_goal):
        v2 = revised_goal[1]
        urls = [reverse("goals:manage-list"), reverse("goals:manage-create"), manage_url(v2)]
        for url in urls:
            assert client.get(url).status_code == 302  # to the login
        client.force_login(rep_a)
        for url in urls[:2]:
            assert client.get(url).status_code == 403
        # a draft is for the secretariat and the working group drafting it: hidden from anyone else
        assert client.get(manage_url(v2)).status_code == 404
        assert client.post(reverse("goals:manage-draft-start", kwargs={"number": 5})).status_code == 403
        assert v2.goal.versions.count() == 2

    def test_from_new_goal_to_goal_in_force(self, client, secretariat_client, secretariat_user, refdata):
        # given a new goal created as a draft
        area = ProductArea.objects.get(slug="rengoering")
        response = secretariat_client.post(
            reverse("goals:manage-create"),
            {"number": "40", "title": "Rengøringsmidler", "product_area": area.pk, "statement": "Færre kemikalier."},
        )
        version = GoalVersion.objects.get(goal__number=40)
        assert response.status_code == 302
        assert response["Location"] == manage_url(version)
        assert (version.number, version.status, version.goal.slug) == (1, S.DRAFT, "rengoeringsmidler")
        assert version.created_by == secretariat_user
        editor = secretariat_client.get(response["Location"])
        assert editor.status_code == 200
        assert editor.context["version"] == version

        # when three criteria are added, the second one through htmx
        form = editor.context["criterion_form"]
        add_url = reverse("goals:manage-criterion-add", kwargs={"pk": version.pk})
        swan = Ecolabel.objects.get(slug=SWAN)
        response = secretariat_client.post(
            add_url, form_data(form, kind="requirement", text="Produktet skal være svanemærket.", ecolabels=[swan.pk])
        )
        assert response.status_code == 302
        assert response["Location"] == manage_url(version) + "#criteria"
        assert messages_of(response) == ["success"]
        response = secretariat_client.post(
            add_url,
            form_data(
                form, kind="recommendation", text="Brug doseringsanlæg.", documentation="Leverandørens erklæring."
            ),
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert "<html" not in response.text
        assert "Produktet skal være svanemærket." in response.text
        assert "Brug doseringsanlæg." in response.text
        secretariat_client.post(add_url, form_data(form, kind="award", text="Point for koncentrater."))
        assert criteria_of(version) == [
            ("40.a", "Produktet skal være svanemærket."),
            ("40.b", "Brug doseringsanlæg."),
            ("40.c", "Point for koncentrater."),
        ]
        first = version.criteria.get(number="40.a")
        assert list(first.ecolabels.values_list("slug", flat=True)) == [SWAN]

        # and one is edited, moved, renumbered and one deleted
        form = edit_form(secretariat_client, first)
        response = secretariat_client.post(
            reverse("goals:manage-criterion-edit", kwargs={"pk": first.pk}),
            form_data(
                form,
                number="40.a",
                kind="requirement",
                text="Produktet skal være mærket med Svanemærket eller EU-Blomsten.",
                ecolabels=[swan.pk, Ecolabel.objects.get(slug=FLOWER).pk],
            ),
        )
        assert response.status_code == 302
        first.refresh_from_db()
        assert first.text == "Produktet skal være mærket med Svanemærket eller EU-Blomsten."
        assert set(first.ecolabels.values_list("slug", flat=True)) == {SWAN, FLOWER}

        award = version.criteria.get(number="40.c")
        secretariat_client.post(reverse("goals:manage-criterion-move", kwargs={"pk": award.pk}), {"direction": "up"})
        assert [n for n, _ in criteria_of(version)] == ["40.a", "40.c", "40.b"]
        response = secretariat_client.post(
            reverse("goals:manage-renumber", kwargs={"pk": version.pk}), headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        assert criteria_of(version) == [
            ("40.a", "Produktet skal være mærket med Svanemærket eller EU-Blomsten."),
            ("40.b", "Point for koncentrater."),
            ("40.c", "Brug doseringsanlæg."),
        ]
        dosing = version.criteria.get(number="40.c")
        secretariat_client.post(reverse("goals:manage-criterion-delete", kwargs={"pk": dosing.pk}))
        assert [n for n, _ in criteria_of(version)] == ["40.a", "40.b"]

        # when its adoption, made outside the portal, is registered from the records and it is published
        today = timezone.localdate()
        secretariat_client.post(
            reverse("goals:manage-action", kwargs={"pk": version.pk, "action": "register"}),
            {
                "adopted_on": (today - timedelta(days=14)).isoformat(),
                "effective_date": today.isoformat(),
                "reason": "Styregruppens referat, punkt 4.",
            },
        )
        version.refresh_from_db()
        assert (version.status, version.adopted_on, version.effective_date, version.adoption_registered) == (
            S.ADOPTED,
            today - timedelta(days=14),
            today,
            "Styregruppens referat, punkt 4.",
        )
        page = secretariat_client.get(manage_url(version))
        assert "registreret af sekretariatet efter papirerne" in page.text
        assert "Offentliggør nu" in page.text
        response = secretariat_client.post(reverse("goals:manage-publish", kwargs={"pk": version.pk}))

        # then the goal is in force and public
        assert response.status_code == 302
        assert response["Location"] == goal_url(version.goal)
        version.refresh_from_db()
        assert version.status == S.PUBLISHED
        anonymous = Client()
        public = anonymous.get(goal_url(version.goal))
        assert public.status_code == 200
        assert public.context["version"] == version
        assert "Produktet skal være mærket med Svanemærket eller EU-Blomsten." in public.text
        assert "Point for koncentrater." in public.text
        assert "Brug doseringsanlæg." not in public.text
        assert numbers(anonymous.get(reverse("goals:catalogue"))) == [40]

    def test_criterion_edited_with_its_number_left_empty_keeps_the_number(self, secretariat_client, refdata):
        # the number field says "leave empty to number it after the last one"; the view keeps the number then
        version = new_draft(42)
        criterion, _ = add_criteria(version, ["Papiret skal være FSC-certificeret.", "Papiret skal være klorfrit."])
        form = edit_form(secretariat_client, criterion)
        response = secretariat_client.post(
            reverse("goals:manage-criterion-edit", kwargs={"pk": criterion.pk}),
            form_data(form, number="", kind="requirement", text="Papiret skal være FSC- eller PEFC-certificeret."),
        )
        assert response.status_code == 302
        assert criteria_of(version) == [
            ("42.a", "Papiret skal være FSC- eller PEFC-certificeret."),
            ("42.b", "Papiret skal være klorfrit."),
        ]

    def test_criterion_number_taken_is_refused(self, secretariat_client, refdata):
        version = new_draft(43)
        criterion, _ = add_criteria(version, ["Papiret skal være FSC-certificeret.", "Papiret skal være klorfrit."])
        form = edit_form(secretariat_client, criterion)
        response = secretariat_client.post(
            reverse("goals:manage-criterion-edit", kwargs={"pk": criterion.pk}),
            form_data(form, number="43.b", kind="requirement", text="Ændret."),
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert criteria_of(version) == [
            ("43.a", "Papiret skal være FSC-certificeret."),
            ("43.b", "Papiret skal være klorfrit."),
        ]

    def test_invalid_criterion_is_not_added(self, secretariat_client, refdata):
        version = new_draft(41)
        form = add_form(secretariat_client, version)
        add_url = reverse("goals:manage-criterion-add", kwargs={"pk": version.pk})
        response = secretariat_client.post(
            add_url, form_data(form, kind="requirement", text=""), headers={"HX-Request": "true"}
        )
        # htmx swaps in the form with its errors (a 4xx answer would not be shown)
        assert response.status_code == 200
        assert "<html" not in response.text
        assert response.context["criterion_form"].errors
        # without JavaScript the draft page comes back with the text typed and the error, not a redirect
        response = secretariat_client.post(add_url, form_data(form, kind="castle", text="Noget"))
        assert response.status_code == 200
        assert response.context["criterion_form"].errors["kind"]
        assert "Noget" in response.text
        assert not version.criteria.exists()

    def test_duplicate_goal_number_is_refused(self, secretariat_client, revised_goal):
        area = ProductArea.objects.get(slug="rengoering")
        response = secretariat_client.post(
            reverse("goals:manage-create"), {"number": "5", "title": "Igen", "product_area": area.pk, "statement": "x"}
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert GoalVersion.objects.filter(goal__number=5).count() == 2

    def test_new_version_supersedes_the_one_in_force(self, client, secretariat_client, revised_goal):
        _v1, v2 = revised_goal
        goal = v2.goal
        # given a new draft started from the goal list
        response = secretariat_client.post(reverse("goals:manage-draft-start", kwargs={"number": goal.number}))
        draft = goal.versions.get(number=3)
        assert response.status_code == 302
        assert response["Location"] == manage_url(draft)
        assert criteria_of(draft) == criteria_of(v2)
        # and a second draft is refused while it is open
        again = secretariat_client.post(reverse("goals:manage-draft-start", kwargs={"number": goal.number}))
        assert messages_of(again) == ["error"]
        assert goal.versions.count() == 3

        # when its text and a criterion are changed, and it goes through to publication
        form = secretariat_client.get(manage_url(draft)).context["form"]
        response = secretariat_client.post(
            manage_url(draft),
            form_data(
                form,
                title="Rengøring 2026",
                statement=v2.statement,
                change_note="Krav om undervisning skærpet.",
                sdg_targets=[t.pk for t in SdgTarget.objects.filter(code="12.7")],
            ),
        )
        assert response.status_code == 302
        clause = draft.criteria.get(number="5.d")
        secretariat_client.post(
            reverse("goals:manage-criterion-edit", kwargs={"pk": clause.pk}),
            form_data(
                edit_form(secretariat_client, clause),
                number="5.d",
                kind="clause",
                text="Leverandøren skal undervise alt personale hvert år.",
            ),
        )
        today = timezone.localdate()
        secretariat_client.post(
            reverse("goals:manage-action", kwargs={"pk": draft.pk, "action": "register"}),
            {"adopted_on": today.isoformat(), "effective_date": today.isoformat(), "reason": "Referat 1. marts."},
        )
        response = secretariat_client.post(reverse("goals:manage-publish", kwargs={"pk": draft.pk}))
        assert messages_of(response) == ["success"]

        # then the public page shows version 3, and version 2 is superseded
        anonymous = Client()
        public = anonymous.get(goal_url(goal))
        assert public.context["version"].number == 3
        assert "Rengøring 2026" in public.text
        assert "Leverandøren skal undervise alt personale hvert år." in public.text
        assert [(v.number, v.status) for v in public.context["history"]] == [
            (3, S.PUBLISHED),
            (2, S.SUPERSEDED),
            (1, S.SUPERSEDED),
        ]
        v2.refresh_from_db()
        assert v2.superseded_at is not None
        assert listed(anonymous.get(reverse("goals:catalogue"))) == [(5, 3)]
        compare = anonymous.get(goal_url(goal, "goals:compare"))
        assert (compare.context["old"].number, compare.context["new"].number) == (2, 3)
        assert compare.context["result"]["counts"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 2}

    def test_publishing_before_the_effective_date_is_refused(self, secretariat_client, revised_goal):
        goal = revised_goal[1].goal
        draft = services.goal_version_draft_start(goal=goal, by=None)
        later = timezone.localdate() + timedelta(days=30)
        services.goal_version_register_adopted(
            version=draft, by=None, adopted_on=timezone.localdate(), effective_date=later, reason="Referat 1. marts."
        )
        # "publish now" is not offered before the date, and a forged post is refused with the reason
        page = secretariat_client.get(manage_url(draft))
        assert page.context["publish_due"] is False
        assert reverse("goals:manage-publish", kwargs={"pk": draft.pk}) not in page.text
        response = secretariat_client.post(reverse("goals:manage-publish", kwargs={"pk": draft.pk}))
        assert response.status_code == 302
        assert response["Location"] == manage_url(draft)
        assert messages_of(response) == ["error"]
        draft.refresh_from_db()
        assert draft.status == S.ADOPTED
        assert goal.versions.get(status=S.PUBLISHED) == revised_goal[1]

    def test_registering_an_adoption_without_dates_or_reason_is_refused(self, secretariat_client, revised_goal):
        draft = services.goal_version_draft_start(goal=revised_goal[1].goal, by=None)
        url = reverse("goals:manage-action", kwargs={"pk": draft.pk, "action": "register"})
        for data in ({}, {"adopted_on": "2020-01-01", "effective_date": "2020-02-01"}, {"reason": "Referat."}):
            response = secretariat_client.post(url, data)
            assert response.status_code == 200
            assert response.context["form"].errors
        # a reason too short to say where the decision is recorded
        response = secretariat_client.post(
            url, {"adopted_on": "2020-01-01", "effective_date": "2020-02-01", "reason": "ok"}
        )
        assert "mindst 10 tegn" in response.text
        draft.refresh_from_db()
        assert draft.status == S.DRAFT

    def test_the_shortcuts_are_gone_and_a_step_not_allowed_gives_a_message(self, secretariat_client, revised_goal):
        draft = services.goal_version_draft_start(goal=revised_goal[1].goal, by=None)
        # no route moves a version by naming a status, and none records an adoption without a meeting
        for old in ("transition", "adopt"):
            response = secretariat_client.post(f"/goals/manage/versions/{draft.pk}/{old}/", {"to": "submitted"})
            assert response.status_code == 404
        assert (
            secretariat_client.get(
                reverse("goals:manage-action", kwargs={"pk": draft.pk, "action": "castle"})
            ).status_code
            == 404
        )
        # a draft's date in force cannot be changed, and it cannot be sent back to draft
        for action in ("date", "return"):
            response = secretariat_client.post(
                reverse("goals:manage-action", kwargs={"pk": draft.pk, "action": action}),
                {"reason": "Forsøg.", "effective_date": "2030-01-01"},
            )
            assert response.status_code == 302
            assert messages_of(response) == ["error"]
        page = secretariat_client.get(manage_url(draft))
        assert "Indstillet til styregruppen" not in page.text
        draft.refresh_from_db()
        assert draft.status == S.DRAFT

    def test_published_version_cannot_be_edited(self, secretariat_client, revised_goal):
        _, v2 = revised_goal
        before = criteria_of(v2)
        criterion = v2.criteria.get(number="5.a")
        # the forms as a draft's pages render them
        draft = new_draft(44)
        (draft_criterion,) = add_criteria(draft, ["Papiret skal være klorfrit."])
        version_form = secretariat_client.get(manage_url(draft)).context["form"]
        criterion_form = add_form(secretariat_client, draft)

        # the version's text
        response = secretariat_client.post(
            manage_url(v2), form_data(version_form, title="Ændret titel", statement="Ændret mål")
        )
        assert response.status_code == 200
        assert response.context["form"] is None
        assert messages_of(response) == ["error"]
        # adding, editing, moving, renumbering and deleting criteria
        response = secretariat_client.post(
            reverse("goals:manage-criterion-add", kwargs={"pk": v2.pk}),
            form_data(criterion_form, kind="requirement", text="Nyt krav."),
        )
        assert messages_of(response) == ["error"]
        form = edit_form(secretariat_client, criterion)
        response = secretariat_client.post(
            reverse("goals:manage-criterion-edit", kwargs={"pk": criterion.pk}),
            form_data(form, number="5.a", kind="requirement", text="Ændret krav."),
        )
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        for name, data in [
            ("goals:manage-criterion-move", {"direction": "down"}),
            ("goals:manage-criterion-delete", {}),
        ]:
            response = secretariat_client.post(reverse(name, kwargs={"pk": criterion.pk}), data)
            assert messages_of(response) == ["error"]
        response = secretariat_client.post(reverse("goals:manage-renumber", kwargs={"pk": v2.pk}))
        assert messages_of(response) == ["error"]

        # and nothing has changed
        v2.refresh_from_db()
        assert (v2.title, v2.status) == ("Rengøring og rengøringsmidler", S.PUBLISHED)
        assert criteria_of(v2) == before
        public = Client().get(goal_url(v2.goal))
        assert public.context["version"] == v2
        assert "Ændret" not in public.text
        assert "Nyt krav." not in public.text
        assert criteria_of(draft) == [(draft_criterion.number, "Papiret skal være klorfrit.")]


# --- implementation plans ---------------------------------------------------------------------


def plan_url(organisation) -> str:
    return reverse("goals:plan-detail", kwargs={"slug": organisation.slug})


def row_url(organisation, row) -> str:
    return reverse("goals:plan-row-update", kwargs={"slug": organisation.slug, "pk": row.pk})


def row_form(client, organisation, row):
    """The form of one row on the plan's page."""
    rows = client.get(plan_url(organisation)).context["rows"]
    return next(form for shown, form, _overdue in rows if shown.pk == row.pk)


class TestImplementationPlans:
    def test_secretariat_makes_a_plan_with_a_row_per_goal_in_force(self, secretariat_client, org_a, catalogue_goals):
        # a draft (not in force) gets no row
        services.goal_version_draft_start(goal=catalogue_goals["paper"].goal, by=None)
        assert secretariat_client.get(plan_url(org_a)).context["plan"] is None
        response = secretariat_client.post(reverse("goals:plan-create", kwargs={"slug": org_a.slug}))
        assert response.status_code == 302
        assert response["Location"] == plan_url(org_a)
        page = secretariat_client.get(plan_url(org_a))
        assert page.status_code == 200
        rows = [row for row, _form, _overdue in page.context["rows"]]
        assert [(r.goal_version.goal.number, r.goal_version.number) for r in rows] == [(1, 1), (2, 1), (3, 1), (4, 1)]
        assert {r.status for r in rows} == {"not_started"}
        # a second plan is refused
        again = secretariat_client.post(reverse("goals:plan-create", kwargs={"slug": org_a.slug}))
        assert messages_of(again) == ["error"]
        assert ImplementationPlanRow.objects.count() == 4

    def test_representative_updates_a_row(self, client, org_a, rep_a, catalogue_goals):
        plan = services.implementation_plan_create(organisation=org_a, by=None)
        row = plan.rows.get(goal_version=catalogue_goals["textiles"])
        client.force_login(rep_a)
        page = client.get(plan_url(org_a))
        assert page.status_code == 200
        assert len(page.context["rows"]) == 4
        form = row_form(client, org_a, row)
        response = client.post(
            row_url(org_a, row), form_data(form, expected_by="2027-06-30", status="in_progress", note="Nyt udbud")
        )
        assert response.status_code == 302
        assert messages_of(response) == ["success"]
        row.refresh_from_db()
        assert (row.expected_by, row.status, row.note) == (date(2027, 6, 30), "in_progress", "Nyt udbud")

    def test_other_members_representative_gets_404(self, client, org_a, rep_a, org_b, rep_b, catalogue_goals):
        plan = services.implementation_plan_create(organisation=org_a, by=None)
        row = plan.rows.first()
        own = Client()
        own.force_login(rep_a)
        data = form_data(row_form(own, org_a, row), expected_by="2027-06-30", status="met", note="x")
        client.force_login(rep_b)
        assert client.get(plan_url(org_a)).status_code == 404
        assert client.post(row_url(org_a, row), data).status_code == 404
        # nor through its own organisation's address
        services.implementation_plan_create(organisation=org_b, by=None)
        assert client.post(row_url(org_b, row), data).status_code == 404
        row.refresh_from_db()
        assert (row.expected_by, row.status, row.note) == (None, "not_started", "")

    def test_representative_cannot_make_a_plan(self, client, org_a, rep_a, catalogue_goals):
        client.force_login(rep_a)
        assert client.post(reverse("goals:plan-create", kwargs={"slug": org_a.slug})).status_code == 403
        assert not ImplementationPlanRow.objects.exists()

    def test_new_version_in_force_adds_a_row_to_open_plans(self, client, org_a, org_b, rep_a, catalogue_goals):
        open_plan = services.implementation_plan_create(organisation=org_a, by=None)
        closed_plan = services.implementation_plan_create(organisation=org_b, by=None)
        services.implementation_plan_close(plan=closed_plan, by=None)
        new = revision_in_force(catalogue_goals["paper"], title="Papir og tryksager", adopted_on=A_MONTH_BEFORE)
        assert open_plan.rows.count() == 5
        assert closed_plan.rows.count() == 4
        client.force_login(rep_a)
        page = client.get(plan_url(org_a))
        rows = [row.goal_version for row, _form, _overdue in page.context["rows"]]
        assert new in rows and catalogue_goals["paper"] in rows
        assert "Papir og tryksager" in page.text


class TestComingVersion:
    """An adopted version with a date ahead is announced on the public page, with its redline, before it applies."""

    @pytest.fixture
    def coming(self, revised_goal):
        goal = revised_goal[1].goal
        draft = services.goal_version_draft_start(goal=goal, by=None)
        services.criterion_update(
            criterion=draft.criteria.get(number="5.a"),
            by=None,
            kind="requirement",
            text="Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten.",
        )
        effective = date(2027, 3, 1)
        services.goal_version_register_adopted(
            version=draft, by=None, adopted_on=timezone.localdate(), effective_date=effective, reason="Referat 1. dec."
        )
        return goal, draft

    def test_the_page_in_force_announces_the_coming_version_in_each_language(self, client, coming):
        goal, _draft = coming
        danish = client.get(goal_url(goal))
        assert danish.context["version"].number == 2
        assert "Version 3 træder i kraft den 1. marts 2027." in danish.text
        english = client.get("/en" + goal_url(goal))
        assert "Version 3 comes into force on 1 March 2027." in english.text
        # the redline and the coming version itself can be read now, by anyone
        compare = client.get(goal_url(goal, "goals:compare") + "?from_version=2&to_version=3")
        assert compare.status_code == 200
        assert (compare.context["old"].number, compare.context["new"].number) == (2, 3)
        page = client.get(goal_url(goal, "goals:version-detail", version=3))
        assert page.status_code == 200
        assert "er vedtaget og træder i kraft den 1. marts 2027" in page.text
        # the catalogue still lists the version in force
        assert listed(client.get(reverse("goals:catalogue"))) == [(5, 2)]

    def test_the_secretariat_corrects_the_date_with_a_reason_and_no_new_decision(self, secretariat_client, coming):
        goal, draft = coming
        url = reverse("goals:manage-action", kwargs={"pk": draft.pk, "action": "date"})
        # without a reason nothing changes
        response = secretariat_client.post(url, {"effective_date": "2027-04-01", "reason": ""})
        assert response.status_code == 200 and response.context["form"].errors
        response = secretariat_client.post(
            url, {"effective_date": "2027-04-01", "reason": "Leverandørerne får en måned mere."}, follow=True
        )
        draft.refresh_from_db()
        assert (draft.status, draft.effective_date) == (S.ADOPTED, date(2027, 4, 1))
        assert "Leverandørerne får en måned mere." in response.text  # the history shows the reason
        assert "Version 3 træder i kraft den 1. april 2027." in Client().get(goal_url(goal)).text
        # publishing is not offered before the date
        assert reverse("goals:manage-publish", kwargs={"pk": draft.pk}) not in response.text
