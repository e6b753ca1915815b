"""Reference data for goals: product areas with CPV codes, ecolabels and UN SDG targets.

Loaded from the CSV files in goals/reference/ (each row keeps its source);
idempotent — a re-run changes only what differs.
"""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from members.reference import _sync

from .models import CpvCode, Ecolabel, ProductArea, SdgTarget

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ecolabel_slug(name: str) -> str:
    return slugify(name)


@transaction.atomic
def load() -> dict[str, int]:
    areas = 0
    for row in read_csv("product_areas.csv"):
        area = _sync(ProductArea, {"slug": row["slug"]}, {"name_da": row["name_da"], "name_en": row["name_en"]})
        for entry in row["cpv_codes"].split(";"):
            code, _, description = entry.strip().partition(" ")
            _sync(CpvCode, {"area": area, "code": code}, {"description": description})
        areas += 1
    labels = 0
    for row in read_csv("ecolabels.csv"):
        url = row["url"].split(";")[0].strip()
        _sync(
            Ecolabel,
            {"slug": ecolabel_slug(row["name"])},
            {
                "name": row["name"],
                "name_da": row["name_da"],
                "kind": row["type"][:200],
                "issuer": row["issuer_owner"][:300],
                "scope": row["scope_note"][:300],
                "url": url,
                "source": row["source"],
            },
        )
        labels += 1
    targets = 0
    for row in read_csv("sdg_targets.csv"):
        _sync(
            SdgTarget,
            {"code": row["target"]},
            {"goal": int(row["goal"]), "text": row["official_text"], "relevance": row["gpp_relevance_note"][:300]},
        )
        targets += 1
    from .opendata import generation_bump

    transaction.on_commit(generation_bump)
    return {"product_areas": areas, "ecolabels": labels, "sdg_targets": targets}
