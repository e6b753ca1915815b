import datetime

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile

from members.demo import minimal_pdf
from members.models import Membership, Organisation, Region, Representative, User

PASSWORD = "test-password-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "1084"
    name = "Region Hovedstaden"
    nuts2 = "DK01"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Kommune {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-").replace("ø", "oe"))
    kind = Organisation.Kind.MUNICIPALITY
    official_code = factory.Sequence(lambda n: str(900 + n))
    region = factory.SubFactory(RegionFactory)
    procurement_policy_url = factory.LazyAttribute(lambda o: f"https://{o.slug}.example/politik")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    status = Membership.Status.ACTIVE
    joined_on = datetime.date(2015, 1, 1)
    contact_name = "Kontakt Person"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")
    enrolment_form = factory.LazyFunction(lambda: ContentFile(minimal_pdf("form"), name="form.pdf"))
    enrolment_form_name = "underskrevet-blanket.pdf"


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = Representative.Position.SPECIALIST


def goal_published(
    by,
    *,
    number: int = 5,
    title: str = "Rengøring",
    area: str = "rengoering",
    statement: str = "Rengøringsmidler er miljømærkede.",
    criterion: str = "Svanemærket.",
):
    """A goal with one requirement, through the real services to version 1 in force (reference data loaded)."""
    from goals import services
    from goals.models import ProductArea

    version = services.goal_create(
        number=number, title=title, product_area=ProductArea.objects.get(slug=area), statement=statement, by=by
    )
    services.criterion_add(version=version, by=by, kind="requirement", text=criterion)
    services.goal_version_transition(version=version, to="submitted", by=by)
    services.goal_version_adopt(version=version, by=by, effective_date=datetime.date(2024, 1, 1))
    return services.goal_version_publish(version=version, by=by)
