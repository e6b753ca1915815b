import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import reference
from members.demo import minimal_pdf
from members.models import Membership, Organisation, Region
from tests.conftest import reauthenticated
from tests.factories import MembershipFactory, OrganisationFactory, RegionFactory

pytestmark = pytest.mark.django_db


def application_data(**overrides):
    data = {
        "applicant": "listed",
        "procurement_policy_url": "https://vejle.example/politik",
        "contact_name": "Karen Kontakt",
        "contact_email": "karen@vejle.example",
        "enrolment_form": SimpleUploadedFile("blanket.pdf", minimal_pdf("x"), content_type="application/pdf"),
    }
    data.update(overrides)
    return data


class TestDirectory:
    def test_lists_active_members_only(self, client):
        MembershipFactory(organisation=OrganisationFactory(name="Aktiv Kommune"))
        MembershipFactory(organisation=OrganisationFactory(name="Ventende Forsyning"), status="applied", joined_on=None)
        MembershipFactory(organisation=OrganisationFactory(name="Udmeldt Kommune"), status="withdrawn")
        response = client.get(reverse("members:member-list"))
        assert response.status_code == 200
        assert "Aktiv Kommune" in response.text
        assert "Ventende Forsyning" not in response.text
        assert "Udmeldt Kommune" not in response.text

    def test_filters_by_kind_region_and_name(self, client):
        nord = RegionFactory(code="1081", name="Region Nordjylland")
        MembershipFactory(organisation=OrganisationFactory(name="Aalborg Kommune", region=nord))
        MembershipFactory(organisation=OrganisationFactory(name="Gladsaxe Kommune"))
        MembershipFactory(organisation=OrganisationFactory(name="VIA University College", kind="other", region=None))
        by_region = client.get(reverse("members:member-list"), {"region": "1081"}).text
        assert "Aalborg Kommune" in by_region and "Gladsaxe Kommune" not in by_region
        by_kind = client.get(reverse("members:member-list"), {"kind": "other"}).text
        assert "VIA University College" in by_kind and "Aalborg Kommune" not in by_kind
        by_name = client.get(reverse("members:member-list"), {"q": "glad"}).text
        assert "Gladsaxe Kommune" in by_name and "Aalborg Kommune" not in by_name

    def test_bad_filter_value_is_not_an_error(self, client):
        response = client.get(reverse("members:member-list"), {"region": "9999", "kind": "castle", "page": "x"})
        assert response.status_code == 200

    def test_member_page_shows_since_and_policy(self, client, org_a):
        response = client.get(reverse("members:member-detail", kwargs={"slug": org_a.slug}))
        assert "2015" in response.text
        assert org_a.procurement_policy_url in response.text

    def test_non_member_page_is_404(self, client):
        organisation = OrganisationFactory()
        assert client.get(reverse("members:member-detail", kwargs={"slug": organisation.slug})).status_code == 404

    def test_danish_by_default_english_under_en(self, client, org_a):
        assert '<html lang="da">' in client.get("/members/").text
        assert '<html lang="en">' in client.get("/en/members/").text


class TestApplication:
    def test_municipality_applies_and_appears_in_directory_once_verified(
        self, client, secretariat_user, django_capture_on_commit_callbacks
    ):
        # given the official list of municipalities
        reference.load()
        vejle = Organisation.objects.get(official_code="630")
        # when Vejle applies with a signed form, from an address off its official domain
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("members:application-create"), application_data(organisation=vejle.pk))
        # then the application is received: not a member, not listed, nobody emailed
        assert response.status_code == 302
        receipt = client.get(response["Location"]).text
        assert "Vejle Kommune" in receipt
        assert "arbejdsdag" in receipt  # the secretariat checks the form within working days
        membership = vejle.memberships.get()
        assert membership.status == Membership.Status.RECEIVED
        assert mail.outbox == []
        assert "Vejle Kommune" not in client.get(reverse("members:member-list")).text
        # when the secretariat confirms its check of the signed form
        client.force_login(secretariat_user)
        verify = reverse("members:secretariat-application-verify", kwargs={"pk": membership.pk})
        assert "Bekræft" in client.get(verify).text
        with django_capture_on_commit_callbacks(execute=True):
            client.post(verify)
        # then it is a member, the contact is invited, and the directory shows it
        assert vejle.memberships.get().status == Membership.Status.ACTIVE
        assert len(mail.outbox) == 1
        client.logout()
        assert "Vejle Kommune" in client.get(reverse("members:member-list")).text

    def test_errors_are_shown_in_danish_and_nothing_is_saved(self, client):
        reference.load()
        response = client.post(
            reverse("members:application-create"), {"applicant": "listed", "contact_email": "ikke-en-email"}
        )
        assert response.status_code == 200
        text = response.text
        assert "Der er et problem" in text  # the error summary
        assert "Indtast en gyldig e-mail-adresse." in text  # Django's own Danish message
        assert 'href="#id_contact_email"' in text
        assert 'aria-invalid="true"' in text
        assert not Membership.objects.exists()

    def test_non_pdf_upload_is_refused_with_message(self, client):
        reference.load()
        vejle = Organisation.objects.get(official_code="630")
        fake = SimpleUploadedFile("blanket.pdf", b"GIF89a....", content_type="application/pdf")
        response = client.post(
            reverse("members:application-create"), application_data(organisation=vejle.pk, enrolment_form=fake)
        )
        assert response.status_code == 200
        assert "PDF" in response.text
        assert not Membership.objects.exists()

    def test_other_body_needs_name_kind_and_motivation(self, client):
        response = client.post(reverse("members:application-create"), application_data(applicant="other"))
        assert response.status_code == 200
        assert response.context["form"].errors.keys() >= {"name", "kind", "motivation"}

    def test_other_body_is_pending(self, client):
        response = client.post(
            reverse("members:application-create"),
            application_data(
                applicant="other", name="Nordisk Forsyning", kind="other", country="NO", motivation="Bred"
            ),
        )
        assert response.status_code == 302
        membership = Membership.objects.get(organisation__name="Nordisk Forsyning")
        assert membership.status == Membership.Status.APPLIED
        assert membership.organisation.country == "NO"
        assert "steering group" in client.get("/en" + response["Location"]).text

    def test_honeypot_rejects_bots(self, client):
        reference.load()
        vejle = Organisation.objects.get(official_code="630")
        response = client.post(
            reverse("members:application-create"), application_data(organisation=vejle.pk, website="http://spam")
        )
        assert response.status_code == 200
        assert not Membership.objects.exists()

    def test_already_member_is_not_offered(self, client, org_a):
        form = client.get(reverse("members:application-create")).context["form"]
        assert org_a not in form.fields["organisation"].queryset


