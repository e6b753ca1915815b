"""The open-data files: what a re-user downloads from /open-data/goals.json and /open-data/goals.csv."""

import csv
import io
import json
from datetime import date
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client

from goals import opendata, services
from goals.models import Criterion, GoalVersion
from tests.factories import A_MONTH_BEFORE, FLOWER, SWAN, add_criteria, goal_in_force, put_in_force, revision_in_force

pytestmark = pytest.mark.django_db

S = GoalVersion.Status
REC = Criterion.Kind.RECOMMENDATION
AWARD = Criterion.Kind.AWARD
CLAUSE = Criterion.Kind.CLAUSE
JSON_URL = "/open-data/goals.json"
CSV_URL = "/open-data/goals.csv"

TRICKY = 'Leverandøren skal, på ordregivers forlangende, dokumentere "hele kæden".\nSe bilag 2 – æøå ÆØÅ.'

GOAL_FIELDS = {
    "number",
    "slug",
    "title",
    "version",
    "status",
    "effective_date",
    "adopted_on",
    "statement",
    "scope",
    "transition_note",
    "change_note",
    "product_area",
    "ecolabels",
    "sdg_targets",
    "url",
    "version_url",
    "pdf_url",
    "versions",
    "criteria",
    # the English version beside the Danish (null when none is entered)
    "title_en",
    "statement_en",
    "scope_en",
    "transition_note_en",
    "change_note_en",
}
CRITERION_FIELDS = {
    "number",
    "kind",
    "text",
    "documentation",
    "ecolabels",
    "ambition",
    "guidance",
    "text_en",
    "documentation_en",
    "guidance_en",
}


