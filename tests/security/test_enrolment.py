"""Security issue 13: taking over a municipality's membership through the public application form.

An application changes nothing public and invites nobody until the applicant is
verified: by the secretariat's recorded check of the signed form, or by a link
sent to an address on the organisation's official email domain.
"""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from core.uploads import validate_pdf
from members import services
from members.access import REPRESENTATIVE, roles_of
from members.demo import minimal_pdf
from members.models import Invitation, Membership, Organisation, User
from tests.conftest import reauthenticated
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ATTACKER = "attacker@evil.example"
GENUINE_POLICY = "https://www.aarhus.dk/indkoebspolitik"
ATTACKER_POLICY = "https://evil.example/policy"


def pdf_file(data: bytes | None = None, name: str = "blanket.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf("Indmeldelsesblanket") if data is None else data, "application/pdf")


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def aarhus(db) -> Organisation:
    return OrganisationFactory(
        name="Aarhus Kommune",
        kind=Organisation.Kind.MUNICIPALITY,
        official_code="751",
        email_domain="aarhus.dk",
        procurement_policy_url=GENUINE_POLICY,
    )


def form_data(organisation: Organisation, **overrides):
    data = {
        "applicant": "listed",
        "organisation": organisation.pk,
        "procurement_policy_url": ATTACKER_POLICY,
        "contact_name": "Mallory",
        "contact_email": ATTACKER,
        "enrolment_form": pdf_file(),
    }
    data.update(overrides)
    return data


def apply(organisation: Organisation, email: str = ATTACKER, policy: str = ATTACKER_POLICY) -> Membership:
    return services.membership_apply(
        organisation=organisation,
        contact_name="Mallory",
        contact_email=email,
        procurement_policy_url=policy,
        enrolment_form=pdf_file(),
    )


def confirmation_token(message) -> str:
    return re.search(r"/members/apply/confirm/([^/\s]+)/", message.body).group(1)


class TestTakeoverAttempt:
    def test_application_from_an_outside_address_changes_nothing_public(
        self, client, aarhus, django_capture_on_commit_callbacks
    ):
        # given Aarhus, not a member, with its own policy on its page
        # when someone applies for it with their own address and policy link
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("members:application-create"), form_data(aarhus))
        # then the application is only received
        assert response.status_code == 302
        membership = aarhus.memberships.get()
        assert membership.status == Membership.Status.RECEIVED
        assert membership.procurement_policy_url == ATTACKER_POLICY
        # and nothing public changed, nobody was invited or emailed
        aarhus.refresh_from_db()
        assert aarhus.procurement_policy_url == GENUINE_POLICY
        assert not Invitation.objects.exists()
        assert mail.outbox == []
        assert client.get(reverse("members:member-detail", kwargs={"slug": aarhus.slug})).status_code == 404
        assert "Aarhus Kommune" not in client.get(reverse("members:member-list")).text
        assert ATTACKER_POLICY not in client.get(reverse("members:member-list")).text
        assert "Aarhus Kommune" not in client.get(reverse("open-data")).text

    def test_secretariat_check_starts_the_membership_and_invites(
        self, client, aarhus, secretariat_user, django_capture_on_commit_callbacks
    ):
        # given a received application from a genuine contact off the official domain
        membership = apply(aarhus, email="indkoeb@aarhus-partner.example", policy="https://www.aarhus.dk/ny")
        client.force_login(secretariat_user)
        desk = client.get(reverse("members:secretariat-applications")).text
        assert "Aarhus Kommune" in desk
        # when the secretariat opens the one-click check and confirms it
        url = reverse("members:secretariat-application-verify", kwargs={"pk": membership.pk})
        assert client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        # then the membership starts, recorded with who and when, and the contact is invited
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE
        assert membership.verified_by == secretariat_user
        assert membership.verification_method == Membership.Verification.SECRETARIAT
        assert membership.verified_at is not None
        assert membership.history.filter(history_user=secretariat_user, status="active").exists()
        aarhus.refresh_from_db()
        assert aarhus.procurement_policy_url == "https://www.aarhus.dk/ny"
        assert Invitation.objects.get(organisation=aarhus).email == "indkoeb@aarhus-partner.example"
        assert [m.to for m in mail.outbox] == [["indkoeb@aarhus-partner.example"]]

    def test_only_the_secretariat_can_record_the_check(self, aarhus, rep_a):
        membership = apply(aarhus)
        with pytest.raises(ValidationError):
            services.membership_verify_by_secretariat(membership=membership, by=rep_a)
        membership.refresh_from_db()
        assert membership.status == Membership.Status.RECEIVED

    def test_a_received_application_can_be_rejected_without_a_decision(self, aarhus, secretariat_user, client):
        membership = apply(aarhus)
        client.force_login(secretariat_user)
        url = reverse("members:secretariat-application-detail", kwargs={"pk": membership.pk})
        client.post(url, {"reason": "Kommunen har ikke underskrevet blanketten."})
        membership.refresh_from_db()
        assert membership.status == Membership.Status.REJECTED
        aarhus.refresh_from_db()
        assert aarhus.procurement_policy_url == GENUINE_POLICY


