"""The open data in both languages: the English version beside the Danish in goals.json, and goals.csv?language=en."""

import csv
import io
import json
from datetime import date

import pytest

from goals import opendata, services
from goals.models import Criterion
from tests.factories import A_MONTH_BEFORE, SWAN, goal_in_force

pytestmark = pytest.mark.django_db

REC = Criterion.Kind.RECOMMENDATION
JSON_URL = "/open-data/goals.json"
CSV_URL = "/open-data/goals.csv"
FORMULA = '=HYPERLINK("http://evil.example")'


@pytest.fixture
def catalogue(refdata):
    """Goal 1 in force, partly translated; goal 2 in force with no English at all."""
    cleaning = goal_in_force(
        number=1,
        title="Rengøring",
        criteria=[
            {
                "text": "Rengøringsmidlet skal være mærket med Svanemærket.",
                "labels": [SWAN],
                "documentation": "Licens til Svanemærket.",
            },
            {"text": "Ordregiver bør bruge doseringsanlæg.", "kind": REC},
            {"text": "Leverandøren skal tage emballagen retur.", "documentation": "Faktura."},
        ],
        effective=date(2024, 1, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    first, _dosing, packaging = cleaning.criteria.order_by("position", "number")
    services.goal_version_english_update(
        version=cleaning,
        by=None,
        fields={"title_en": "Cleaning", "statement_en": "Members buy cleaning with less environmental impact."},
        criteria={
            first.pk: {
                "text_en": "The cleaning agent shall carry the Nordic Swan Ecolabel.",
                "documentation_en": "A Swan licence.",
            },
            packaging.pk: {"text_en": "The supplier shall take the packaging back."},
        },
    )
    textiles = goal_in_force(
        number=2,
        title="Tekstiler",
        criteria=["Tekstilerne må ikke være behandlet med PFAS."],
        area="tekstiler",
        effective=date(2024, 6, 1),
        adopted_on=A_MONTH_BEFORE,
    )
    cleaning.refresh_from_db()
    return {"cleaning": cleaning, "textiles": textiles}


def get_json(client):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))


