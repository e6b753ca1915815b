from goals.models import Criterion, GoalVersion
from goals.redline import compare, word_diff


def criterion(number, text, kind="requirement", documentation="", guidance=""):
    return Criterion(number=number, text=text, kind=kind, documentation=documentation, guidance=guidance)


def version(**fields):
    return GoalVersion(**{"title": "T", "statement": "S", "scope": "", **fields})


def test_word_diff_marks_inserted_and_deleted_words():
    segments = word_diff("Produkter skal være svanemærkede.", "Produkter skal være svanemærkede eller tilsvarende.")
    kinds = [(s.kind, s.text) for s in segments]
    assert ("same", "Produkter skal være ") in kinds
    assert any(k == "deleted" and "svanemærkede." in t for k, t in kinds)
    assert any(k == "inserted" and "tilsvarende." in t for k, t in kinds)
    # reading the segments back gives both texts
    assert "".join(s.text for s in segments if s.kind != "inserted") == "Produkter skal være svanemærkede."
    assert (
        "".join(s.text for s in segments if s.kind != "deleted")
        == "Produkter skal være svanemærkede eller tilsvarende."
    )


def test_criteria_are_matched_by_number():
    old = [criterion("5.a", "Krav om mærke."), criterion("5.b", "Ingen spray."), criterion("5.c", "Dosering.")]
    new = [
        criterion("5.a", "Krav om mærke eller tilsvarende."),
        criterion("5.c", "Dosering."),
        criterion("5.d", "Ny klausul."),
    ]
    result = compare(version(), version(statement="S2"), old, new)
    by_number = {row.number: row.status for row in result["criteria"]}
    assert by_number == {"5.a": "changed", "5.b": "removed", "5.c": "unchanged", "5.d": "added"}
    assert result["counts"] == {"added": 1, "removed": 1, "changed": 1, "unchanged": 1}
    assert [c.name for c in result["version_changes"]] == ["statement"]


def test_kind_change_is_a_change():
    result = compare(version(), version(), [criterion("5.a", "x", kind="recommendation")], [criterion("5.a", "x")])
    row = result["criteria"][0]
    assert row.status == "changed"
    assert row.changes[0].name == "kind"


def test_numbers_sort_naturally():
    old = []
    new = [criterion("5.b", "b"), criterion("5.aa", "aa"), criterion("5.a", "a")]
    assert [r.number for r in compare(version(), version(), old, new)["criteria"]] == ["5.a", "5.aa", "5.b"]
