"""The open-data files: goals in force with their criteria, as JSON and CSV.

Field names are stable and documented in docs/open-data.md; add fields, never rename them.
The unsuffixed text fields are the Danish, adopted text; the JSON carries the
English version beside each (``title_en`` …, null when none is entered), and the
CSV comes in a Danish edition (the default) and an English one (``?language=en``:
English where entered, the Danish otherwise, with a ``language`` column saying which).
Built from plain rows (no model instances) in a fixed number of queries, and
cached under the catalogue's ETag, so a file is rebuilt only when a version is
published, superseded, withdrawn or translated (every such change saves the
version, and the ETag follows its ``updated_at``).
"""

import csv
import io
import json
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.spreadsheet import neutralise
from core.translated import CONTENT_LANGUAGE, TRANSLATION_LANGUAGES, has_translation, translated

from .models import CpvCode, Criterion, GoalVersion

LANGUAGES = (CONTENT_LANGUAGE, *TRANSLATION_LANGUAGES)
"""The languages of the content: Danish (adopted, unsuffixed fields) and the translations."""

CSV_FIELDS = [
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
    "language",
]

GENERATION_KEY = "open-data:generation"


def generation() -> int:
    """A counter that reference-data loads bump: names, slugs and CPV codes in the files may have changed."""
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def generation_bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


VERSION_FIELDS = (
    "pk",
    "goal_id",
    "goal__number",
    "goal__slug",
    "goal__product_area_id",
    "goal__product_area__slug",
    "goal__product_area__name_da",
    "goal__product_area__name_en",
    "number",
    "title",
    "effective_date",
    "adopted_on",
    "statement",
    "scope",
    "transition_note",
    "change_note",
    *(f"{name}_en" for name in GoalVersion.translated_fields),
)

CRITERION_FIELDS = (
    "pk",
    "version_id",
    "number",
    "kind",
    "text",
    "documentation",
    "ambition",
    "guidance",
    *(f"{name}_en" for name in Criterion.translated_fields),
)


def _iso(value):
    return value.isoformat() if value else None


def _english(row, field):
    """The English version of a text field, or None when none is entered (the JSON's ``<field>_en``)."""
    return row[f"{field}_en"] if has_translation(row, field, "en") else None


def _with_english(row, fields, out):
    """``out`` with ``<field>_en`` after each ``<field>``, keeping the order of the documented fields."""
    result = {}
    for key, value in out.items():
        result[key] = value
        if key in fields:
            result[f"{key}_en"] = _english(row, key)
    return result


def csv_language(value: str | None) -> str | None:
    """The CSV edition asked for by ``?language=``: Danish when not given, None when unknown."""
    code = (value or CONTENT_LANGUAGE).strip().lower() or CONTENT_LANGUAGE
    return code if code in LANGUAGES else None


def _rows():
    """Everything the files carry, as plain rows: six queries whatever the size."""
    versions = list(
        GoalVersion.objects.filter(status=GoalVersion.Status.PUBLISHED).order_by("goal__number").values(*VERSION_FIELDS)
    )
    ids = [v["pk"] for v in versions]
    criteria = defaultdict(list)
    for c in (
        Criterion.objects.filter(version_id__in=ids)
        .order_by("version_id", "position", "number")
        .values(*CRITERION_FIELDS)
    ):
        criteria[c["version_id"]].append(c)
    criterion_labels = defaultdict(list)
    for criterion_id, slug in (
        Criterion.ecolabels.through.objects.filter(criterion__version_id__in=ids)
        .order_by("ecolabel__name_da")
        .values_list("criterion_id", "ecolabel__slug")
    ):
        criterion_labels[criterion_id].append(slug)
    version_labels = defaultdict(list)
    for version_id, slug, name, name_da in (
        GoalVersion.ecolabels.through.objects.filter(goalversion_id__in=ids)
        .order_by("ecolabel__name_da")
        .values_list("goalversion_id", "ecolabel__slug", "ecolabel__name", "ecolabel__name_da")
    ):
        version_labels[version_id].append({"slug": slug, "name": name, "name_da": name_da})
    targets = defaultdict(list)
    for version_id, code in (
        GoalVersion.sdg_targets.through.objects.filter(goalversion_id__in=ids)
        .order_by("sdgtarget__goal", "sdgtarget__code")
        .values_list("goalversion_id", "sdgtarget__code")
    ):
        targets[version_id].append(code)
    cpv = defaultdict(list)
    for area_id, code in CpvCode.objects.order_by("code").values_list("area_id", "code"):
        cpv[area_id].append(code)
    history = defaultdict(list)
    for goal_id, number, status, effective in (
        GoalVersion.objects.filter(GoalVersion.public_q(), goal_id__in=[v["goal_id"] for v in versions])
        .order_by("goal_id", "-number")
        .values_list("goal_id", "number", "status", "effective_date")
    ):
        history[goal_id].append((number, status, effective))
    return versions, criteria, criterion_labels, version_labels, targets, cpv, history


