"""What changed between two versions of a goal, criterion by criterion, word by word."""

import difflib
import re
from dataclasses import dataclass, field

from core.translated import CONTENT_LANGUAGE, has_translation, page_language, reading_language

from .models import Criterion, GoalVersion

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Segment:
    kind: str  # "same", "inserted", "deleted"
    text: str


@dataclass
class FieldChange:
    name: str
    label: str
    segments: list[Segment]
    lang: str = CONTENT_LANGUAGE  # the language of the segments' text


@dataclass
class CriterionChange:
    number: str
    status: str  # "added", "removed", "changed", "unchanged"
    old: Criterion | None
    new: Criterion | None
    changes: list[FieldChange] = field(default_factory=list)


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level insertions and deletions (white space kept, so the text reads as written)."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("deleted", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("inserted", "".join(b[j1:j2])))
    return segments


CRITERION_FIELDS = [
    ("text", Criterion._meta.get_field("text")),
    ("documentation", Criterion._meta.get_field("documentation")),
    ("guidance", Criterion._meta.get_field("guidance")),
]
VERSION_FIELDS = ["title", "statement", "scope"]


def _field_changes(old, new, names, language: str = CONTENT_LANGUAGE) -> list[FieldChange]:
    """The fields whose Danish text (the adopted one) changed, each as a word diff.

    For a reader in another language, the diff is of the translations when both
    versions have one and it changed too; otherwise of the Danish text, marked Danish.
    """
    out = []
    for name in names:
        before, after = getattr(old, name) or "", getattr(new, name) or ""
        if before != after:
            label = str(type(new)._meta.get_field(name).verbose_name)
            lang = CONTENT_LANGUAGE
            if (
                language != CONTENT_LANGUAGE
                and has_translation(old, name, language)
                and has_translation(new, name, language)
            ):
                translated_before, translated_after = (
                    getattr(old, f"{name}_{language}"),
                    getattr(new, f"{name}_{language}"),
                )
                if translated_before != translated_after:
                    before, after, lang = translated_before, translated_after, language
            out.append(FieldChange(name, label, word_diff(before, after), lang))
    return out


def compare(
    old: GoalVersion,
    new: GoalVersion,
    old_criteria: list[Criterion],
    new_criteria: list[Criterion],
    language: str | None = None,
) -> dict:
    """Criteria matched by number: added, removed, changed (with word diffs) or unchanged, in the reader's language
    where both versions have it (see ``_field_changes``)."""
    language = reading_language(language)
    before = {c.number: c for c in old_criteria}
    after = {c.number: c for c in new_criteria}
    rows: list[CriterionChange] = []
    for criterion in new_criteria:
        previous = before.get(criterion.number)
        if previous is None:
            rows.append(CriterionChange(criterion.number, "added", None, criterion))
            continue
        changes = _field_changes(previous, criterion, [n for n, _ in CRITERION_FIELDS], language)
        if previous.kind != criterion.kind:
            changes.insert(
                0,
                FieldChange(
                    "kind",
                    str(Criterion._meta.get_field("kind").verbose_name),
                    word_diff(previous.get_kind_display(), criterion.get_kind_display()),
                    page_language(),  # the kind's label is the interface's
                ),
            )
        rows.append(
            CriterionChange(criterion.number, "changed" if changes else "unchanged", previous, criterion, changes)
        )
    for criterion in old_criteria:
        if criterion.number not in after:
            rows.append(CriterionChange(criterion.number, "removed", criterion, None))
    rows.sort(key=lambda r: _number_key(r.number))
    return {
        "version_changes": _field_changes(old, new, VERSION_FIELDS, language),
        "criteria": rows,
        "counts": {s: sum(1 for r in rows if r.status == s) for s in ("added", "removed", "changed", "unchanged")},
    }


def _number_key(number: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", number)]
