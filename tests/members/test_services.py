import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone

from members import services
from members.demo import minimal_pdf
from members.models import Invitation, Membership, Organisation, Representative
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf(name="blanket.pdf"):
    return SimpleUploadedFile(name, minimal_pdf("Indmeldelsesblanket"), content_type="application/pdf")


def apply(organisation, **overrides):
    data = {
        "organisation": organisation,
        "contact_name": "Karen Kontakt",
        "contact_email": "Karen@Kommune.example",
        "procurement_policy_url": "https://kommune.example/politik",
        "enrolment_form": pdf(),
    }
    data.update(overrides)
    return services.membership_apply(**data)


def invitation_token(message) -> str:
    return re.search(r"/members/invitations/([^/\s]+)/", message.body).group(1)


class TestApply:
    def test_municipality_is_received_until_the_secretariat_checks_the_form(
        self, django_capture_on_commit_callbacks, secretariat_user
    ):
        # given a municipality that is not a member
        organisation = OrganisationFactory(
            kind=Organisation.Kind.MUNICIPALITY, name="Vejle Kommune", procurement_policy_url="https://vejle.dk/p"
        )
        # when it applies
        with django_capture_on_commit_callbacks(execute=True):
            membership = apply(organisation)
        # then it is received: no member yet, nobody invited, its public data unchanged
        assert membership.status == Membership.Status.RECEIVED
        assert membership.joined_on is None
        assert membership.procurement_policy_url == "https://kommune.example/politik"
        organisation.refresh_from_db()
        assert organisation.procurement_policy_url == "https://vejle.dk/p"
        assert not Invitation.objects.exists()
        assert mail.outbox == []
        # when the secretariat records its check of the signed form
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.membership_verify_by_secretariat(membership=membership, by=secretariat_user)
        # then it is active from today, in transition for 24 months, and its contact is invited
        today = timezone.localdate()
        assert membership.verified_by == secretariat_user
        assert membership.verification_method == Membership.Verification.SECRETARIAT
        organisation.refresh_from_db()
        assert organisation.procurement_policy_url == "https://kommune.example/politik"
        assert membership.status == Membership.Status.ACTIVE
        assert membership.joined_on == today
        assert membership.in_transition
        assert membership.transition_until == services.transition_end(today)
        assert (membership.transition_until - today).days in range(729, 733)
        invitation = Invitation.objects.get(organisation=organisation)
        assert invitation.email == "karen@kommune.example"
        assert invitation.position == Representative.Position.PRIMARY
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["karen@kommune.example"]
        assert "Vejle Kommune" in mail.outbox[0].subject
        assert "/members/invitations/" in mail.outbox[0].body
        assert invitation.token_hash not in mail.outbox[0].body  # only the hash is stored

    def test_other_public_body_waits_for_the_steering_group(self, django_capture_on_commit_callbacks):
        organisation = OrganisationFactory(kind=Organisation.Kind.OTHER, official_code="", region=None)
        with django_capture_on_commit_callbacks(execute=True):
            membership = apply(organisation, motivation="Bred indkøbsportefølje")
        assert membership.status == Membership.Status.APPLIED
        assert membership.joined_on is None
        assert not Invitation.objects.exists()
        assert mail.outbox == []

    def test_stores_pdf_under_generated_name_outside_static(self, private_media, settings):
        organisation = OrganisationFactory()
        membership = apply(organisation, enrolment_form=pdf("Borgmester underskrift.pdf"))
        stored = private_media / membership.enrolment_form.name
        assert not str(stored).startswith(str(settings.STATIC_ROOT))
        assert stored.exists()
        assert stored.read_bytes().startswith(b"%PDF-")
        assert "Borgmester" not in membership.enrolment_form.name
        assert membership.enrolment_form_name == "Borgmester underskrift.pdf"

    def test_refuses_a_second_open_membership(self):
        organisation = MembershipFactory().organisation
        with pytest.raises(ValidationError, match="er allerede medlem"):
            apply(organisation)

    def test_refuses_while_an_application_is_pending(self):
        organisation = MembershipFactory(status=Membership.Status.APPLIED, joined_on=None).organisation
        with pytest.raises(ValidationError, match="venter på en afgørelse"):
            apply(organisation)

    def test_refuses_a_file_that_is_not_a_pdf(self):
        fake = SimpleUploadedFile("form.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
        with pytest.raises(ValidationError, match="ikke et PDF-dokument"):
            apply(OrganisationFactory(), enrolment_form=fake)
        assert not Membership.objects.exists()

    def test_refuses_a_file_over_10_mb(self):
        big = SimpleUploadedFile("form.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
        with pytest.raises(ValidationError, match="højst fylde"):
            apply(OrganisationFactory(), enrolment_form=big)

    def test_refuses_without_procurement_policy(self):
        with pytest.raises(ValidationError, match="indkøbspolitik"):
            apply(OrganisationFactory(), procurement_policy_url="")

    def test_database_keeps_one_open_membership(self):
        membership = MembershipFactory()
        with pytest.raises(IntegrityError):
            Membership.objects.create(organisation=membership.organisation, status=Membership.Status.APPLIED)


class TestDecisions:
    @pytest.fixture
    def pending(self):
        return MembershipFactory(
            status=Membership.Status.APPLIED,
            joined_on=None,
            organisation=OrganisationFactory(kind=Organisation.Kind.OTHER, region=None, official_code=""),
        )

    def test_approve_activates_with_transition_and_invites(
        self, pending, secretariat_user, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            membership = services.membership_approve(
                membership=pending, decided_by=secretariat_user, reason="Bred portefølje"
            )
        assert membership.status == Membership.Status.ACTIVE
        assert membership.in_transition
        assert membership.decided_by == secretariat_user
        assert len(mail.outbox) == 1
        assert membership.history.first().history_user == secretariat_user

    def test_reject_needs_a_reason(self, pending, secretariat_user):
        with pytest.raises(ValidationError, match="begrundelsen"):
            services.membership_reject(membership=pending, decided_by=secretariat_user, reason="  ")
        pending.refresh_from_db()
        assert pending.status == Membership.Status.APPLIED

    def test_reject_keeps_reason(self, pending, secretariat_user):
        membership = services.membership_reject(
            membership=pending, decided_by=secretariat_user, reason="Smal portefølje"
        )
        assert membership.status == Membership.Status.REJECTED
        assert membership.decision_reason == "Smal portefølje"

    def test_cannot_decide_twice(self, pending, secretariat_user):
        services.membership_approve(membership=pending, decided_by=secretariat_user)
        with pytest.raises(ValidationError, match="Kun en ansøgning, der venter"):
            services.membership_reject(membership=pending, decided_by=secretariat_user, reason="x")
        with pytest.raises(ValidationError, match="Kun en ansøgning, der venter"):
            services.membership_approve(membership=pending, decided_by=secretariat_user)

    def test_rejected_body_can_apply_again(self, pending, secretariat_user):
        services.membership_reject(membership=pending, decided_by=secretariat_user, reason="Smal portefølje")
        again = apply(pending.organisation, motivation="Ny ansøgning")
        assert again.status == Membership.Status.APPLIED
        assert pending.organisation.memberships.count() == 2


class TestWithdrawAndTransition:
    def test_withdraw_active_member(self, secretariat_user):
        membership = MembershipFactory()
        services.membership_withdraw(membership=membership, by=secretariat_user, reason="Omprioritering")
        membership.refresh_from_db()
        assert membership.status == Membership.Status.WITHDRAWN
        assert membership.withdrawn_on == timezone.localdate()

    def test_cannot_withdraw_twice_or_before_joining(self, secretariat_user):
        membership = MembershipFactory(joined_on=datetime.date(2020, 5, 1))
        with pytest.raises(ValidationError, match="før den dato"):
            services.membership_withdraw(membership=membership, by=secretariat_user, on=datetime.date(2019, 1, 1))
        services.membership_withdraw(membership=membership, by=secretariat_user)
        with pytest.raises(ValidationError, match="Kun et aktivt medlem"):
            services.membership_withdraw(membership=membership, by=secretariat_user)

    def test_withdrawn_member_may_rejoin(self, secretariat_user):
        membership = MembershipFactory()
        services.membership_withdraw(membership=membership, by=secretariat_user)
        again = apply(membership.organisation)
        assert again.status == Membership.Status.RECEIVED
        services.membership_verify_by_secretariat(membership=again, by=secretariat_user)
        again.refresh_from_db()
        assert again.status == Membership.Status.ACTIVE

    def test_end_transition(self, secretariat_user):
        membership = MembershipFactory(transition_until=datetime.date.today() + datetime.timedelta(days=100))
        assert membership.in_transition
        services.membership_transition_set(membership=membership, until=None, by=secretariat_user)
        membership.refresh_from_db()
        assert not membership.in_transition

    def test_transition_month_arithmetic(self):
        assert services._add_months(datetime.date(2024, 2, 29), 24) == datetime.date(2026, 2, 28)
        assert services._add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)


class TestInvitations:
    def invite(self, organisation, by, email="ny@kommune.example", **kw):
        data = {
            "organisation": organisation,
            "email": email,
            "name": "Ny Person",
            "position": "primary",
            "invited_by": by,
        }
        data.update(kw)
        return services.invitation_create(**data)

    def test_accept_creates_representative_with_verified_email(
        self, org_a, secretariat_user, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            self.invite(org_a, secretariat_user)
        token = invitation_token(mail.outbox[0])
        found = services.invitation_get_open(token=token)
        rep = services.invitation_accept_new_user(invitation=found, name="Ny Person", password="a-long-secret-2026")
        assert rep.organisation == org_a
        assert rep.position == "primary"
        assert rep.user.emailaddress_set.get().verified
        found.refresh_from_db()
        assert found.state == "accepted"

    def test_invitation_email_is_sent_once(self, org_a, secretariat_user, django_capture_on_commit_callbacks):
        from members.tasks import invitation_send

        with django_capture_on_commit_callbacks(execute=True):
            invitation = self.invite(org_a, secretariat_user)
        token = invitation_token(mail.outbox[0])
        assert invitation_send(invitation.pk, token) is False  # running the task again sends nothing
        assert len(mail.outbox) == 1

    def test_wrong_account_cannot_accept(self, org_a, secretariat_user):
        invitation = self.invite(org_a, secretariat_user)
        other = UserFactory(email="someone@else.example")
        with pytest.raises(ValidationError, match="blev sendt til"):
            services.invitation_accept(invitation=invitation, user=other)

    def test_expired_invitation_is_refused(self, org_a, secretariat_user):
        invitation = self.invite(org_a, secretariat_user)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
        invitation.refresh_from_db()
        with pytest.raises(ValidationError, match="udløbet"):
            services.invitation_accept_new_user(invitation=invitation, name="X", password="a-long-secret-2026")
        assert services.invitations_expire() == 1
        assert services.invitations_expire() == 0

    def test_one_primary_and_one_deputy(self, org_a, rep_a, secretariat_user):
        with pytest.raises(ValidationError, match="har allerede en primær repræsentant"):
            self.invite(org_a, secretariat_user)
        self.invite(org_a, secretariat_user, email="deputy@kommune.example", position="deputy")
        RepresentativeFactory(organisation=org_a, position="deputy")
        with pytest.raises(IntegrityError):
            RepresentativeFactory(organisation=org_a, position="deputy")

    def test_a_person_represents_one_organisation(self, org_b, rep_a, secretariat_user):
        with pytest.raises(ValidationError, match="en anden organisation"):
            self.invite(org_b, secretariat_user, email=rep_a.email, position="specialist")

    def test_inviting_again_revokes_the_earlier_link(self, org_a, secretariat_user):
        first = self.invite(org_a, secretariat_user)
        second = self.invite(org_a, secretariat_user)
        first.refresh_from_db()
        assert first.state == "revoked"
        assert second.state == "pending"

    def test_revoke(self, org_a, secretariat_user):
        invitation = services.invitation_revoke(invitation=self.invite(org_a, secretariat_user), by=secretariat_user)
        assert invitation.state == "revoked"


class TestProfile:
    def test_representative_updates_profile_with_history(self, org_a, rep_a):
        services.organisation_profile_update(
            organisation=org_a, by=rep_a, website="https://testby.example", cvr="12345678"
        )
        org_a.refresh_from_db()
        assert org_a.website == "https://testby.example"
        assert org_a.history.first().history_user == rep_a

    def test_name_and_kind_are_not_editable(self, org_a, rep_a):
        with pytest.raises(ValidationError, match="kan ikke ændres"):
            services.organisation_profile_update(organisation=org_a, by=rep_a, name="Andet navn")

    def test_invalid_cvr_is_refused(self, org_a, rep_a):
        with pytest.raises(ValidationError):
            services.organisation_profile_update(organisation=org_a, by=rep_a, cvr="12AB")

    def test_slug_transliterates_danish_letters(self):
        organisation = services.organisation_create(name="Københavns Ærø Å-lav", kind="other")
        assert organisation.slug == "koebenhavns-aeroe-aa-lav"
        twin = services.organisation_create(name="Københavns Ærø Å-lav", kind="other")
        assert twin.slug == "koebenhavns-aeroe-aa-lav-2"


def test_stored_file_factory_is_a_pdf():
    assert ContentFile(minimal_pdf("x")).read().startswith(b"%PDF-1.4")