class _Urls:
    """Absolute URLs built from one reversed pattern, not one reverse() per goal."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/").rstrip("/")
        self.goal = reverse("goals:goal-detail", kwargs={"number": 1, "slug": "x"})
        self.version = reverse("goals:version-detail", kwargs={"number": 1, "slug": "x", "version": 2})
        self.pdf = reverse("goals:version-pdf", kwargs={"number": 1, "slug": "x", "version": 2})

    def _fill(self, pattern, number, slug, version=None):
        path = pattern.replace("/1-x/", f"/{number}-{slug}/", 1)
        if version is not None:
            path = path.replace("/versions/2/", f"/versions/{version}/", 1)
        return self.base + path

    def goal_url(self, number, slug):
        return self._fill(self.goal, number, slug)

    def version_url(self, number, slug, version):
        return self._fill(self.version, number, slug, version)

    def pdf_url(self, number, slug, version):
        return self._fill(self.pdf, number, slug, version)


def goals_document(*, request) -> dict:
    versions, criteria, criterion_labels, version_labels, targets, cpv, history = _rows()
    urls = _Urls(request)
    goals = []
    for v in versions:
        number, slug = v["goal__number"], v["goal__slug"]
        goal = {
            "number": number,
            "slug": slug,
            "title": v["title"],
            "version": v["number"],
            "status": "in_force",
            "effective_date": _iso(v["effective_date"]),
            "adopted_on": _iso(v["adopted_on"]),
            "statement": v["statement"],
            "scope": v["scope"],
            "transition_note": v["transition_note"],
            "change_note": v["change_note"],
            "product_area": {
                "slug": v["goal__product_area__slug"],
                "name_da": v["goal__product_area__name_da"],
                "name_en": v["goal__product_area__name_en"],
                "cpv_codes": cpv[v["goal__product_area_id"]],
            },
            "ecolabels": version_labels[v["pk"]],
            "sdg_targets": targets[v["pk"]],
            "url": urls.goal_url(number, slug),
            "version_url": urls.version_url(number, slug, v["number"]),
            "pdf_url": urls.pdf_url(number, slug, v["number"]),
            "versions": [
                {
                    "version": n,
                    "status": "in_force" if status == GoalVersion.Status.PUBLISHED else status,
                    "effective_date": _iso(effective),
                    "url": urls.version_url(number, slug, n),
                }
                for n, status, effective in history[v["goal_id"]]
            ],
            "criteria": [
                _with_english(
                    c,
                    Criterion.translated_fields,
                    {
                        "number": c["number"],
                        "kind": c["kind"],
                        "text": c["text"],
                        "documentation": c["documentation"],
                        "ecolabels": criterion_labels[c["pk"]],
                        "ambition": c["ambition"] or None,
                        "guidance": c["guidance"],
                    },
                )
                for c in criteria[v["pk"]]
            ],
        }
        goals.append(_with_english(v, GoalVersion.translated_fields, goal))
    return {
        "publisher": settings.POGI_AUTHORITY["name"],
        "dataset": "POGI purchasing goals in force",
        "licence": settings.POGI_OPEN_DATA_LICENCE,
        "documentation": urls.base + reverse("open-data"),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "languages": list(LANGUAGES),
        "goals": goals,
    }


def goals_json(*, request) -> bytes:
    return json.dumps(goals_document(request=request), ensure_ascii=False, indent=1).encode("utf-8")


def _row_language(texts) -> str:
    """The ``language`` cell: the languages of a row's non-empty text cells, sorted ("da", "en" or "da,en")."""
    return ",".join(sorted({text.lang for text in texts if text})) or CONTENT_LANGUAGE


def goals_csv(*, request, language: str = CONTENT_LANGUAGE) -> bytes:
    """One row per criterion; ``language="en"``: the English text where entered, the Danish otherwise."""
    versions, criteria, criterion_labels, _labels, _targets, cpv, _history = _rows()
    urls = _Urls(request)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # BOM: Excel opens æøå correctly
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for v in versions:  # every cell through neutralise: a criterion text starting with "=" stays text
        goal_url = urls.goal_url(v["goal__number"], v["goal__slug"])
        codes = ";".join(cpv[v["goal__product_area_id"]])
        title = translated(v, "title", language)
        for c in criteria[v["pk"]]:
            text, documentation, guidance = (translated(c, name, language) for name in Criterion.translated_fields)
            row = [
                v["goal__number"],
                v["goal__slug"],
                str(title),
                v["goal__product_area__slug"],
                codes,
                v["number"],
                _iso(v["effective_date"]),
                c["number"],
                c["kind"],
                str(text),
                str(documentation),
                ";".join(criterion_labels[c["pk"]]),
                c["ambition"],
                str(guidance),
                goal_url,
                _row_language((title, text, documentation, guidance)),
            ]
            writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")
