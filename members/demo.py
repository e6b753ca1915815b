"""Demo data for members: the partnership's known members (all verified), a few in transition, one pending
application, one received application whose signed form waits for the secretariat's check, and one account per
role. Idempotent: running it again changes nothing."""

import re
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from . import reference, services
from .models import Organisation, Representative, User

DEMO_PASSWORD = "gron-demo-2026"
# A fixed secret so the demo secretariat account can be added to any authenticator app.
DEMO_TOTP_SECRET = "POGIDEMOPOGIDEMOPOGIDEMOPOGIDEMO"

ACCOUNTS = [
    # email, name, role label, organisation code or None, position, steering group
    ("sekretariat@pogi.example", "Mette Sørensen", "secretariat", None, None, False),
    ("styregruppe@aarhus.example", "Anders Holm", "steering-group member", "751", "primary", True),
    ("arbejdsgruppe@odense.example", "Louise Kjær", "working-group member", "461", "specialist", False),
    ("indkoeb@kk.example", "Jonas Bech", "member representative", "101", "primary", False),
    ("indkoeb@roskilde.example", "Sofie Lund", "member representative", "265", "primary", False),
]

NEW_MEMBERS = [
    # code, contact name, contact email, months since joining
    ("630", "Karen Vestergaard", "indkoeb@vejle.example", 3),
    ("615", "Peter Mikkelsen", "indkoeb@horsens.example", 8),
    ("561", "Hanne Iversen", "indkoeb@esbjerg.example", 14),
]

PENDING = {
    "name": "Nordkystens Forsyning (demo)",
    "kind": Organisation.Kind.OTHER,
    "cvr": "12345678",
    "contact_name": "Rasmus Friis",
    "contact_email": "indkoeb@nordkyst.example",
    "policy": "https://nordkyst.example/indkoebspolitik",
    "motivation": "Vi køber ind for ca. 400 mio. kr. om året inden for bygge- og anlæg, transport, IT og rengøring.",
}

RECEIVED = {
    "code": "707",
    "contact_name": "Mikkel Dahl",
    "contact_email": "indkoeb@norddjurs.example",
    "policy": "https://norddjurs.example/indkoebspolitik",
}

KIND_FROM_CSV = {
    "municipality": Organisation.Kind.MUNICIPALITY,
    "region": Organisation.Kind.REGION,
    "state": Organisation.Kind.STATE,
}


def minimal_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a signed enrolment form."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _pdf_upload(title: str) -> ContentFile:
    return ContentFile(minimal_pdf(title), name="indmeldelsesblanket.pdf")


def _organisation_for(row: dict) -> Organisation:
    code = row["code"].strip()
    if code:
        return Organisation.objects.get(country="DK", official_code=code)
    name = row["name"].split("(")[0].split(" / ")[0].strip()
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    kind = KIND_FROM_CSV.get(row["type"], Organisation.Kind.OTHER)
    return services.organisation_create(name=name, kind=kind)


def _joined_on(row: dict, index: int) -> date:
    found = re.search(r"(19|20)\d{2}", row["note"])
    if found:
        return date(int(found.group(0)), 1, 1)
    # The sources give no date: spread the demo members over the partnership's years.
    return date(2008 + (index * 3) % 13, 1, 1)


@transaction.atomic
def secretariat_account(user) -> None:
    """A daily secretariat account: no superuser and no admin, which are the break-glass
    administrator's (``manage.py createbreakglassadmin``). Mends an account an older demo made."""
    if not user.is_secretariat or user.is_staff or user.is_superuser:
        user.is_secretariat = True
        user.is_staff = False
        user.is_superuser = False
        user.save(update_fields=["is_secretariat", "is_staff", "is_superuser"])


def _secretariat_user() -> User:
    """The demo secretariat account (made here if the accounts below are not made yet)."""
    email, name = ACCOUNTS[0][0], ACCOUNTS[0][1]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
    secretariat_account(user)
    return user


def load(stdout=None) -> list[tuple[str, str, str]]:
    reference.load()
    today = timezone.localdate()

    for index, row in enumerate(reference.read_csv("pogi_members_evidence.csv")):
        if "NOT verified" in row["note"]:
            continue
        organisation = _organisation_for(row)
        if not organisation.memberships.exists():
            services.membership_register_existing(organisation=organisation, joined_on=_joined_on(row, index))
        if not organisation.procurement_policy_url:
            organisation.procurement_policy_url = f"https://{organisation.slug}.example/indkoebspolitik"
            organisation.save(update_fields=["procurement_policy_url"])

    for code, contact, email, months in NEW_MEMBERS:
        organisation = Organisation.objects.get(country="DK", official_code=code)
        if organisation.memberships.exists():
            continue
        membership = services.membership_apply(
            organisation=organisation,
            contact_name=contact,
            contact_email=email,
            procurement_policy_url=f"https://{organisation.slug}.example/indkoebspolitik",
            enrolment_form=_pdf_upload(f"Indmeldelsesblanket {organisation.name}"),
        )
        # A member only once the secretariat has checked the signed form.
        membership = services.membership_verify_by_secretariat(membership=membership, by=_secretariat_user())
        joined = today - timedelta(days=30 * months)
        membership.joined_on = joined
        membership.applied_at = timezone.now() - timedelta(days=30 * months)
        membership.transition_until = services.transition_end(joined)
        membership.save(update_fields=["joined_on", "applied_at", "transition_until"])

    if not Organisation.objects.filter(name=PENDING["name"]).exists():
        organisation = services.organisation_create(name=PENDING["name"], kind=PENDING["kind"], cvr=PENDING["cvr"])
        services.membership_apply(
            organisation=organisation,
            contact_name=PENDING["contact_name"],
            contact_email=PENDING["contact_email"],
            procurement_policy_url=PENDING["policy"],
            enrolment_form=_pdf_upload(f"Ansogning {PENDING['name']}"),
            motivation=PENDING["motivation"],
        )

    # A municipality's application on the secretariat's desk: received, its signed form not yet checked.
    organisation = Organisation.objects.get(country="DK", official_code=RECEIVED["code"])
    if not organisation.memberships.exists():
        services.membership_apply(
            organisation=organisation,
            contact_name=RECEIVED["contact_name"],
            contact_email=RECEIVED["contact_email"],
            procurement_policy_url=RECEIVED["policy"],
            enrolment_form=_pdf_upload(f"Indmeldelsesblanket {organisation.name}"),
        )

    accounts = []
    for email, name, role, code, position, steering in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if role == "secretariat":
            secretariat_account(user)
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        elif not Representative.objects.filter(user=user).exists():
            organisation = Organisation.objects.get(country="DK", official_code=code)
            Representative.objects.create(
                user=user, organisation=organisation, position=position, steering_group=steering
            )
        accounts.append((role, email, DEMO_PASSWORD))
    return accounts