def get_csv(client, **params) -> list[dict[str, str]]:
    response = client.get(CSV_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


class TestJson:
    def test_languages_at_the_top(self, client, catalogue):
        assert get_json(client)["languages"] == ["da", "en"]

    def test_english_beside_the_danish_and_null_when_missing(self, client, catalogue):
        cleaning, textiles = get_json(client)["goals"]
        # the Danish fields are unchanged
        assert cleaning["title"] == "Rengøring"
        assert cleaning["statement"] == "Medlemmerne køber rengøring med mindre miljøbelastning."
        assert cleaning["title_en"] == "Cleaning"
        assert cleaning["statement_en"] == "Members buy cleaning with less environmental impact."
        # not entered: null, not "" (scope is empty in Danish too, and still null in English)
        assert cleaning["scope"] == ""
        assert cleaning["scope_en"] is None
        assert cleaning["transition_note_en"] is None
        assert cleaning["change_note_en"] is None
        first, dosing, packaging = cleaning["criteria"]
        assert first["text"] == "Rengøringsmidlet skal være mærket med Svanemærket."
        assert first["text_en"] == "The cleaning agent shall carry the Nordic Swan Ecolabel."
        assert first["documentation_en"] == "A Swan licence."
        assert first["guidance_en"] is None
        assert (dosing["text_en"], dosing["documentation_en"], dosing["guidance_en"]) == (None, None, None)
        assert packaging["text_en"] == "The supplier shall take the packaging back."
        assert packaging["documentation"] == "Faktura."
        assert packaging["documentation_en"] is None
        for name in ("title_en", "statement_en", "scope_en", "transition_note_en", "change_note_en"):
            assert textiles[name] is None
        assert textiles["criteria"][0]["text_en"] is None

    def test_english_field_follows_its_danish_field(self, client, catalogue):
        goal = get_json(client)["goals"][0]
        keys = list(goal)
        for name in ("title", "statement", "scope", "transition_note", "change_note"):
            assert keys.index(f"{name}_en") == keys.index(name) + 1
        keys = list(goal["criteria"][0])
        for name in ("text", "documentation", "guidance"):
            assert keys.index(f"{name}_en") == keys.index(name) + 1

    def test_the_json_ignores_a_language_parameter(self, client, catalogue):
        response = client.get(JSON_URL, {"language": "xx"})
        assert response.status_code == 200
        assert json.loads(response.content)["goals"][0]["title"] == "Rengøring"


class TestCsv:
    def test_default_is_danish_with_a_trailing_language_column(self, client, catalogue):
        response = client.get(CSV_URL)
        assert response["Content-Disposition"] == 'inline; filename="goals.csv"'
        header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert header == opendata.CSV_FIELDS
        assert header[-1] == "language"
        assert header[:-1] == [
            "goal_number",
            "goal_slug",
            "goal_title",
            "product_area",
            "cpv_codes",
            "version",
            "effective_date",
            "criterion_number",
            "criterion_kind",
            "criterion_text",
            "documentation",
            "ecolabels",
            "ambition",
            "guidance",
            "goal_url",
        ]
        rows = get_csv(client)
        assert [r["goal_title"] for r in rows] == ["Rengøring"] * 3 + ["Tekstiler"]
        assert rows[0]["criterion_text"] == "Rengøringsmidlet skal være mærket med Svanemærket."
        assert rows[0]["documentation"] == "Licens til Svanemærket."
        assert {r["language"] for r in rows} == {"da"}
        # ?language=da is the same file
        assert client.get(CSV_URL, {"language": "da"}).content == response.content

    def test_english_edition_with_danish_fallback(self, client, catalogue):
        response = client.get(CSV_URL, {"language": "en"})
        assert response["Content-Disposition"] == 'inline; filename="goals-en.csv"'
        first, dosing, packaging, pfas = get_csv(client, language="en")
        assert first["goal_title"] == "Cleaning"
        assert first["criterion_text"] == "The cleaning agent shall carry the Nordic Swan Ecolabel."
        assert first["documentation"] == "A Swan licence."
        assert first["language"] == "en"  # guidance is empty: it counts for neither
        # no English for this criterion: its Danish text, beside the English goal title
        assert dosing["goal_title"] == "Cleaning"
        assert dosing["criterion_text"] == "Ordregiver bør bruge doseringsanlæg."
        assert dosing["language"] == "da,en"
        # English text, Danish documentation
        assert packaging["criterion_text"] == "The supplier shall take the packaging back."
        assert packaging["documentation"] == "Faktura."
        assert packaging["language"] == "da,en"
        # a goal with no English at all
        assert pfas["goal_title"] == "Tekstiler"
        assert pfas["criterion_text"] == "Tekstilerne må ikke være behandlet med PFAS."
        assert pfas["language"] == "da"
        # the other columns are the editions' common ground
        danish = get_csv(client)
        shared = [
            c
            for c in opendata.CSV_FIELDS
            if c not in ("goal_title", "criterion_text", "documentation", "guidance", "language")
        ]
        assert [[r[c] for c in shared] for r in danish] == [
            [r[c] for c in shared] for r in get_csv(client, language="en")
        ]

    @pytest.mark.parametrize("value", ["EN", " en "])
    def test_language_is_not_case_sensitive(self, client, catalogue, value):
        assert get_csv(client, language=value)[0]["goal_title"] == "Cleaning"

    @pytest.mark.parametrize("value", ["xx", "de", "en-gb", "da,en", "<b>zz</b>"])
    def test_unknown_language_is_a_400_in_both_languages(self, client, catalogue, django_assert_num_queries, value):
        with django_assert_num_queries(0):
            response = client.get(CSV_URL, {"language": value})
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode("utf-8")
        assert "Ukendt sprog" in text and "Unknown language" in text
        assert "language=en" in text
        assert "zz" not in text  # the value asked for is not echoed

    def test_injection_guard_applies_to_english_cells(self, client, catalogue):
        cleaning = catalogue["cleaning"]
        dosing = cleaning.criteria.get(number="1.b")
        services.goal_version_english_update(
            version=cleaning,
            by=None,
            fields={"title_en": "+Cleaning"},
            criteria={dosing.pk: {"text_en": FORMULA, "guidance_en": "@once"}},
        )
        rows = get_csv(client, language="en")
        assert rows[1]["criterion_text"] == "'" + FORMULA
        assert rows[1]["guidance"] == "'@once"
        assert rows[1]["goal_title"] == "'+Cleaning"
        assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())
        # the JSON carries the text unchanged
        goal = get_json(client)["goals"][0]
        assert goal["title_en"] == "+Cleaning"
        assert goal["criteria"][1]["text_en"] == FORMULA