class TestOfficialAddressLink:
    def test_link_to_an_official_address_starts_the_membership(
        self, client, aarhus, django_capture_on_commit_callbacks
    ):
        # given an application from an address on aarhus.dk
        with django_capture_on_commit_callbacks(execute=True):
            membership = apply(aarhus, email="Indkoeb@Aarhus.dk")
        # then a bilingual confirmation link is sent to it, and nothing else
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["indkoeb@aarhus.dk"]
        assert "Aarhus Kommune" in message.subject
        assert "Bekræft" in message.subject
        assert "Følg dette link" in message.body and "Follow this link" in message.body
        token = confirmation_token(message)
        assert membership.status == Membership.Status.RECEIVED
        # when the contact opens the link (a page; a link scanner's GET changes nothing) and confirms
        url = reverse("members:application-confirm", kwargs={"token": token})
        assert client.get(url).status_code == 200
        assert Membership.objects.get(pk=membership.pk).status == Membership.Status.RECEIVED
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
        # then the membership starts and the contact is invited
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.status == Membership.Status.ACTIVE
        assert membership.verification_method == Membership.Verification.EMAIL
        assert Invitation.objects.get(organisation=aarhus).email == "indkoeb@aarhus.dk"
        # and the link works once only
        assert client.post(url).status_code == 404
        with pytest.raises(ValidationError):
            services.membership_verify_by_email(token=token)

    def test_no_link_for_an_address_off_the_domain(self, aarhus, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            apply(aarhus, email="indkoeb@aarhus.dk.evil.example")
        assert mail.outbox == []

    def test_no_link_without_a_known_domain(self, django_capture_on_commit_callbacks):
        organisation = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY, email_domain="")
        with django_capture_on_commit_callbacks(execute=True):
            apply(organisation, email="indkoeb@kommune.dk")
        assert mail.outbox == []

    def test_a_link_for_another_address_is_refused(self, client, aarhus):
        # given the attacker's application, and a (forged) link for it naming an official address
        membership = apply(aarhus)
        forged = signing.dumps(
            {"m": membership.pk, "e": "indkoeb@aarhus.dk"}, salt=services.VERIFICATION_SALT, compress=True
        )
        own = services.membership_verification_token(membership=membership)  # the attacker's own address
        # then neither link starts the membership
        for token in (forged, own):
            assert client.post(reverse("members:application-confirm", kwargs={"token": token})).status_code == 404
            with pytest.raises(ValidationError):
                services.membership_verify_by_email(token=token)
        membership.refresh_from_db()
        assert membership.status == Membership.Status.RECEIVED

    def test_an_expired_link_is_refused(self, client, aarhus, settings, monkeypatch):
        membership = apply(aarhus, email="indkoeb@aarhus.dk")
        token = services.membership_verification_token(membership=membership)
        later = timezone.now().timestamp() + settings.POGI_VERIFICATION_LINK_HOURS * 3600 + 60
        monkeypatch.setattr(signing.time, "time", lambda: later)
        assert client.post(reverse("members:application-confirm", kwargs={"token": token})).status_code == 404
        membership.refresh_from_db()
        assert membership.status == Membership.Status.RECEIVED

    def test_a_tampered_link_is_refused(self, client, aarhus):
        membership = apply(aarhus, email="indkoeb@aarhus.dk")
        token = services.membership_verification_token(membership=membership)
        response = client.post(reverse("members:application-confirm", kwargs={"token": token[:-2] + "xx"}))
        assert response.status_code == 404


class TestReEnrolment:
    def test_withdrawn_member_re_enrols_the_same_way(self, client, aarhus, secretariat_user):
        # given a member that withdrew, its public page still holding its own policy
        former = MembershipFactory(organisation=aarhus)
        services.membership_withdraw(membership=former, by=secretariat_user)
        # when someone applies for it again
        response = client.post(reverse("members:application-create"), form_data(aarhus))
        # then the new application is received and the public data is untouched
        assert response.status_code == 302
        again = aarhus.memberships.get(status=Membership.Status.RECEIVED)
        aarhus.refresh_from_db()
        assert aarhus.procurement_policy_url == GENUINE_POLICY
        assert not Invitation.objects.exists()
        assert client.get(reverse("members:member-detail", kwargs={"slug": aarhus.slug})).status_code == 404
        # and only a verification starts it
        services.membership_verify_by_secretariat(membership=again, by=secretariat_user)
        aarhus.refresh_from_db()
        assert aarhus.procurement_policy_url == ATTACKER_POLICY


