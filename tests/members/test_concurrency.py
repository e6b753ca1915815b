"""Two applications for the same organisation at the same moment: exactly one membership (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from members import services
from members.demo import minimal_pdf
from members.models import Membership
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.services


def test_concurrent_applications_make_one_membership(require_postgres, transactional_db):
    organisation = OrganisationFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def apply():
        try:
            barrier.wait(timeout=10)
            services.membership_apply(
                organisation=organisation,
                contact_name="Samtidig",
                contact_email="samtidig@example.org",
                procurement_policy_url="https://example.org/politik",
                enrolment_form=SimpleUploadedFile("f.pdf", minimal_pdf("x")),
            )
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=apply) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("ok") == 1, outcomes
    assert Membership.objects.filter(organisation=organisation).count() == 1
