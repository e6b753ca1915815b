"""Query counts are pinned and do not grow with the number of organisations."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def make_members(n):
    for _ in range(n):
        membership = MembershipFactory(organisation=OrganisationFactory())
        RepresentativeFactory(organisation=membership.organisation, position="primary")
        MembershipFactory(
            organisation=OrganisationFactory(kind="other", official_code=""), status="applied", joined_on=None
        )


@pytest.mark.parametrize("members", [5, 100])
def test_directory(client, django_assert_num_queries, members):
    make_members(members)
    with django_assert_num_queries(3):  # count, page, regions for the filter
        assert client.get(reverse("members:member-list")).status_code == 200
    with django_assert_num_queries(4):  # + validating the chosen region
        assert client.get(reverse("members:member-list"), {"region": "1084", "kind": "municipality"}).status_code == 200


@pytest.mark.parametrize("members", [5, 100])
def test_member_page(client, django_assert_num_queries, members):
    make_members(members)
    slug = MembershipFactory().organisation.slug
    with django_assert_num_queries(2):  # the membership, its project participations (members.commitments)
        client.get(reverse("members:member-detail", kwargs={"slug": slug}))


# Every secretariat page: session, user, representative lookup (roles), two-factor check.
@pytest.mark.parametrize("members", [5, 100])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("members:secretariat-commitments", 8),  # + count, page, representatives, project participations
        ("members:secretariat-applications", 6),  # + pending, rejected
        ("members:secretariat-transition", 5),  # + members in transition
    ],
)
def test_secretariat_lists(secretariat_client, django_assert_num_queries, members, name, queries):
    make_members(members)
    with django_assert_num_queries(queries):
        assert secretariat_client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("members", [5, 100])
def test_secretariat_organisation_page(secretariat_client, django_assert_num_queries, members):
    make_members(members)
    organisation = MembershipFactory().organisation
    for _ in range(members // 5):
        RepresentativeFactory(organisation=organisation)
    # + organisation, memberships, representatives, invitations, four history tables, implementation plan
    with django_assert_num_queries(13):
        secretariat_client.get(reverse("members:secretariat-organisation", kwargs={"slug": organisation.slug}))