class TestWithdrawnRepresentatives:
    def test_withdrawn_members_representatives_lose_their_rights(self, client, org_a, rep_a, secretariat_user):
        # given organisation A's representative, with access to A's pages
        client.force_login(rep_a)
        edit = reverse("members:organisation-edit", kwargs={"slug": org_a.slug})
        assert client.get(edit).status_code == 200
        # when A withdraws
        services.membership_withdraw(membership=org_a.memberships.get(), by=secretariat_user)
        # then the representative holds no member role and A's pages are closed to them
        user = User.objects.get(pk=rep_a.pk)
        assert user.representative_or_none is None
        assert REPRESENTATIVE not in roles_of(user)
        assert client.get(edit).status_code == 403

    def test_an_invitation_sent_before_the_withdrawal_cannot_be_used(self, org_a, secretariat_user):
        invitation = services.invitation_create(
            organisation=org_a, email="ny@testby.dk", position="deputy", invited_by=secretariat_user
        )
        # when A withdraws, its open invitations are revoked
        services.membership_withdraw(membership=org_a.memberships.get(), by=secretariat_user)
        invitation.refresh_from_db()
        assert invitation.revoked_at is not None
        # and one that is open all the same (the model lets it be) cannot make anybody A's representative
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=None)
        invitation.refresh_from_db()
        with pytest.raises(ValidationError, match="ikke medlem af partnerskabet nu"):
            services.invitation_accept_new_user(invitation=invitation, name="Ny", password="en-lang-adgangskode-42")
        assert not User.objects.filter(email="ny@testby.dk").exists()

    def test_representatives_of_a_received_re_enrolment_wait_for_the_verification(self, org_a, rep_a, secretariat_user):
        services.membership_withdraw(membership=org_a.memberships.get(), by=secretariat_user)
        again = apply(org_a)
        assert User.objects.get(pk=rep_a.pk).representative_or_none is None
        services.membership_verify_by_secretariat(membership=again, by=secretariat_user)
        assert User.objects.get(pk=rep_a.pk).representative_or_none is not None

    def test_a_former_representative_cannot_take_another_role(self, org_a, org_b, rep_a, secretariat_user):
        services.membership_withdraw(membership=org_a.memberships.get(), by=secretariat_user)
        invitation = services.invitation_create(
            organisation=org_b, email="someone@example.org", position="deputy", invited_by=secretariat_user
        )
        Invitation.objects.filter(pk=invitation.pk).update(email=rep_a.email)
        invitation.refresh_from_db()
        with pytest.raises(ValidationError):
            services.invitation_accept(invitation=invitation, user=User.objects.get(pk=rep_a.pk))


