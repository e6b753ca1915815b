"""Test data builders: factory_boy factories for the models, and the one way to build a goal in force.

The factories build rows directly (no services, no history of who did what): use
them for data a test only needs to exist. A goal in force is built through
goals.services with :func:`goal_in_force`, as the secretariat would have made it.
"""

import datetime

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from followup.models import GoalAnswer, Response, Round
from goals.models import Criterion, Ecolabel, Goal, GoalVersion, ProductArea, SdgTarget
from members.demo import minimal_pdf
from members.models import Membership, Organisation, Region, Representative, User
from workgroups.models import Body, Hearing, Meeting

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
    # An active (or former) member was verified; an application waits for it.
    verified_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in (Membership.Status.ACTIVE, Membership.Status.WITHDRAWN) else None
    )
    verification_method = factory.LazyAttribute(lambda o: Membership.Verification.RECORDS if o.verified_at else "")


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    position = Representative.Position.SPECIALIST


# --- goals -----------------------------------------------------------------------------------------

SWAN = "nordic-swan-ecolabel"
FLOWER = "eu-ecolabel"
FSC = "forest-stewardship-council"
JAN_2024 = datetime.date(2024, 1, 1)
# `adopted_on=A_MONTH_BEFORE`: the steering group adopted the version a month before it came into force.
A_MONTH_BEFORE = datetime.timedelta(days=30)


class ProductAreaFactory(factory.django.DjangoModelFactory):
    """A product area; the one from the reference data when it is loaded (same slug)."""

    class Meta:
        model = ProductArea
        django_get_or_create = ("slug",)

    slug = "rengoering"
    name_da = "Rengøring"
    name_en = "Cleaning"


class GoalFactory(factory.django.DjangoModelFactory):
    """A goal's identity (number, slug, product area), without versions."""

    class Meta:
        model = Goal

    number = factory.Sequence(lambda n: 100 + n)
    slug = factory.LazyAttribute(lambda o: f"maal-{o.number}")
    product_area = factory.SubFactory(ProductAreaFactory)


class GoalVersionFactory(factory.django.DjangoModelFactory):
    """Version 1 of a new goal, a draft; ``in_force=True`` makes it the published version in force."""

    class Meta:
        model = GoalVersion

    class Params:
        in_force = factory.Trait(
            status=GoalVersion.Status.PUBLISHED,
            effective_date=JAN_2024,
            adopted_on=factory.LazyAttribute(lambda o: o.effective_date - A_MONTH_BEFORE),
            published_at=factory.LazyFunction(timezone.now),
        )

    goal = factory.SubFactory(GoalFactory)
    number = 1
    status = GoalVersion.Status.DRAFT
    title = factory.LazyAttribute(lambda o: f"Indkøbsmål {o.goal.number}")
    statement = "Medlemmerne vælger produkter med mindre miljøbelastning."


class CriterionFactory(factory.django.DjangoModelFactory):
    """A requirement of a goal version, numbered after its goal ("5.1", "5.2" …)."""

    class Meta:
        model = Criterion

    version = factory.SubFactory(GoalVersionFactory)
    position = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.version.goal.number}.{o.position}")
    kind = Criterion.Kind.REQUIREMENT
    text = "Produktet skal være mærket med Svanemærket eller EU-Blomsten."


def ecolabels(slugs) -> list[Ecolabel]:
    """The ecolabels with these slugs (reference data)."""
    return list(Ecolabel.objects.filter(slug__in=slugs)) if slugs else []


def add_criteria(version, criteria, by=None) -> list[Criterion]:
    """Add criteria to a draft through the services: each a text (a requirement) or a dict of
    criterion fields plus "labels" (ecolabel slugs)."""
    from goals import services

    added = []
    for spec in criteria:
        fields = {"text": spec} if isinstance(spec, str) else dict(spec)
        labels = fields.pop("labels", ())
        fields.setdefault("kind", Criterion.Kind.REQUIREMENT)
        added.append(services.criterion_add(version=version, by=by, ecolabels=ecolabels(labels), **fields))
    return added


def put_in_force(version, *, effective=JAN_2024, adopted_on=None, by=None) -> GoalVersion:
    """Register the adoption of a draft from the records (a goal adopted before the portal) and publish it,
    in force from `effective`.

    `adopted_on` is the day the steering group adopted it: a date, a timedelta (that long before
    `effective`, e.g. A_MONTH_BEFORE), or None for today (or `effective`, if that is earlier).
    """
    from goals import services

    if isinstance(adopted_on, datetime.timedelta):
        adopted_on = effective - adopted_on
    if adopted_on is None:
        adopted_on = min(datetime.date.today(), effective)
    services.goal_version_register_adopted(
        version=version,
        by=by,
        effective_date=effective,
        adopted_on=adopted_on,
        reason="Styregruppens referat (før portalen).",
    )
    return services.goal_version_publish(version=version, by=by, today=effective)


