"""Writes for members: memberships, representatives, invitations, organisation profiles.

Every function validates before it saves, runs in a transaction and refuses an
illegal transition with a ValidationError whose message is shown to the user.
"""

import secrets
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history
from core.dates import add_months as _add_months
from core.enqueue import enqueue
from core.text import ascii_slug, unique_slug
from core.uploads import validate_pdf

from .models import OPEN_STATUSES, Invitation, Membership, Organisation, Region, Representative, User, hash_token

VERIFICATION_SALT = "members.membership-verify-email"


def transition_end(start: date) -> date:
    return _add_months(start, settings.POGI_TRANSITION_MONTHS)


def _unique_slug(name: str) -> str:
    base = ascii_slug(name, max_length=200) or "organisation"
    return unique_slug(base, taken=lambda slug: Organisation.objects.filter(slug=slug).exists())


@transaction.atomic
def organisation_create(
    *,
    name: str,
    kind: str,
    country: str = Organisation.Country.DK,
    official_code: str = "",
    cvr: str = "",
    registry_number: str = "",
    website: str = "",
    procurement_policy_url: str = "",
    region: Region | None = None,
    created_by: User | None = None,
) -> Organisation:
    """Create an organisation (state and other public bodies, Nordic organisations)."""
    organisation = Organisation(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        country=country,
        official_code=official_code,
        cvr=cvr,
        registry_number=registry_number,
        website=website,
        procurement_policy_url=procurement_policy_url,
        region=region,
    )
    organisation.full_clean()
    history.by(organisation, created_by).save()
    return organisation


# Mail services anyone can sign up to: an address there proves nothing about an organisation.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.dk",
        "outlook.com",
        "outlook.dk",
        "live.com",
        "live.dk",
        "msn.com",
        "yahoo.com",
        "yahoo.dk",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.dk",
        "jubii.dk",
        "sol.dk",
        "ofir.dk",
        "email.dk",
        "privat.dk",
        "webspeed.dk",
        "stofanet.dk",
        "get2net.dk",
        "tdcadsl.dk",
        "yandex.com",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "online.no",
        "hotmail.se",
        "telia.com",
    }
)