class TestEnrolmentForm:
    def test_served_as_attachment_to_own_representative(self, client, org_a, rep_a):
        client.force_login(rep_a)
        membership = org_a.memberships.get()
        response = client.get(reverse("members:enrolment-form-download", kwargs={"pk": membership.pk}))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "underskrevet-blanket.pdf" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")

    def test_not_reachable_under_static_or_media(self, client, org_a):
        name = org_a.memberships.get().enrolment_form.name
        assert client.get(f"/static/{name}").status_code == 404
        assert client.get(f"/media/{name}").status_code == 404


class TestSecretariat:
    def test_without_two_factor_is_sent_to_set_it_up(self, client):
        from tests.factories import UserFactory

        client.force_login(UserFactory(is_secretariat=True))
        response = client.get(reverse("members:secretariat-commitments"))
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")

    def test_records_approval(self, secretariat_client, django_capture_on_commit_callbacks):
        pending = MembershipFactory(status="applied", joined_on=None, organisation=OrganisationFactory(kind="other"))
        url = reverse("members:secretariat-application-detail", kwargs={"pk": pending.pk})
        with django_capture_on_commit_callbacks(execute=True):
            response = secretariat_client.post(url, {"decision": "approve", "reason": "Bred portefølje"}, follow=True)
        pending.refresh_from_db()
        assert pending.status == Membership.Status.ACTIVE
        assert "nu medlem" in response.text

    def test_rejection_without_reason_shows_error(self, secretariat_client):
        pending = MembershipFactory(status="applied", joined_on=None)
        url = reverse("members:secretariat-application-detail", kwargs={"pk": pending.pk})
        response = secretariat_client.post(url, {"decision": "reject", "reason": ""})
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        pending.refresh_from_db()
        assert pending.status == Membership.Status.APPLIED

    def test_deciding_twice_gives_message_not_500(self, secretariat_client, secretariat_user):
        from members import services

        pending = MembershipFactory(status="applied", joined_on=None)
        services.membership_reject(membership=pending, decided_by=secretariat_user, reason="Nej")
        url = reverse("members:secretariat-application-detail", kwargs={"pk": pending.pk})
        response = secretariat_client.post(url, {"decision": "approve"})
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()

    def test_organisation_page_shows_history(self, secretariat_client, org_a, rep_a):
        from members import services

        services.organisation_profile_update(organisation=org_a, by=rep_a, website="https://testby.example")
        response = secretariat_client.get(reverse("members:secretariat-organisation", kwargs={"slug": org_a.slug}))
        assert "https://testby.example" in response.text
        assert str(rep_a) in response.text

    def test_date_fields_show_their_dates_in_danish_too(self, secretariat_client, org_a):
        # a date picker takes only ISO dates: a Danish "2.12.2028" would show as an empty field, and
        # saving the form unchanged would then clear the transition period
        membership = org_a.memberships.get()
        membership.transition_until = datetime.date(2028, 12, 2)
        membership.save()
        response = secretariat_client.get(reverse("members:secretariat-organisation", kwargs={"slug": org_a.slug}))
        assert 'type="date"' in response.text
        assert 'value="2028-12-02"' in response.text
        assert "02.12.2028" not in response.text.split("<form", 1)[1]

    def test_invite_refused_gives_message(self, secretariat_client, secretariat_user, org_a, rep_a):
        reauthenticated(secretariat_client, secretariat_user)
        url = reverse("members:secretariat-invite", kwargs={"slug": org_a.slug})
        data = {"name": "X", "email": "x@example.org", "position": "primary"}
        response = secretariat_client.post(url, data, follow=True)
        assert "allerede en primær repræsentant" in response.text or "already has a primary" in response.text