def goal_in_force(
    by=None,
    *,
    number: int = 5,
    title: str = "Rengøring",
    area: str = "rengoering",
    statement: str = "",
    scope: str = "",
    criteria=("Svanemærket.",),
    labels=(),
    sdg=(),
    effective: datetime.date = JAN_2024,
    adopted_on: datetime.date | datetime.timedelta | None = None,
) -> GoalVersion:
    """THE way to build a goal in force: a goal and its version 1, published through goals.services.

    The version has the given criteria (see :func:`add_criteria`), ecolabels and SDG targets, is
    adopted on `adopted_on` (see :func:`put_in_force`; today by default) and is in force from `effective`.
    Needs the reference data (``goals.reference.load()``) for the product area, labels and targets.
    """
    from goals import services

    version = services.goal_create(
        number=number,
        title=title,
        product_area=ProductArea.objects.get(slug=area),
        statement=statement or f"Medlemmerne køber {title.lower()} med mindre miljøbelastning.",
        scope=scope,
        by=by,
    )
    add_criteria(version, criteria, by=by)
    if labels or sdg:
        services.goal_version_update(
            version=version,
            by=by,
            ecolabels=ecolabels(labels),
            sdg_targets=list(SdgTarget.objects.filter(code__in=sdg)),
        )
    return put_in_force(version, effective=effective, adopted_on=adopted_on, by=by)


def revision_in_force(
    version, *, effective=datetime.date(2025, 1, 1), adopted_on=None, by=None, change=None, **fields
) -> GoalVersion:
    """The next version of a goal in force, changed by `change(draft)` and `fields`, put in force."""
    from goals import services

    draft = services.goal_version_draft_start(goal=version.goal, by=by)
    if fields:
        services.goal_version_update(version=draft, by=by, **fields)
    if change is not None:
        change(draft)
    return put_in_force(draft, effective=effective, adopted_on=adopted_on, by=by)


# --- the annual follow-up ---------------------------------------------------------------------------


class RoundFactory(factory.django.DjangoModelFactory):
    """A follow-up round being prepared (open from 1 February, deadline 1 April of its year)."""

    class Meta:
        model = Round

    year = factory.Sequence(lambda n: 1990 + n)
    opens_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 2, 1))
    deadline = factory.LazyAttribute(lambda o: datetime.date(o.year, 4, 1))
    status = Round.Status.DRAFT


class ResponseFactory(factory.django.DjangoModelFactory):
    """An organisation's response to a round, not started; a submitted one gets its submission time."""

    class Meta:
        model = Response

    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    status = Response.Status.NOT_STARTED
    submitted_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == Response.Status.SUBMITTED else None)


class GoalAnswerFactory(factory.django.DjangoModelFactory):
    """A response's answer about one goal version (empty unless given)."""

    class Meta:
        model = GoalAnswer

    response = factory.SubFactory(ResponseFactory)
    goal_version = factory.SubFactory(GoalVersionFactory, in_force=True)


# --- meetings and hearings ----------------------------------------------------------------------------


def earlier_today() -> datetime.datetime:
    """A moment that has passed but is still today in local time (a meeting just held), also just after midnight."""
    now = timezone.now()
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(now), datetime.time()))
    return min(max(now - datetime.timedelta(hours=1), midnight), now - datetime.timedelta(seconds=1))


def in_days(n: float) -> datetime.datetime:
    """The moment `n` days from now."""
    return timezone.now() + datetime.timedelta(days=n)


class BodyFactory(factory.django.DjangoModelFactory):
    """A body with the rules of procedure's quorum (the same row workgroups.services.body_for would make)."""

    class Meta:
        model = Body
        django_get_or_create = ("kind",)

    kind = Body.Kind.STEERING_GROUP
    min_present = factory.LazyAttribute(lambda o: Body.DEFAULT_MIN_PRESENT.get(o.kind, 2))


class MeetingFactory(factory.django.DjangoModelFactory):
    """A steering-group meeting a month from now."""

    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    title = "Styregruppemøde"
    starts_at = factory.LazyFunction(lambda: in_days(30))
    place = "Miljøstyrelsen, Odense"


class HearingFactory(factory.django.DjangoModelFactory):
    """An internal hearing on a draft, open for two weeks."""

    class Meta:
        model = Hearing

    version = factory.SubFactory(GoalVersionFactory)
    kind = Hearing.Kind.INTERNAL
    closes_at = factory.LazyFunction(lambda: in_days(14))