class TestCaching:
    def test_each_file_and_language_has_its_own_etag_and_body(self, client, catalogue):
        # the English edition asked first: the Danish one must not be served from its cache entry
        english = client.get(CSV_URL, {"language": "en"})
        danish = client.get(CSV_URL)
        document = client.get(JSON_URL)
        assert len({english["ETag"], danish["ETag"], document["ETag"]}) == 3
        assert "Cleaning" in english.content.decode("utf-8-sig")
        assert "Cleaning" not in danish.content.decode("utf-8-sig")
        assert client.get(CSV_URL, {"language": "da"})["ETag"] == danish["ETag"]
        # an ETag of one language does not answer 304 for the other
        other = client.get(CSV_URL, {"language": "en"}, headers={"If-None-Match": danish["ETag"]})
        assert other.status_code == 200
        assert other.content == english.content
        same = client.get(CSV_URL, {"language": "en"}, headers={"If-None-Match": english["ETag"]})
        assert same.status_code == 304

    @pytest.mark.parametrize(
        ("url", "params"),
        [(JSON_URL, {}), (CSV_URL, {"language": "en"}), (CSV_URL, {})],
        ids=["json", "csv-en", "csv-da"],
    )
    def test_english_text_written_to_a_version_in_force_changes_etag_and_file(self, client, catalogue, url, params):
        before = client.get(url, params)
        textiles = catalogue["textiles"]
        services.goal_version_english_update(
            version=textiles,
            by=None,
            fields={"title_en": "Textiles"},
            criteria={textiles.criteria.get().pk: {"text_en": "The textiles shall not be treated with PFAS."}},
        )
        after = client.get(url, params, headers={"If-None-Match": before["ETag"]})
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        if params.get("language") == "en" or url == JSON_URL:
            assert "The textiles shall not be treated with PFAS." in after.content.decode("utf-8-sig")
            assert "The textiles shall not be treated with PFAS." not in before.content.decode("utf-8-sig")
        else:  # the Danish edition is rebuilt, and still Danish
            assert after.content == before.content
        if url == JSON_URL:
            goal = json.loads(after.content)["goals"][1]
            assert goal["title_en"] == "Textiles"
            assert goal["criteria"][0]["text_en"] == "The textiles shall not be treated with PFAS."

    def test_english_text_of_a_criterion_alone_changes_the_etag(self, client, catalogue):
        before = client.get(CSV_URL, {"language": "en"})
        textiles = catalogue["textiles"]
        services.goal_version_english_update(
            version=textiles, by=None, fields={}, criteria={textiles.criteria.get().pk: {"text_en": "No PFAS."}}
        )
        after = client.get(CSV_URL, {"language": "en"}, headers={"If-None-Match": before["ETag"]})
        assert after.status_code == 200
        assert after["ETag"] != before["ETag"]
        assert get_csv(client, language="en")[3]["criterion_text"] == "No PFAS."


class TestQueries:
    # when the catalogue last changed; versions, criteria, criterion ecolabels, version ecolabels,
    # SDG targets, CPV codes, version history: the English fields come with the same rows
    @pytest.mark.parametrize(("url", "params"), [(JSON_URL, {}), (CSV_URL, {}), (CSV_URL, {"language": "en"})])
    def test_building_a_file(self, client, catalogue, django_assert_num_queries, url, params):
        with django_assert_num_queries(8):
            assert client.get(url, params).status_code == 200
        # then from the cache: only when the catalogue last changed
        with django_assert_num_queries(1):
            assert client.get(url, params).status_code == 200


def test_the_open_data_page_links_the_english_edition(client, catalogue):
    danish = client.get("/open-data/").content.decode()
    assert 'href="/open-data/goals.csv?language=en"' in danish
    assert "samme fil på engelsk" in danish
    assert "felt, hvis navn ender på _en" in danish
    english = client.get("/en/open-data/").content.decode()
    assert 'href="/open-data/goals.csv?language=en"' in english
    assert "the same file in English" in english
    assert "<code>language</code>" in english
