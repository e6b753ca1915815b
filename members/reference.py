"""Reference data for members: the Danish regions and municipalities with their official codes.

The CSV files in members/reference/ keep the source of every row; loading is
idempotent (update_or_create on the official code). ``email_domains_dk.csv``
holds the official email domain of the municipalities and regions whose domain
is known for certain, each with the organisation's own website it comes from;
an applicant with an address there confirms the application by a link.
"""

import csv
from pathlib import Path

from django.db import transaction

from .models import Organisation, Region

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"

# Official names where "<name> Kommune" is not the form in use.
MUNICIPALITY_NAMES = {
    "101": "Københavns Kommune",
    "400": "Bornholms Regionskommune",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def municipality_name(code: str, name: str) -> str:
    return MUNICIPALITY_NAMES.get(code, f"{name} Kommune")


@transaction.atomic
def load() -> dict[str, int]:
    domains = email_domains()
    regions = {}
    for row in read_csv("regions_dk.csv"):
        region = _sync(Region, {"code": row["code"]}, {"name": row["name"], "nuts2": row["nuts2"]})
        regions[region.code] = region
        domain = domains.get((Organisation.Kind.REGION, row["code"]), "")
        _sync_organisation(Organisation.Kind.REGION, row["code"], row["name"], region, domain)
    municipalities = 0
    for row in read_csv("municipalities_dk.csv"):
        name = municipality_name(row["code"], row["name"])
        domain = domains.get((Organisation.Kind.MUNICIPALITY, row["code"]), "")
        _sync_organisation(Organisation.Kind.MUNICIPALITY, row["code"], name, regions[row["region_code"]], domain)
        municipalities += 1
    return {"regions": len(regions), "municipalities": municipalities, "email_domains": len(domains)}


def email_domains() -> dict[tuple[str, str], str]:
    """(kind, official code) → official email domain, from email_domains_dk.csv."""
    return {(row["kind"], row["code"]): row["domain"].strip().lower() for row in read_csv("email_domains_dk.csv")}


def _sync(model, lookup: dict, values: dict):
    """Create the row, or update it only where it differs (so a re-run writes no history)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return obj


def _sync_organisation(kind: str, code: str, name: str, region: Region, email_domain: str = "") -> Organisation:
    lookup = {"country": "DK", "kind": kind, "official_code": code}
    if not Organisation.objects.filter(**lookup).exists():
        return Organisation.objects.create(
            **lookup, name=name, region=region, slug=_slug(name), email_domain=email_domain
        )
    return _sync(Organisation, lookup, {"name": name, "region": region, "email_domain": email_domain})


def _slug(name: str) -> str:
    from .services import _unique_slug

    return _unique_slug(name)