@transaction.atomic
def organisation_email_domain_set(*, organisation: Organisation, email_domain: str, by: User) -> Organisation:
    """The secretariat sets or clears the organisation's official email domain (reference data, kept in history)."""
    if not by.is_secretariat:
        raise ValidationError(_("Only the secretariat can change an organisation's official email domain."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.email_domain = email_domain.strip().lower().removeprefix("@")
    if organisation.email_domain in PUBLIC_MAIL_DOMAINS:
        raise ValidationError(
            _("%(domain)s is a public email service that anyone can use, not an organisation's own domain.")
            % {"domain": organisation.email_domain}
        )
    organisation.full_clean()
    history.by(organisation, by).save()
    return organisation


PROFILE_FIELDS = ("website", "procurement_policy_url", "cvr", "purchasing_volume_dkk", "description")


@transaction.atomic
def organisation_profile_update(*, organisation: Organisation, by: User, **fields: Any) -> Organisation:
    """Update the public profile a representative keeps (never the name, kind or code)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    history.by(organisation, by).save()
    return organisation


def _open_membership(organisation: Organisation) -> Membership | None:
    return organisation.memberships.filter(status__in=OPEN_STATUSES).first()


@transaction.atomic
def membership_apply(
    *,
    organisation: Organisation,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    contact_title: str = "",
    procurement_policy_url: str,
    enrolment_form: "File[bytes]",
    motivation: str = "",
) -> Membership:
    """Record an application for membership; nothing public changes and nobody is invited yet.

    A municipality or region is ``received`` until its applicant is verified
    (``membership_verify_by_secretariat`` or ``membership_verify_by_email``);
    when the contact's address is on the organisation's official email domain,
    a confirmation link is sent to it after commit. Any other public body is
    ``applied`` and waits for the steering group's decision. The procurement
    policy given is kept on the membership, not on the organisation.
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    existing = _open_membership(organisation)
    if existing is not None:
        if existing.status == Membership.Status.ACTIVE:
            raise ValidationError(_("%(name)s is already a member of the partnership.") % {"name": organisation})
        raise ValidationError(_("%(name)s already has an application waiting for a decision.") % {"name": organisation})
    if not procurement_policy_url:
        raise ValidationError(_("A public procurement policy is required for membership."))
    validate_pdf(enrolment_form)

    membership = Membership(
        organisation=organisation,
        status=Membership.Status.RECEIVED if organisation.needs_no_approval else Membership.Status.APPLIED,
        applied_at=timezone.now(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        contact_phone=contact_phone.strip(),
        contact_title=contact_title.strip(),
        motivation=motivation.strip(),
        procurement_policy_url=procurement_policy_url,
        enrolment_form_name=getattr(enrolment_form, "name", "")[:255],
    )
    membership.enrolment_form.save("form.pdf", enrolment_form, save=False)
    membership.full_clean()
    try:
        with transaction.atomic():
            history.by(membership, None).save()
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s already has an open membership.") % {"name": organisation}) from exc
    if membership.status == Membership.Status.RECEIVED and organisation.is_official_email(membership.contact_email):
        from .tasks import membership_verification_email_send

        membership_id = membership.pk
        transaction.on_commit(lambda: enqueue(membership_verification_email_send, membership_id))
    return membership


def _activate(membership: Membership, *, by: User | None, method: str) -> None:
    """Start a verified membership: active from today in transition, the policy made public, the contact invited."""
    organisation = membership.organisation
    now = timezone.now()
    today = timezone.localdate(now)
    membership.status = Membership.Status.ACTIVE
    membership.joined_on = today
    membership.transition_until = transition_end(today)
    if membership.verified_at is None:
        membership.verified_at = now
        membership.verified_by = by
        membership.verification_method = method
    membership.full_clean()
    history.by(membership, by).save()
    if membership.procurement_policy_url and membership.procurement_policy_url != organisation.procurement_policy_url:
        organisation.procurement_policy_url = membership.procurement_policy_url
        organisation.full_clean()
        history.by(organisation, by).save()
    _invite_contact(membership, invited_by=by)


def _lock_received(membership: Membership) -> Membership:
    membership = _lock(membership)
    if membership.status != Membership.Status.RECEIVED:
        raise ValidationError(
            _("Only a received application can be verified; this membership is %(status)s.")
            % {"status": membership.get_status_display().lower()}
        )
    return membership


@transaction.atomic
def membership_verify_by_secretariat(*, membership: Membership, by: User) -> Membership:
    """The secretariat has checked the signed form of a received application: the membership starts.

    Records who checked and when; the organisation's procurement policy becomes the
    one applied with, and the contact is invited as primary representative.
    """
    if not by.is_secretariat:
        raise ValidationError(_("Only the secretariat can record the check of a signed form."))
    membership = _lock_received(membership)
    _activate(membership, by=by, method=Membership.Verification.SECRETARIAT)
    return membership


def membership_verification_token(*, membership: Membership) -> str:
    """The signed, expiring token in the confirmation link to the contact's official address."""
    return signing.dumps({"m": membership.pk, "e": membership.contact_email}, salt=VERIFICATION_SALT, compress=True)


def membership_verification_membership(*, token: str) -> Membership | None:
    """The received application a confirmation link is for, or None when the link is bad, expired or used."""
    payload = _verification_payload(token)
    if payload is None:
        return None
    membership = (
        Membership.objects.select_related("organisation").filter(pk=payload["m"], status=Membership.Status.RECEIVED)
    ).first()
    if membership is None or not _link_matches(membership, payload["e"]):
        return None
    return membership


def _verification_payload(token: str) -> dict[str, Any] | None:
    try:
        payload = signing.loads(token, salt=VERIFICATION_SALT, max_age=settings.POGI_VERIFICATION_LINK_HOURS * 3600)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int) or not isinstance(payload.get("e"), str):
        return None
    return payload


def _link_matches(membership: Membership, email: str) -> bool:
    return email == membership.contact_email and membership.organisation.is_official_email(email)


@transaction.atomic
def membership_verify_by_email(*, token: str) -> Membership:
    """The contact followed the link sent to their official address: the membership starts.

    The link is signed, expires after ``POGI_VERIFICATION_LINK_HOURS`` and works once
    (afterwards the application is no longer received); it must be for the
    application's own contact address, on the organisation's official domain as it
    stands now.
    """
    payload = _verification_payload(token)
    refused = ValidationError(
        _("This confirmation link cannot be used: it has expired, has been used or is not valid.")
    )
    if payload is None:
        raise refused
    membership = Membership.objects.filter(pk=payload["m"]).first()
    if membership is None:
        raise refused
    membership = _lock(membership)
    if membership.status != Membership.Status.RECEIVED or not _link_matches(membership, payload["e"]):
        raise refused
    _activate(membership, by=None, method=Membership.Verification.EMAIL)
    return membership


def membership_verification_email_deliver(*, membership_id: int) -> bool:
    """Email the confirmation link once, and only while the application waits and the address is official."""
    from .emails import membership_verification_email_send

    membership = Membership.objects.select_related("organisation").filter(pk=membership_id).first()
    if (
        membership is None
        or membership.status != Membership.Status.RECEIVED
        or membership.verification_email_sent_at is not None
        or not membership.organisation.is_official_email(membership.contact_email)
    ):
        return False
    membership_verification_email_send(
        membership=membership, token=membership_verification_token(membership=membership)
    )
    Membership.objects.filter(pk=membership.pk, verification_email_sent_at=None).update(
        verification_email_sent_at=timezone.now()
    )
    return True


def _invite_contact(membership: Membership, *, invited_by: User | None) -> Invitation | None:
    organisation = membership.organisation
    if not membership.contact_email or organisation.representatives.filter(position="primary").exists():
        return None
    return invitation_create(
        organisation=organisation,
        email=membership.contact_email,
        name=membership.contact_name,
        position=Representative.Position.PRIMARY,
        steering_group=False,
        invited_by=invited_by,
    )


def _lock(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)


@transaction.atomic
def membership_approve(*, membership: Membership, decided_by: User, reason: str = "") -> Membership:
    """The steering group approved a pending application: the body becomes an active member in transition.

    Recording the decision is also the secretariat's check of the signed form (verified by ``decided_by``).
    """
    membership = _lock(membership)
    if membership.status != Membership.Status.APPLIED:
        raise ValidationError(
            _("Only a pending application can be approved; this membership is %(status)s.")
            % {"status": membership.get_status_display().lower()}
        )
    membership.decided_at = timezone.now()
    membership.decided_by = decided_by
    membership.decision_reason = reason.strip()
    # The secretariat records the steering group's decision and has checked the signed form with it.
    _activate(membership, by=decided_by, method=Membership.Verification.SECRETARIAT)
    return membership


@transaction.atomic
def membership_reject(*, membership: Membership, decided_by: User, reason: str) -> Membership:
    """A pending application is rejected (by the steering group), or a received one whose signed form is not genuine.

    The reason is required and kept; nothing public was changed, so nothing is undone.
    """
    membership = _lock(membership)
    if membership.status not in (Membership.Status.APPLIED, Membership.Status.RECEIVED):
        raise ValidationError(
            _("Only a pending application can be rejected; this membership is %(status)s.")
            % {"status": membership.get_status_display().lower()}
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for rejecting the application."))
    membership.status = Membership.Status.REJECTED
    membership.decided_at = timezone.now()
    membership.decided_by = decided_by
    membership.decision_reason = reason.strip()
    membership.full_clean()
    history.by(membership, decided_by).save()
    return membership


@transaction.atomic
def membership_withdraw(*, membership: Membership, by: User, reason: str = "", on: date | None = None) -> Membership:
    """An active member leaves the partnership. Its history and representatives are kept."""
    membership = _lock(membership)
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only an active member can withdraw."))
    withdrawn_on = on or timezone.localdate()
    if membership.joined_on and withdrawn_on < membership.joined_on:
        raise ValidationError(_("The withdrawal date cannot be before the date the membership began."))
    membership.status = Membership.Status.WITHDRAWN
    membership.withdrawn_on = withdrawn_on
    membership.withdrawal_reason = reason.strip()
    membership.full_clean()
    history.by(membership, by).save()
    # Nobody can join a former member by a link sent before it left.
    for invitation in Invitation.objects.filter(
        organisation_id=membership.organisation_id, accepted_at=None, revoked_at=None
    ):
        invitation.revoked_at = timezone.now()
        history.by(invitation, by).save(update_fields=["revoked_at"])
    return membership


@transaction.atomic
def membership_transition_set(*, membership: Membership, until: date | None, by: User) -> Membership:
    """Move or end an active member's transition period (None or a past date ends it)."""
    membership = _lock(membership)
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only an active member has a transition period."))
    if until is not None and membership.joined_on and until < membership.joined_on:
        raise ValidationError(_("The transition period cannot end before the membership began."))
    membership.transition_until = until
    membership.full_clean()
    history.by(membership, by).save()
    return membership


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    name: str = "",
    position: str,
    steering_group: bool = False,
    invited_by: User | None,
) -> Invitation:
    """Invite a person to represent an organisation; the email is sent after commit.

    An earlier open invitation for the same address and organisation is revoked:
    inviting again sends a fresh link.
    """
    from .tasks import invitation_send

    email = email.strip().lower()
    rep = Representative.objects.filter(user__email__iexact=email).select_related("organisation").first()
    if rep is not None:
        if rep.organisation_id == organisation.pk:
            raise ValidationError(_("%(email)s already represents %(org)s.") % {"email": email, "org": organisation})
        raise ValidationError(
            _("%(email)s already represents another organisation; a person represents one organisation only.")
            % {"email": email}
        )
    _check_position_free(organisation, position, steering_group)
    now = timezone.now()
    for previous in Invitation.objects.filter(
        organisation=organisation, email=email, accepted_at=None, revoked_at=None
    ):
        previous.revoked_at = now
        history.by(previous, invited_by).save(update_fields=["revoked_at"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        name=name.strip(),
        position=position,
        steering_group=steering_group,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.POGI_INVITATION_DAYS),
    )
    invitation.full_clean()
    history.by(invitation, invited_by).save()
    transaction.on_commit(lambda: enqueue(invitation_send, invitation.pk, token))
    return invitation


def invitation_deliver(*, invitation_id: int, token: str) -> bool:
    """Email an open invitation's link once; a sent, accepted, revoked or expired invitation is not sent again."""
    from .emails import invitation_email_send

    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at is not None or not invitation.is_open:
        return False
    invitation_email_send(invitation=invitation, token=token)
    Invitation.objects.filter(pk=invitation.pk, sent_at=None).update(sent_at=timezone.now())
    return True


def _check_position_free(organisation: Organisation, position: str, steering_group: bool) -> None:
    reps = organisation.representatives.all()
    if position in (Representative.Position.PRIMARY, Representative.Position.DEPUTY):
        taken = reps.filter(position=position).select_related("user").first()
        if taken is not None:
            raise ValidationError(
                _("%(org)s already has a %(position)s (%(who)s). Remove them first.")
                % {"org": organisation, "position": taken.get_position_display().lower(), "who": taken.user}
            )
    if steering_group:
        taken = reps.filter(steering_group=True).select_related("user").first()
        if taken is not None:
            raise ValidationError(
                _("%(org)s already has a steering-group representative (%(who)s).")
                % {"org": organisation, "who": taken.user}
            )


def invitation_get_open(*, token: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=hash_token(token)).first()
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Representative:
    """Make the user a representative as the invitation says and mark the email verified."""
    invitation = Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError(
            _("This invitation can no longer be used (%(state)s). Ask the secretariat for a new one.")
            % {"state": invitation.get_state_display().lower()}
        )
    if not invitation.organisation.memberships.filter(status=Membership.Status.ACTIVE).exists():
        raise ValidationError(
            _("%(org)s is not a member of the partnership now, so this invitation cannot be used.")
            % {"org": invitation.organisation}
        )
    if user.email.lower() != invitation.email:
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    if Representative.objects.filter(user=user).exists():  # a former member's too: the role is one-to-one
        raise ValidationError(_("You already represent an organisation; a person represents one organisation only."))
    _check_position_free(invitation.organisation, invitation.position, invitation.steering_group)
    rep = Representative(
        user=user,
        organisation=invitation.organisation,
        position=invitation.position,
        steering_group=invitation.steering_group,
    )
    rep.full_clean()
    history.by(rep, user).save()
    if invitation.name and not user.name:
        user.name = invitation.name
        user.save(update_fields=["name"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    history.by(invitation, user).save(update_fields=["accepted_at", "accepted_by"])
    # The person followed a link sent to this address: it is verified.
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return rep


@transaction.atomic
def invitation_accept_new_user(*, invitation: Invitation, name: str, password: str) -> Representative:
    """Create the account for an invited person who has none, and accept the invitation."""
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this email address exists. Sign in to accept the invitation."))
    user = User(email=invitation.email, name=name.strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return invitation_accept(invitation=invitation, user=user)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("An accepted invitation cannot be revoked; remove the representative instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        history.by(invitation, by).save(update_fields=["revoked_at"])
    return invitation


def invitations_expire() -> int:
    """Close invitations whose link has expired, so a new one can be sent. Idempotent."""
    now = timezone.now()
    return Invitation.objects.filter(accepted_at=None, revoked_at=None, expires_at__lte=now).update(revoked_at=now)


@transaction.atomic
def representative_remove(*, representative: Representative, by: User) -> None:
    """Remove a person as representative (their account stays; the history keeps who they were)."""
    history.by(representative, by)
    representative.delete()


@transaction.atomic
def membership_register_existing(
    *,
    organisation: Organisation,
    joined_on: date,
    transition_until: date | None = None,
    contact_name: str = "",
    contact_email: str = "",
    by: User | None = None,
) -> Membership:
    """Register a member that joined before the portal, from the secretariat's own records."""
    if _open_membership(organisation) is not None:
        raise ValidationError(_("%(name)s already has an open membership.") % {"name": organisation})
    membership = Membership(
        organisation=organisation,
        status=Membership.Status.ACTIVE,
        joined_on=joined_on,
        transition_until=transition_until,
        contact_name=contact_name,
        contact_email=contact_email,
        verified_at=timezone.now(),
        verified_by=by,
        verification_method=Membership.Verification.RECORDS,
    )
    membership.full_clean()
    history.by(membership, by).save()
    return membership