class TestRateLimit:
    def test_too_many_posts_from_one_address(self, client, settings):
        settings.POGI_APPLICATION_LIMIT_PER_IP = 3
        url = reverse("members:application-create")
        statuses = [client.post(url, {"applicant": "listed"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = client.post(url, {"applicant": "listed"})
        assert response.status_code == 429
        assert "for mange gange" in response.text
        assert response["Retry-After"]
        english = client.post("/en" + url, {"applicant": "listed"})
        assert english.status_code == 429 and "too many times" in english.text

    def test_too_many_applications_for_one_organisation(self, client, aarhus, settings, secretariat_user):
        settings.POGI_APPLICATION_LIMIT_PER_IP = 100
        settings.POGI_APPLICATION_LIMIT_PER_ORGANISATION = 2
        url = reverse("members:application-create")
        other = OrganisationFactory(kind=Organisation.Kind.MUNICIPALITY)
        # forms sent back (no file, a wrong file) do not use up the organisation's limit: nobody can
        # keep a municipality from applying by posting bad forms in its name
        for n in range(4):
            bad = client.post(url, {"applicant": "listed", "organisation": aarhus.pk}, REMOTE_ADDR=f"10.0.0.{n}")
            assert bad.status_code == 200
        # received applications do: two, each rejected by the secretariat, then the third is refused
        for n in range(2):
            assert client.post(url, form_data(aarhus), REMOTE_ADDR=f"10.0.1.{n}").status_code == 302
            services.membership_reject(
                membership=Membership.objects.get(organisation=aarhus, status=Membership.Status.RECEIVED),
                decided_by=secretariat_user,
                reason="Blanketten er ikke underskrevet.",
            )
        assert client.post(url, form_data(aarhus), REMOTE_ADDR="10.0.2.1").status_code == 429
        # another organisation is not affected
        assert client.post(url, form_data(other), REMOTE_ADDR="10.0.2.2").status_code == 302


class TestFormLimits:
    def test_oversize_text_is_refused(self, client, aarhus, settings):
        settings.POGI_APPLICATION_LIMIT_PER_ORGANISATION = 100
        url = reverse("members:application-create")
        for field, value in [
            ("contact_name", "x" * 201),
            ("contact_phone", "1" * 41),
            ("contact_title", "x" * 201),
            ("motivation", "x" * 4001),
            ("procurement_policy_url", "https://www.aarhus.dk/" + "x" * 200),
            ("contact_email", "a" * 250 + "@aarhus.dk"),
        ]:
            response = client.post(url, form_data(aarhus, **{field: value}))
            assert response.status_code == 200, field
            assert field in response.context["form"].errors, field
        assert not Membership.objects.exists()

    def test_the_model_refuses_oversize_text_too(self, aarhus):
        with pytest.raises(ValidationError):
            services.membership_apply(
                organisation=OrganisationFactory(kind=Organisation.Kind.OTHER),
                contact_name="x",
                contact_email="x@example.org",
                procurement_policy_url="https://example.org/p",
                enrolment_form=pdf_file(),
                motivation="x" * 4001,
            )


class TestPdfCheck:
    def refused(self, data: bytes) -> str:
        with pytest.raises(ValidationError) as caught:
            validate_pdf(pdf_file(data))
        return " ".join(caught.value.messages)

    def test_a_genuine_pdf_passes(self):
        validate_pdf(pdf_file())
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        validate_pdf(pdf_file(written(writer)))

    def test_polyglot_with_junk_before_the_header(self):
        assert "ikke et PDF-dokument" in self.refused(b"GIF89a junk " + minimal_pdf("x"))

    def test_header_at_zero_that_does_not_parse(self):
        assert "ikke et PDF-dokument" in self.refused(b"%PDF-1.7\n<html><script>alert(1)</script></html>")

    def test_pdf_with_javascript(self):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        assert "JavaScript" in self.refused(written(writer))

    def test_pdf_with_an_automatic_action_on_a_page(self):
        writer = PdfWriter()
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/AA")] = DictionaryObject(
            {NameObject("/O"): DictionaryObject({NameObject("/S"): NameObject("/Launch")})}
        )
        assert "JavaScript" in self.refused(written(writer))

    def test_pdf_with_an_embedded_file(self):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_attachment("payload.exe", b"MZ\x90\x00")
        assert "indlejrede filer" in self.refused(written(writer))

    def test_the_application_form_shows_the_reason(self, client, aarhus):
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_attachment("payload.exe", b"MZ")
        response = client.post(
            reverse("members:application-create"), form_data(aarhus, enrolment_form=pdf_file(written(writer)))
        )
        assert response.status_code == 200
        assert "indlejrede filer" in response.text
        assert not Membership.objects.exists()


class TestReauthentication:
    def test_withdrawing_needs_reauthentication(self, client, org_a, rep_a):
        # given the primary representative, signed in but not recently re-authenticated
        client.force_login(rep_a)
        url = reverse("members:membership-withdraw", kwargs={"slug": org_a.slug})
        assert client.get(url).status_code == 200
        # when they withdraw
        response = client.post(url, {"withdrawn_on": timezone.localdate().isoformat()})
        # then they are asked to re-authenticate and nothing changed
        assert response.status_code == 302
        assert "/reauthenticate/" in response["Location"]
        assert org_a.memberships.get().status == Membership.Status.ACTIVE
        # and after re-authenticating the withdrawal goes through
        reauthenticated(client, rep_a)
        client.post(url, {"withdrawn_on": timezone.localdate().isoformat()})
        assert org_a.memberships.get().status == Membership.Status.WITHDRAWN

    def test_removing_a_representative_asks_for_confirmation(self, secretariat_client, secretariat_user, org_a, rep_a):
        reauthenticated(secretariat_client, secretariat_user)
        url = reverse("members:secretariat-representative-remove", kwargs={"pk": org_a.representatives.get().pk})
        # the link on the organisation's page leads to a page that says what the removal means
        page = secretariat_client.get(url)
        assert page.status_code == 200 and "Bekræft: fjern repræsentanten" in page.text
        assert org_a.representatives.count() == 1
        # and only the confirming post removes
        secretariat_client.post(url)
        assert org_a.representatives.count() == 0

    @pytest.mark.parametrize("action", ["withdraw", "invite", "remove"])
    def test_secretariat_changes_need_reauthentication_by_authenticator_code(
        self, secretariat_client, secretariat_user, org_a, rep_a, action
    ):
        # given a secretariat user with two-factor authentication, not recently re-authenticated
        urls = {
            "withdraw": reverse("members:secretariat-withdraw", kwargs={"slug": org_a.slug}),
            "invite": reverse("members:secretariat-invite", kwargs={"slug": org_a.slug}),
            "remove": reverse(
                "members:secretariat-representative-remove", kwargs={"pk": org_a.representatives.get().pk}
            ),
        }
        data = {"withdrawn_on": timezone.localdate().isoformat(), "name": "N", "email": "n@example.org"}
        data["position"] = "deputy"
        # when they post the change
        response = secretariat_client.post(urls[action], data)
        # then they are sent to re-authenticate with their authenticator code, and nothing changed
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_reauthenticate"))
        assert org_a.memberships.get().status == Membership.Status.ACTIVE
        assert org_a.representatives.count() == 1
        assert not Invitation.objects.exists()
        # and once re-authenticated the same post goes through
        reauthenticated(secretariat_client, secretariat_user)
        secretariat_client.post(urls[action], data)
        if action == "withdraw":
            assert org_a.memberships.get().status == Membership.Status.WITHDRAWN
        elif action == "invite":
            assert Invitation.objects.filter(email="n@example.org").exists()
        else:
            assert not org_a.representatives.exists()

    def test_the_authenticator_code_replays_the_suspended_change(self, secretariat_client, org_a, rep_a):
        import pyotp

        from tests.conftest import TOTP_SECRET

        # given a withdrawal suspended for re-authentication
        url = reverse("members:secretariat-withdraw", kwargs={"slug": org_a.slug})
        response = secretariat_client.post(url, {"withdrawn_on": timezone.localdate().isoformat()})
        assert org_a.memberships.get().status == Membership.Status.ACTIVE
        # when the secretariat user gives the authenticator code
        response = secretariat_client.post(response["Location"], {"code": pyotp.TOTP(TOTP_SECRET).now()})
        # then the suspended withdrawal is carried out
        assert response.status_code == 302
        assert org_a.memberships.get().status == Membership.Status.WITHDRAWN


def test_verification_due_counts_working_days(settings):
    settings.POGI_VERIFICATION_WORKING_DAYS = 5
    membership = MembershipFactory(status=Membership.Status.RECEIVED, joined_on=None)
    friday = timezone.make_aware(timezone.datetime(2026, 11, 27, 10, 0))
    membership.applied_at = friday
    assert membership.verification_due == (friday + timedelta(days=7)).date()


class TestEmailDomainIsReferenceData:
    def test_only_the_secretariat_sets_the_official_domain(self, client, secretariat_user, org_a, rep_a):
        # given a representative: the profile form has no domain, and the service refuses them
        with pytest.raises(ValidationError):
            services.organisation_email_domain_set(organisation=org_a, email_domain="evil.example", by=rep_a)
        client.force_login(rep_a)
        client.post(
            reverse("members:organisation-edit", kwargs={"slug": org_a.slug}),
            {"procurement_policy_url": "https://testby.example/p", "email_domain": "evil.example"},
        )
        org_a.refresh_from_db()
        assert org_a.email_domain == ""
        # when the secretariat sets it on the organisation's page
        client.force_login(secretariat_user)
        url = reverse("members:secretariat-email-domain-set", kwargs={"slug": org_a.slug})
        client.post(url, {"email_domain": "@Testby.DK"})
        # then it is kept, normalised, with who changed it
        org_a.refresh_from_db()
        assert org_a.email_domain == "testby.dk"
        assert org_a.history.first().history_user == secretariat_user
        # and a domain that is no domain is refused
        client.post(url, {"email_domain": "not a domain"})
        org_a.refresh_from_db()
        assert org_a.email_domain == "testby.dk"

    def test_a_public_mail_service_is_no_official_domain(self, secretariat_user, org_a):
        for domain in ("gmail.com", "@Hotmail.dk", "outlook.com"):
            with pytest.raises(ValidationError, match="offentlig e-mailtjeneste"):
                services.organisation_email_domain_set(organisation=org_a, email_domain=domain, by=secretariat_user)
        org_a.refresh_from_db()
        assert org_a.email_domain == ""