@pytest.fixture
def catalogue(refdata):
    """Goal 1 revised (version 2 in force), goal 2 with a draft in progress, goal 3 withdrawn."""
    cleaning = goal_in_force(
        number=1,
        title="Rengøring",
        criteria=[
            {
                "text": "Rengøringsmidlet skal være mærket med Svanemærket.",
                "labels": [SWAN],
                "documentation": "Licens til Svanemærket.",
                "ambition": "core",
            },
            {"text": "Ordregiver bør bruge doseringsanlæg.", "kind": REC},
        ],
        labels=[SWAN],
        sdg=["12.7", "12.4"],
        effective=date(2020, 1, 1),
        adopted_on=A_MONTH_BEFORE,
    )

    def change(draft):
        services.criterion_update(
            criterion=draft.criteria.get(number="1.a"),
            by=None,
            text="Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten.",
        )
        add_criteria(draft, [{"text": TRICKY, "kind": CLAUSE, "guidance": "Brug skabelonen på side 3."}])

    cleaning_v2 = revision_in_force(
        cleaning, effective=date(2023, 5, 1), change=change, change_note="EU-Blomsten.", adopted_on=A_MONTH_BEFORE
    )
    textiles = goal_in_force(
        number=2,
        title="Tekstiler",
        criteria=[
            "Tekstilerne må ikke være behandlet med PFAS.",
            {"text": "Der gives point for genanvendte fibre.", "kind": AWARD, "labels": [FLOWER]},
            "Knapper og lynlåse må ikke indeholde nikkel.",
        ],
        area="tekstiler",
        effective=date(2024, 6, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    draft = services.goal_version_draft_start(goal=textiles.goal, by=None)
    add_criteria(draft, ["Et krav, der kun står i udkastet."])
    withdrawn = goal_in_force(
        number=3, title="Belysning", criteria=["Lyskilder skal være LED."], area="belysning", adopted_on=A_MONTH_BEFORE
    )
    services.goal_version_withdraw(version=withdrawn, by=None, reason="Trukket tilbage.")
    return {"cleaning_v1": cleaning, "cleaning": cleaning_v2, "textiles": textiles, "draft": draft}


def get_json(client):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content.decode("utf-8"))


def get_csv(client) -> tuple[bytes, list[list[str]]]:
    response = client.get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content, list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


class TestJson:
    def test_has_the_documented_fields(self, client, catalogue):
        data = get_json(client)
        assert set(data) == {
            "publisher",
            "dataset",
            "licence",
            "documentation",
            "generated_at",
            "languages",
            "goals",
        }
        assert data["publisher"] == settings.POGI_AUTHORITY["name"]
        assert data["licence"] == settings.POGI_OPEN_DATA_LICENCE
        assert urlparse(data["documentation"]).path == "/open-data/"
        for goal in data["goals"]:
            assert set(goal) == GOAL_FIELDS
            assert set(goal["product_area"]) == {"slug", "name_da", "name_en", "cpv_codes"}
            for label in goal["ecolabels"]:
                assert set(label) == {"slug", "name", "name_da"}
            for version in goal["versions"]:
                assert set(version) == {"version", "status", "effective_date", "url"}
            for criterion in goal["criteria"]:
                assert set(criterion) == CRITERION_FIELDS

    def test_has_the_goals_in_force_only(self, client, catalogue):
        goals = get_json(client)["goals"]
        assert [(g["number"], g["version"], g["status"]) for g in goals] == [(1, 2, "in_force"), (2, 1, "in_force")]
        texts = [c["text"] for g in goals for c in g["criteria"]]
        assert "Et krav, der kun står i udkastet." not in texts  # the draft of goal 2
        assert "Lyskilder skal være LED." not in texts  # goal 3, withdrawn

    def test_goal_content(self, client, catalogue):
        cleaning = get_json(client)["goals"][0]
        assert cleaning["slug"] == "rengoering"
        assert cleaning["title"] == "Rengøring"
        assert cleaning["effective_date"] == "2023-05-01"
        assert cleaning["adopted_on"] == "2023-04-01"
        assert cleaning["change_note"] == "EU-Blomsten."
        assert cleaning["product_area"]["slug"] == "rengoering"
        assert cleaning["product_area"]["name_da"] == "Rengøring"
        assert cleaning["product_area"]["name_en"] == "Cleaning"
        assert cleaning["product_area"]["cpv_codes"]
        assert [e["slug"] for e in cleaning["ecolabels"]] == [SWAN]
        assert sorted(cleaning["sdg_targets"]) == ["12.4", "12.7"]
        assert urlparse(cleaning["url"]).path == "/goals/1-rengoering/"
        assert urlparse(cleaning["version_url"]).path == "/goals/1-rengoering/versions/2/"
        assert urlparse(cleaning["pdf_url"]).path == "/goals/1-rengoering/versions/2/pdf/"
        assert [(v["version"], v["status"], v["effective_date"]) for v in cleaning["versions"]] == [
            (2, "in_force", "2023-05-01"),
            (1, "superseded", "2020-01-01"),
        ]
        first, _dosing, tricky = cleaning["criteria"]
        assert first == {
            "number": "1.a",
            "kind": "requirement",
            "text": "Rengøringsmidlet skal være mærket med Svanemærket eller EU-Blomsten.",
            "documentation": "Licens til Svanemærket.",
            "ecolabels": [SWAN],
            "ambition": "core",
            "guidance": "",
            "text_en": None,
            "documentation_en": None,
            "guidance_en": None,
        }
        assert tricky["text"] == TRICKY
        assert tricky["ambition"] is None
        assert tricky["guidance"] == "Brug skabelonen på side 3."

    def test_criteria_in_their_order(self, client, catalogue):
        # given a new goal whose last criterion was moved to the top before it was published
        version = services.goal_create(
            number=4,
            title="Papir",
            product_area=catalogue["textiles"].goal.product_area,
            statement="Mindre papir.",
            by=None,
        )
        first, second, third = add_criteria(version, ["Første krav.", "Andet krav.", "Tredje krav."])
        services.criterion_move(criterion=third, by=None, offset=-1)
        services.criterion_move(criterion=third, by=None, offset=-1)
        put_in_force(version, adopted_on=A_MONTH_BEFORE)
        goal = next(g for g in get_json(Client())["goals"] if g["number"] == 4)
        assert [c["text"] for c in goal["criteria"]] == ["Tredje krav.", "Første krav.", "Andet krav."]
        assert [c["number"] for c in goal["criteria"]] == [third.number, first.number, second.number]
        # the same order as on the goal's page
        page = Client().get(version.goal.get_absolute_url())
        assert [c.text for c in page.context["version"].criteria.all()] == [c["text"] for c in goal["criteria"]]

    def test_every_version_url_answers(self, client, catalogue):
        goals = get_json(client)["goals"]
        urls = [v["url"] for g in goals for v in g["versions"]] + [g["url"] for g in goals]
        assert len(urls) == 5
        for url in urls:
            response = Client().get(urlparse(url).path)
            assert response.status_code == 200, url
        assert Client().get(urlparse(goals[0]["pdf_url"]).path)["Content-Type"] == "application/pdf"

    def test_abandoned_draft_is_not_among_the_versions(self, client, catalogue):
        # a revision withdrawn before it was adopted was never public
        services.goal_version_withdraw(version=catalogue["draft"], by=None, reason="Trukket tilbage.")
        textiles = get_json(client)["goals"][1]
        assert [(v["version"], v["status"]) for v in textiles["versions"]] == [(1, "in_force")]

    def test_empty_catalogue(self, client, refdata):
        data = get_json(client)
        assert data["goals"] == []


class TestCsv:
    def test_bom_header_and_one_row_per_criterion(self, client, catalogue):
        content, rows = get_csv(client)
        assert content.startswith("\ufeff".encode())
        header, *body = rows
        assert header == opendata.CSV_FIELDS
        assert len(body) == 6  # 3 criteria of goal 1 version 2, 3 of goal 2
        assert all(len(row) == len(header) for row in body)
        records = [dict(zip(header, row, strict=True)) for row in body]
        assert [(r["goal_number"], r["version"], r["criterion_number"]) for r in records] == [
            ("1", "2", "1.a"),
            ("1", "2", "1.b"),
            ("1", "2", "1.c"),
            ("2", "1", "2.a"),
            ("2", "1", "2.b"),
            ("2", "1", "2.c"),
        ]
        tricky = records[2]
        assert tricky["criterion_text"] == TRICKY  # comma, quotes, newline and æøå survive
        assert tricky["criterion_kind"] == "clause"
        assert tricky["goal_title"] == "Rengøring"
        assert tricky["effective_date"] == "2023-05-01"
        assert urlparse(tricky["goal_url"]).path == "/goals/1-rengoering/"
        assert records[0]["ecolabels"] == SWAN
        assert records[4]["ecolabels"] == FLOWER
        assert records[0]["ambition"] == "core"

    def test_empty_catalogue_has_the_header(self, client, refdata):
        _content, rows = get_csv(client)
        assert rows == [opendata.CSV_FIELDS]


def test_json_csv_and_database_agree(client, catalogue):
    from_json = {(g["number"], c["number"], c["text"]) for g in get_json(client)["goals"] for c in g["criteria"]}
    _content, (header, *body) = get_csv(client)
    records = [dict(zip(header, row, strict=True)) for row in body]
    from_csv = {(int(r["goal_number"]), r["criterion_number"], r["criterion_text"]) for r in records}
    from_db = set(
        Criterion.objects.filter(version__status=S.PUBLISHED).values_list("version__goal__number", "number", "text")
    )
    assert len(from_db) == 6
    assert from_csv == from_json == from_db


class TestConditionalRequests:
    @pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
    def test_etag_and_last_modified(self, client, catalogue, url):
        response = client.get(url)
        assert response["ETag"].startswith('"')
        assert response["Last-Modified"].endswith("GMT")
        again = client.get(url, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == response["ETag"]
        # another ETag gets the whole file
        other = client.get(url, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200
        assert other.content == response.content

    def test_json_and_csv_have_different_etags(self, client, catalogue):
        assert client.get(JSON_URL)["ETag"] != client.get(CSV_URL)["ETag"]

    @pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
    def test_publishing_changes_the_etag_and_the_file(self, client, catalogue, url):
        before = client.get(url)
        # the draft of goal 2 is put in force
        put_in_force(catalogue["draft"], effective=date(2025, 1, 1), adopted_on=A_MONTH_BEFORE)
        after = client.get(url, headers={"If-None-Match": before["ETag"]})
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        assert "Et krav, der kun står i udkastet." in after.content.decode("utf-8-sig")
        assert "Et krav, der kun står i udkastet." not in before.content.decode("utf-8-sig")

    def test_withdrawing_changes_the_etag(self, client, catalogue):
        before = client.get(JSON_URL)
        services.goal_version_withdraw(version=catalogue["textiles"], by=None, reason="Trukket tilbage.")
        after = client.get(JSON_URL, headers={"If-None-Match": before["ETag"]})
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        assert [g["number"] for g in json.loads(after.content)["goals"]] == [1]


@pytest.mark.parametrize("url", [JSON_URL, CSV_URL])
def test_links_do_not_depend_on_the_first_visitors_language(catalogue, url):
    # the file is built once and cached, so its links must not follow the language of whoever asked first
    english = Client(headers={"Accept-Language": "en"})
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english.get("/en/goals/")
    for client in (english, Client()):
        content = client.get(url).content.decode("utf-8-sig")
        assert "http://testserver/goals/1-rengoering/" in content
        assert "/en/" not in content