class TestRepresentative:
    def test_edits_own_profile(self, client, org_a, rep_a):
        client.force_login(rep_a)
        url = reverse("members:organisation-edit", kwargs={"slug": org_a.slug})
        response = client.post(
            url,
            {"procurement_policy_url": "https://testby.example/ny-politik", "description": "Grønne indkøb siden 2015"},
            follow=True,
        )
        assert response.status_code == 200
        org_a.refresh_from_db()
        assert org_a.procurement_policy_url == "https://testby.example/ny-politik"
        assert (
            "Grønne indkøb siden 2015" in client.get(reverse("members:member-detail", kwargs={"slug": org_a.slug})).text
        )

    def test_primary_withdraws(self, client, org_a, rep_a):
        client.force_login(rep_a)
        reauthenticated(client, rep_a)
        url = reverse("members:membership-withdraw", kwargs={"slug": org_a.slug})
        client.post(url, {"withdrawn_on": "2026-11-01", "reason": "Ny strategi"})
        assert org_a.memberships.get().status == Membership.Status.WITHDRAWN

    def test_specialist_may_not_withdraw(self, client, org_a):
        from tests.factories import RepresentativeFactory

        specialist = RepresentativeFactory(organisation=org_a, position="specialist").user
        client.force_login(specialist)
        url = reverse("members:membership-withdraw", kwargs={"slug": org_a.slug})
        assert client.post(url, {"withdrawn_on": "2026-11-01"}).status_code == 403
        assert org_a.memberships.get().status == Membership.Status.ACTIVE


def test_reference_data_loads_98_municipalities_and_5_regions_idempotently():
    assert reference.load() == {"regions": 5, "municipalities": 98, "email_domains": 53}
    reference.load()
    assert Organisation.objects.get(kind="municipality", official_code="751").email_domain == "aarhus.dk"
    assert Organisation.objects.get(kind="region", official_code="1084").email_domain == "regionh.dk"
    assert Organisation.objects.filter(kind="municipality").count() == 98
    assert Region.objects.count() == 5
    assert Organisation.objects.get(official_code="101").name == "Københavns Kommune"
    assert Organisation.objects.get(official_code="101").slug == "koebenhavns-kommune"


class TestInvitationPage:
    def test_signed_in_invitee_accepts_with_one_click(self, client, org_a, secretariat_user):
        from members import services
        from members.models import Invitation, hash_token
        from tests.factories import UserFactory

        person = UserFactory(email="kendt@example.org")
        invitation = services.invitation_create(
            organisation=org_a, email=person.email, position="deputy", invited_by=secretariat_user
        )
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token("t0ken"))
        client.force_login(person)
        url = reverse("members:invitation-accept", kwargs={"token": "t0ken"})
        response = client.post(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("members:organisation-edit", kwargs={"slug": org_a.slug})
        assert person.representative.position == "deputy"

    def test_unknown_token_is_404_and_used_token_410(self, client, org_a, rep_a, secretariat_user):
        from members import services
        from members.models import Invitation, hash_token

        assert client.get(reverse("members:invitation-accept", kwargs={"token": "nope"})).status_code == 404
        invitation = services.invitation_create(
            organisation=org_a, email="ny@example.org", position="deputy", invited_by=secretariat_user
        )
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token("brugt"))
        services.invitation_revoke(invitation=invitation, by=secretariat_user)
        response = client.get(reverse("members:invitation-accept", kwargs={"token": "brugt"}))
        assert response.status_code == 410
        assert "tilbagekaldt" in response.text.lower()

    def test_password_mismatch_is_shown_and_nothing_created(self, client, org_a, secretariat_user):
        from members import services
        from members.models import Invitation, User, hash_token

        invitation = services.invitation_create(
            organisation=org_a, email="ny@example.org", position="deputy", invited_by=secretariat_user
        )
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token("abc"))
        url = reverse("members:invitation-accept", kwargs={"token": "abc"})
        response = client.post(url, {"name": "Ny", "password1": "a-long-secret-2026", "password2": "other-secret-2026"})
        assert response.status_code == 200
        assert "password2" in response.context["form"].errors
        assert not User.objects.filter(email="ny@example.org").exists()


def test_directory_filter_answers_htmx_with_the_results_only(client, org_a):
    response = client.get(reverse("members:member-list"), {"q": "Testby"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Testby Kommune" in response.text
