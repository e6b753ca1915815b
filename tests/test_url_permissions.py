"""Every URL of the project, every role: the permission matrix.

The test walks all URL patterns. A project view without a declared access
rule, or a URL name missing from EXPECTED (or, for third-party URL sets, from
THIRD_PARTY), fails the test — so a new page cannot ship without a rule.
"""

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from members.models import Invitation, Membership
from tests.conftest import with_totp
from tests.factories import MembershipFactory, OrganisationFactory, RepresentativeFactory, UserFactory, goal_in_force

ROLES = ["anonymous", "secretariat", "secretariat_no_mfa", "steering", "working_group", "rep_a", "rep_b"]

OK = 200
LOGIN = 302  # redirect to the login page
MFA = 302  # redirect to two-factor set-up
DENIED = 403
HIDDEN = 404
POST_ONLY = 405
REAUTHENTICATE = 302  # redirect to re-authentication first (a change to who acts for a member)


def row(anonymous, secretariat, no_mfa, steering, working_group, rep_a, rep_b):
    return dict(zip(ROLES, [anonymous, secretariat, no_mfa, steering, working_group, rep_a, rep_b], strict=True))


EVERYONE = row(OK, OK, OK, OK, OK, OK, OK)
SIGNED_IN = row(LOGIN, OK, OK, OK, OK, OK, OK)
SECRETARIAT_PAGE = row(LOGIN, OK, MFA, DENIED, DENIED, DENIED, DENIED)
SECRETARIAT_POST = row(LOGIN, POST_ONLY, MFA, DENIED, DENIED, DENIED, DENIED)
SECRETARIAT_REAUTHENTICATE = row(LOGIN, REAUTHENTICATE, MFA, DENIED, DENIED, DENIED, DENIED)
# Organisation A's own pages: its representative and the secretariat; others get 404.
ORG_A_PAGE = row(LOGIN, OK, MFA, HIDDEN, HIDDEN, OK, HIDDEN)
REPRESENTATIVE_POST = row(LOGIN, POST_ONLY, MFA, POST_ONLY, POST_ONLY, POST_ONLY, POST_ONLY)
DRAFT_PAGE = row(LOGIN, OK, MFA, HIDDEN, OK, HIDDEN, HIDDEN)
# A steering-group meeting and the drafts on its agenda: the secretariat and the steering group.
STEERING_PAGE = row(LOGIN, OK, MFA, OK, HIDDEN, HIDDEN, HIDDEN)

EXPECTED = {
    "home": EVERYONE,
    "accessibility": EVERYONE,
    "healthz": EVERYONE,
    "healthz-detail": SECRETARIAT_PAGE,  # or monitoring with HEALTHZ_TOKEN
    "robots-txt": EVERYONE,
    "favicon": row(301, 301, 301, 301, 301, 301, 301),  # to the static icon
    "dashboard": SIGNED_IN,
    "members:member-list": EVERYONE,
    "members:member-detail": EVERYONE,
    "members:application-create": EVERYONE,
    "members:application-received": row(302, 302, 302, 302, 302, 302, 302),  # nothing applied in this session
    "members:invitation-accept": EVERYONE,  # the token in the link is the credential
    # The signed link sent to an official address is the credential; the matrix's token is none.
    "members:application-confirm": row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    "members:organisation-edit": ORG_A_PAGE,
    "members:membership-withdraw": ORG_A_PAGE,
    "members:enrolment-form-download": ORG_A_PAGE,
    "members:secretariat-commitments": SECRETARIAT_PAGE,
    "members:secretariat-applications": SECRETARIAT_PAGE,
    "members:secretariat-application-detail": SECRETARIAT_PAGE,
    "members:secretariat-application-verify": SECRETARIAT_PAGE,  # the confirmation step before the POST
    "members:secretariat-transition": SECRETARIAT_PAGE,
    "members:secretariat-security-log": SECRETARIAT_PAGE,
    "members:secretariat-security-log-export": SECRETARIAT_PAGE,
    "members:secretariat-organisation": SECRETARIAT_PAGE,
    "members:secretariat-invite": SECRETARIAT_POST,
    "members:secretariat-email-domain-set": SECRETARIAT_POST,
    "members:secretariat-withdraw": SECRETARIAT_POST,
    "members:secretariat-transition-set": SECRETARIAT_POST,
    "members:secretariat-representative-remove": SECRETARIAT_REAUTHENTICATE,  # then the confirmation step
    "members:secretariat-invitation-revoke": SECRETARIAT_POST,
    "open-data": EVERYONE,
    "open-data-json": EVERYONE,
    "open-data-csv": EVERYONE,
    "year-wheel": EVERYONE,
    "year-wheel-ics": EVERYONE,
    "goals:catalogue": EVERYONE,
    "goals:goal-detail": EVERYONE,
    "goals:compare": EVERYONE,
    "goals:version-detail": EVERYONE,
    "goals:version-print": EVERYONE,
    "goals:version-pdf": EVERYONE,
    "goals:manage-list": SECRETARIAT_PAGE,
    "goals:manage-create": SECRETARIAT_PAGE,
    # a draft: the secretariat and the working group drafting it (the working_group role sits in it)
    "goals:manage-version": DRAFT_PAGE,
    "goals:manage-criterion-edit": DRAFT_PAGE,
    "goals:manage-english": SECRETARIAT_PAGE,  # the English text beside the Danish: the secretariat
    "goals:manage-draft-start": SECRETARIAT_POST,
    "goals:manage-criterion-add": REPRESENTATIVE_POST,
    "goals:manage-renumber": REPRESENTATIVE_POST,
    "goals:manage-action": SECRETARIAT_PAGE,  # a step with its reason: a confirmation page, then a post
    "goals:manage-publish": SECRETARIAT_POST,
    "goals:manage-criterion-delete": REPRESENTATIVE_POST,
    "goals:manage-criterion-move": REPRESENTATIVE_POST,
    "goals:plans-overview": SECRETARIAT_PAGE,
    "goals:plan-detail": ORG_A_PAGE,
    "goals:plan-create": SECRETARIAT_POST,
    "goals:plan-row-update": REPRESENTATIVE_POST,
    "workgroups:overview": EVERYONE,
    "workgroups:group-detail": EVERYONE,
    "workgroups:hearing-public": EVERYONE,  # the industry hearing's public link
    "workgroups:hearing-detail": row(LOGIN, OK, MFA, OK, OK, OK, OK),  # internal hearing: member representatives
    # the secretariat's revision-cycle desk
    "workgroups:manage-desk": SECRETARIAT_PAGE,
    "workgroups:manage-plan-create": SECRETARIAT_POST,
    "workgroups:manage-plan-item-add": SECRETARIAT_POST,
    "workgroups:manage-group-create": SECRETARIAT_POST,
    "workgroups:manage-group": SECRETARIAT_PAGE,
    "workgroups:manage-group-status": SECRETARIAT_PAGE,
    "workgroups:manage-group-terms": row(LOGIN, HIDDEN, MFA, DENIED, DENIED, DENIED, DENIED),  # no PDF uploaded
    "workgroups:manage-member-add": SECRETARIAT_POST,
    "workgroups:manage-member-remove": SECRETARIAT_POST,
    "workgroups:manage-milestone-add": SECRETARIAT_POST,
    "workgroups:manage-milestone-done": SECRETARIAT_POST,
    "workgroups:manage-hearing-open": SECRETARIAT_POST,
    "workgroups:manage-hearing": SECRETARIAT_PAGE,
    "workgroups:manage-hearing-close": SECRETARIAT_PAGE,  # a confirmation page, then a POST
    "workgroups:manage-hearing-register": SECRETARIAT_POST,
    "workgroups:manage-response-answer": SECRETARIAT_POST,
    "workgroups:manage-response-dismiss": SECRETARIAT_POST,
    "workgroups:manage-response-restore": SECRETARIAT_POST,
    "workgroups:manage-memo": SECRETARIAT_PAGE,
    "workgroups:manage-memo-pdf": SECRETARIAT_PAGE,
    "workgroups:manage-year-wheel": SECRETARIAT_PAGE,
    "workgroups:manage-year-wheel-add": SECRETARIAT_POST,
    "workgroups:manage-year-wheel-save": SECRETARIAT_POST,
    "workgroups:manage-year-wheel-remove": SECRETARIAT_POST,
    # meetings and decisions
    "workgroups:meeting-list": row(LOGIN, OK, MFA, OK, OK, OK, OK),
    "workgroups:meeting-create": SECRETARIAT_PAGE,
    "workgroups:meeting-detail": STEERING_PAGE,
    "workgroups:meeting-edit": SECRETARIAT_PAGE,
    "workgroups:meeting-invite": SECRETARIAT_POST,
    "workgroups:agenda-item-add": SECRETARIAT_POST,
    "workgroups:agenda-item-remove": SECRETARIAT_PAGE,  # a confirmation page, then the post
    "workgroups:agenda-document-add": SECRETARIAT_POST,
    "workgroups:attendance-save": SECRETARIAT_POST,
    "workgroups:minutes-save": SECRETARIAT_POST,
    "workgroups:minutes-approve": SECRETARIAT_POST,
    "workgroups:decision-record": SECRETARIAT_PAGE,
    "workgroups:meeting-document": STEERING_PAGE,
    "workgroups:draft-review": STEERING_PAGE,
    # the follow-up: a member's response is its own organisation's (A's here, submitted) and the secretariat's
    "followup:home": SIGNED_IN,
    "followup:response-detail": ORG_A_PAGE,
    "followup:response-organisation": ORG_A_PAGE,
    "followup:response-goal": ORG_A_PAGE,
    "followup:response-check": ORG_A_PAGE,
    "followup:response-receipt": ORG_A_PAGE,
    "followup:response-pdf": ORG_A_PAGE,
    "followup:response-remind": SECRETARIAT_POST,
    "followup:response-reopen": SECRETARIAT_POST,
    "followup:round-list": SECRETARIAT_PAGE,
    "followup:round-create": SECRETARIAT_PAGE,
    "followup:round-detail": SECRETARIAT_PAGE,
    "followup:round-edit": SECRETARIAT_PAGE,
    # Confirmation pages (a GET changes nothing); the world's round is closed, so opening and closing it send the
    # secretariat back to its overview with a message.
    "followup:round-open": row(LOGIN, 302, MFA, DENIED, DENIED, DENIED, DENIED),
    "followup:round-close": row(LOGIN, 302, MFA, DENIED, DENIED, DENIED, DENIED),
    "followup:round-reopen": SECRETARIAT_PAGE,
    "followup:round-members-add": SECRETARIAT_POST,
    "followup:round-import": SECRETARIAT_PAGE,
    "followup:round-export": SECRETARIAT_PAGE,
    "followup:report-detail": SECRETARIAT_PAGE,
    "followup:report-status": SECRETARIAT_PAGE,
    "followup:report-generate": SECRETARIAT_POST,
    "followup:report-quotes": SECRETARIAT_PAGE,
    "followup:report-csv": SECRETARIAT_PAGE,
    "followup:report-publish": SECRETARIAT_POST,
    "followup:report-download": SECRETARIAT_PAGE,  # the annex: never public
    "followup:report-list": EVERYONE,
    "followup:report-public-pdf": EVERYONE,
    # projects: public pages; a project's management is its owner's (organisation A's here) and the secretariat's
    "projects:project-list": EVERYONE,
    "projects:project-detail": EVERYONE,
    "projects:project-propose": row(LOGIN, OK, MFA, OK, OK, OK, OK),
    "projects:project-join": REPRESENTATIVE_POST,
    "projects:project-manage": ORG_A_PAGE,
    "projects:status-reports": ORG_A_PAGE,  # the project's participants (A owns it) and the secretariat
    "projects:report-overview": SECRETARIAT_PAGE,
    # the spreadsheet: every project's export and the import are the secretariat's; a project's own export its owner's
    "projects:projects-export": SECRETARIAT_PAGE,
    "projects:projects-import": SECRETARIAT_PAGE,
    "projects:project-export": ORG_A_PAGE,
    "projects:phase-add": REPRESENTATIVE_POST,
    "projects:phase-update": REPRESENTATIVE_POST,
    "projects:funding-add": REPRESENTATIVE_POST,
    "projects:funding-update": REPRESENTATIVE_POST,
    # the risk register and stakeholder table: the participants (A owns the project) and the secretariat
    "projects:project-risks": ORG_A_PAGE,
    "projects:risk-update": REPRESENTATIVE_POST,
    "projects:risk-remove": REPRESENTATIVE_POST,
    "projects:stakeholder-set": REPRESENTATIVE_POST,
    "projects:stakeholder-remove": REPRESENTATIVE_POST,
    # prioritising is the secretariat's: a confirmation page, then the post; the owner does not see the step
    "projects:project-action": row(LOGIN, OK, MFA, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    # the prioritisation of Lab proposals is the secretariat's (the matrix's project is a Lab proposal)
    "projects:prioritisation": SECRETARIAT_PAGE,
    "projects:prioritisation-weights": SECRETARIAT_POST,
    "projects:prioritisation-agenda": SECRETARIAT_POST,
    "projects:prioritisation-score": SECRETARIAT_PAGE,
    # the bodies POGI Move and POGI Lab: a public page each; their offices and seats are the secretariat's
    # Nordic buyer dialogues: public pages, the signed links of the e-mails (the link is the credential), the
    # national contact's assessment (rep_b is Norway's contact here) and the secretariat's set-up and news
    "projects:dialogue-create": SECRETARIAT_PAGE,
    "projects:dialogue-apply": EVERYONE,
    "projects:dialogue-interest": row(302, 302, 302, 302, 302, 302, 302),  # a post; a GET goes back to the form
    "projects:interest-sent": EVERYONE,
    "projects:interest-confirm": EVERYONE,
    "projects:interest-mine": EVERYONE,
    "projects:interest-unsubscribe": EVERYONE,
    "projects:participant-unsubscribe": EVERYONE,
    "projects:gathering-register": EVERYONE,
    "projects:dialogue-applications": row(LOGIN, OK, MFA, HIDDEN, HIDDEN, HIDDEN, OK),
    "projects:application-assess": row(LOGIN, OK, MFA, HIDDEN, HIDDEN, HIDDEN, OK),
    "projects:dialogue-news": SECRETARIAT_PAGE,
    "projects:dialogue-news-detail": SECRETARIAT_PAGE,
    "projects:dialogue-manage": SECRETARIAT_PAGE,
    "projects:body-detail": EVERYONE,
    "projects:body-manage": SECRETARIAT_PAGE,
    "projects:body-office-assign": SECRETARIAT_POST,
    "projects:body-office-end": SECRETARIAT_POST,
    "projects:body-office-remove": SECRETARIAT_POST,
    "projects:body-seat-set": SECRETARIAT_POST,
    "projects:body-seat-remove": SECRETARIAT_POST,
    # Climate accounting: the partnership's figures and the factor table are public, a member's account is its own.
    "open-data-emission-factors": EVERYONE,
    "climate:home": EVERYONE,
    "climate:csv": EVERYONE,
    "climate:factor-list": EVERYONE,
    "climate:factor-detail": EVERYONE,
    "climate:factor-import": SECRETARIAT_PAGE,
    "climate:factor-import-preview": SECRETARIAT_PAGE,
    "climate:factor-edit": SECRETARIAT_PAGE,
    "climate:year-recalculate": SECRETARIAT_PAGE,
    "climate:mine": row(LOGIN, 302, 302, 302, 302, 302, 302),  # to one's own account (the secretariat: the overview)
    "climate:member": ORG_A_PAGE,
    "climate:member-csv": ORG_A_PAGE,
    "climate:member-activity-save": REPRESENTATIVE_POST,
    "climate:member-activity-delete": ORG_A_PAGE,
    "climate:member-spend-import": ORG_A_PAGE,
    "climate:member-spend-preview": ORG_A_PAGE,
    "climate:member-recalculate": ORG_A_PAGE,
    "climate:measure-create": ORG_A_PAGE,
    "climate:measure-edit": ORG_A_PAGE,
    "climate:measure-status": ORG_A_PAGE,
    "climate:measure-delete": ORG_A_PAGE,
}

# Third-party URL sets, each with its own rules: allauth's account and two-factor
# pages, and the admin, which only the break-glass administrator (superuser, two-factor) reaches.
THIRD_PARTY = ("account_", "mfa_", "admin:")
THIRD_PARTY_PATHS = ("admin/", "accounts/")


def is_third_party(name, pattern) -> bool:
    return bool(name and name.startswith(THIRD_PARTY)) or pattern.lstrip("^").startswith(THIRD_PARTY_PATHS)


# The admin is the break-glass administrator's only (a superuser with two-factor): the secretariat's
# daily accounts are sent to its login like everyone else.
ADMIN_INDEX = row(302, 302, 302, 302, 302, 302, 302)


def walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield (f"{namespace}{p.name}" if p.name else None), prefix + str(p.pattern), p.callback


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    from members import services

    org_a = MembershipFactory(organisation=OrganisationFactory(name="Testby Kommune")).organisation
    org_b = MembershipFactory(organisation=OrganisationFactory(name="Andenby Kommune")).organisation
    pending = MembershipFactory(status=Membership.Status.APPLIED, joined_on=None)
    received = MembershipFactory(status=Membership.Status.RECEIVED, joined_on=None)
    users = {
        "secretariat": with_totp(UserFactory(is_secretariat=True, is_staff=True)),
        "secretariat_no_mfa": UserFactory(is_secretariat=True, is_staff=True),
        "steering": RepresentativeFactory(organisation=org_b, position="deputy", steering_group=True).user,
        "working_group": RepresentativeFactory(organisation=org_b, position="specialist").user,
        "rep_a": RepresentativeFactory(organisation=org_a, position="primary").user,
        "rep_b": RepresentativeFactory(organisation=org_b, position="primary").user,
    }
    with django_capture_on_commit_callbacks(execute=False):
        services.invitation_create(
            organisation=org_a, email="invitee@example.org", position="deputy", invited_by=users["secretariat"]
        )
    invitation = Invitation.objects.get(email="invitee@example.org")
    token = "known-token-for-the-matrix"
    from members.models import hash_token

    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    goal, draft, criterion, plan_row = goal_world(users["secretariat"], org_a)
    group, internal, industry = workgroup_world(users["secretariat"], goal, users["working_group"])
    import datetime

    from workgroups import services as wg_services

    response = wg_services.hearing_respond(
        hearing=industry, text="Godt forslag.", respondent_name="Ann", respondent_organisation="Branchen"
    )
    milestone = wg_services.milestone_add(group=group, title="Kick-off", planned_on=datetime.date(2026, 5, 1), by=None)
    meeting, item, document = meeting_world(users["secretariat"], group.draft, industry)
    response_a = followup_world(users["secretariat"], users["rep_a"], org_a)
    pks = {
        "workgroups:hearing-detail": internal.pk,
        "workgroups:manage-plan-item-add": group.item.plan_id,
        "workgroups:manage-group-create": group.item_id,
        "workgroups:manage-member-remove": group.members.get().pk,
        "workgroups:manage-milestone-done": milestone.pk,
        "workgroups:manage-hearing": industry.pk,
        "workgroups:manage-hearing-close": industry.pk,
        "workgroups:manage-hearing-register": industry.pk,
        "workgroups:manage-response-answer": response.pk,
        "workgroups:manage-response-dismiss": response.pk,
        "workgroups:manage-response-restore": response.pk,
        # posts only, answered before the event is read
        "workgroups:manage-year-wheel-save": 1,
        "workgroups:manage-year-wheel-remove": 1,
        **dict.fromkeys(
            [
                "workgroups:meeting-detail",
                "workgroups:meeting-edit",
                "workgroups:meeting-invite",
                "workgroups:agenda-item-add",
                "workgroups:agenda-document-add",
                "workgroups:attendance-save",
                "workgroups:minutes-save",
                "workgroups:minutes-approve",
            ],
            meeting.pk,
        ),
        "workgroups:decision-record": item.pk,
        "workgroups:agenda-item-remove": item.pk,
        "workgroups:meeting-document": document.pk,
        "workgroups:draft-review": group.draft_id,
        "goals:manage-version": draft.pk,
        "goals:manage-criterion-add": draft.pk,
        "goals:manage-renumber": draft.pk,
        "goals:manage-action": draft.pk,
        "goals:manage-publish": draft.pk,
        "goals:manage-english": draft.pk,
        "goals:manage-criterion-edit": criterion.pk,
        "goals:manage-criterion-delete": criterion.pk,
        "goals:manage-criterion-move": criterion.pk,
        "goals:plan-row-update": plan_row.pk,
        "members:secretariat-application-detail": pending.pk,
        "members:secretariat-application-verify": received.pk,
        "members:enrolment-form-download": org_a.memberships.get().pk,
        "members:secretariat-representative-remove": org_a.representatives.get().pk,
        "members:secretariat-invitation-revoke": invitation.pk,
    }
    pks.update({name: response_a.pk for name in EXPECTED if name.startswith("followup:response-")})
    from workgroups.services import project_funding_add, project_phase_add, project_propose

    project = project_propose(
        owner=org_a, kind="development", title="Genbrug af møbler", purpose="Møbler genbruges.", by=users["rep_a"]
    )
    project_funding_add(
        project=project, by=users["rep_a"], source="Egenandel", kind="own", amount_dkk=100_000, status="granted"
    )
    project_phase_add(
        project=project,
        by=users["rep_a"],
        title="Forsøg",
        milestone="Forsøget er evalueret",
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 6, 1),
    )
    wg_services.risk_add(
        project=project,
        by=users["rep_a"],
        title="Leverandøren går konkurs",
        probability=2,
        consequence=3,
        measure="En reserveleverandør.",
        owner="Projektlederen",
    )
    wg_services.stakeholder_set(
        project=project, by=users["rep_a"], activity="Forsøg", stakeholder="SKI", involvement="H"
    )
    return {
        "dialogue": dialogue_world(users["secretariat"], users["rep_b"]),
        "org_a": org_a,
        "project": project,
        "goal": goal,
        "group": group,
        "hearing_token": industry.token,
        "users": users,
        "token": token,
        "pks": pks,
        "followup": response_a,
        "climate": climate_world(users["secretariat"], users["rep_a"], org_a),
    }


def climate_world(secretariat, rep_a, org_a):
    """A factor, a pending factor file, org A's pending spend file, a quantity and a measure."""
    from decimal import Decimal

    from followup.models import EmissionFactor, EmissionFactorVersion, PriceIndex
    from followup.services import climate
    from goals.models import ProductArea

    area = ProductArea.objects.get(slug="rengoering")
    PriceIndex.objects.create(country="DK", year=2024, value=Decimal("118"), base="2015=100", source="Test")
    spend = EmissionFactor.objects.create(code="cleaning", name="Rengøring", method="spend", product_area=area)
    EmissionFactorVersion.objects.create(
        factor=spend, number=1, value=Decimal("0.3"), per="DKK", price_year=2024, source="Test", quality="derived"
    )
    diesel = EmissionFactor.objects.create(code="diesel", name="Diesel", method="activity", product_area=area)
    EmissionFactorVersion.objects.create(
        factor=diesel, number=1, value=Decimal("2.66"), per="litre", source="T", quality="primary"
    )
    factor_file = climate.emission_factors_import_read(
        rows=[
            {
                "__row__": 2,
                "code": "new",
                "category": "New",
                "method": "activity",
                "value": "1",
                "per": "kg",
                "source": "S",
                "quality": "primary",
            }
        ],
        filename="f.csv",
        by=secretariat,
    )
    spend_file = climate.climate_spend_import_read(
        organisation=org_a,
        year=2024,
        rows=[{"__row__": 2, "category": "cleaning", "amount_dkk": "10"}],
        filename="s.csv",
        by=rep_a,
    )
    activity = climate.climate_activity_save(
        organisation=org_a, year=2024, factor=diesel, product_area=None, quantity=Decimal(5), note="", by=rep_a
    )
    measure = climate.climate_measure_save(
        organisation=org_a,
        measure=None,
        values={
            "title": "Genbrug",
            "kind": "reuse",
            "product_area": area,
            "reduction_tonnes": Decimal(1),
            "assumption": "1 t",
            "owner": "X",
        },
        by=rep_a,
    )
    return {
        "factor": spend,
        "factor_file": factor_file,
        "spend_file": spend_file,
        "activity": activity,
        "measure": measure,
    }


def dialogue_world(secretariat, contact):
    """A dialogue with Norway's national contact (``contact``), an application from Norway, a sign-up to its
    interest list, a gathering and a news update; the signed links of its e-mails."""
    from datetime import timedelta

    from django.utils import timezone

    from workgroups import dialogue_links
    from workgroups.models import DIALOGUE_REQUIREMENTS, InterestSignup
    from workgroups.services import dialogues

    lead = OrganisationFactory(name="Nordisk program", country="NO")
    dialogue = dialogues.dialogue_create(
        by=secretariat,
        lead=lead,
        title="Utslippsfri levering",
        purpose="Utslippsfri levering av varer.",
        funder="Nordisk ministerråd",
        ends_on=timezone.localdate() + timedelta(days=200),
    )
    dialogues.dialogue_country_set(
        dialogue=dialogue,
        country="NO",
        contact_organisation=lead,
        contact_name="Kari",
        contact_email="kari@example.no",
        contact_user=contact,
        by=secretariat,
    )
    application = dialogues.application_submit(
        dialogue=dialogue,
        organisation_name="Oslo kommune",
        country="NO",
        identifier="",
        confirmed={key for key, _label in DIALOGUE_REQUIREMENTS},
        how={key: "Ja." for key, _label in DIALOGUE_REQUIREMENTS},
        responsible_name="Ola",
        responsible_title="",
        responsible_email="ola@oslo.example",
        language="nb",
    )
    gathering = dialogues.gathering_add(
        dialogue=dialogue, title="Oppstart", starts_at=timezone.now() + timedelta(days=20), place="Oslo", by=secretariat
    )
    dialogues.interest_signup(
        dialogue=dialogue,
        email="per@example.no",
        name="Per",
        language="nb",
        consent=dialogues.consent_current(),
        consent_given=True,
    )
    signup = InterestSignup.objects.get(email="per@example.no")
    news = dialogues.news_create(dialogue=dialogue, texts={"en": ("News", "Text.")}, by=secretariat)
    dialogue.matrix = {
        "application": application.pk,
        "gathering": gathering.pk,
        "news": news.pk,
        "confirm": dialogue_links.confirm_token(signup.pk),
        "mine": dialogue_links.mine_token(signup.pk),
        "participant": dialogue_links.participant_token(application.pk),
    }
    return dialogue


DIALOGUE_KWARGS = {
    "projects:dialogue-create": lambda d: {},
    "projects:dialogue-apply": lambda d: {"slug": d.project.slug},
    "projects:dialogue-interest": lambda d: {"slug": d.project.slug},
    "projects:interest-sent": lambda d: {"slug": d.project.slug},
    "projects:dialogue-applications": lambda d: {"slug": d.project.slug},
    "projects:dialogue-news": lambda d: {"slug": d.project.slug},
    "projects:dialogue-manage": lambda d: {"slug": d.project.slug},
    "projects:application-assess": lambda d: {"slug": d.project.slug, "pk": d.matrix["application"]},
    "projects:gathering-register": lambda d: {"slug": d.project.slug, "pk": d.matrix["gathering"]},
    "projects:dialogue-news-detail": lambda d: {"slug": d.project.slug, "pk": d.matrix["news"]},
    "projects:interest-confirm": lambda d: {"token": d.matrix["confirm"]},
    "projects:interest-mine": lambda d: {"token": d.matrix["mine"]},
    "projects:interest-unsubscribe": lambda d: {"token": d.matrix["mine"]},
    "projects:participant-unsubscribe": lambda d: {"token": d.matrix["participant"]},
}


def followup_world(secretariat, rep_a, org_a):
    """A closed follow-up round: organisation A's response submitted, the report published and the annex made."""
    import datetime

    from followup import services as followup_services

    round_ = followup_services.round_create(
        year=2026, opens_on=datetime.date(2026, 1, 1), deadline=datetime.date(2026, 3, 1), by=secretariat
    )
    followup_services.round_open(round=round_, by=secretariat)
    response = round_.responses.get(organisation=org_a)
    followup_services.response_organisation_save(
        response=response,
        by=rep_a,
        expected_version=0,
        data={"total_volume_dkk": 1_000_000, "policy_url_valid": True, "contact_name": "A", "contact_email": "a@a.dk"},
    )
    for version in round_.goal_versions.all():
        followup_services.response_goal_save(
            response=response,
            goal_version=version,
            by=rep_a,
            expected_version=0,
            data={"status": "not_relevant", "reason": "Ingen udbud."},
        )
    response = followup_services.response_submit(response=response, by=rep_a)
    followup_services.round_close(round=round_, by=secretariat)
    from followup.services import reports as report_services

    for kind in ("report", "annex"):
        report = report_services.report_generate(round=round_, kind=kind, language="da", by=secretariat, enqueue=False)
        report_services.report_build(report_id=report.pk)
    report_services.report_publish(report=round_.reports.get(kind="report"), by=secretariat)
    return response


def workgroup_world(secretariat, goal, member):
    """A working group revising the goal, with its internal hearing closed and the industry hearing open."""
    import datetime

    from django.utils import timezone

    from workgroups import services as wg_services

    plan = wg_services.work_plan_create(year=2026, by=secretariat)
    item = wg_services.work_plan_item_add(
        plan=plan, kind="revision", goal=goal, product_area=goal.product_area, title="Rengøring", by=secretariat
    )
    group = wg_services.working_group_create(item=item, facilitator=secretariat, by=secretariat)
    wg_services.working_group_member_add(group=group, user=member, by=secretariat)
    deadline = timezone.now() + datetime.timedelta(days=14)
    internal = wg_services.hearing_open(version=group.draft, kind="internal", closes_at=deadline, by=secretariat)
    industry = wg_services.hearing_open(version=group.draft, kind="industry", closes_at=deadline, by=secretariat)
    return group, internal, industry


def meeting_world(secretariat, draft, industry):
    """A coming steering-group meeting with the draft on its agenda for adoption (its industry hearing closed
    first, as the agenda requires), and a document."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from members.demo import minimal_pdf
    from workgroups import services as wg_services

    wg_services.hearing_close(hearing=industry, by=secretariat, reason="Alle har svaret.")
    starts = timezone.now() + datetime.timedelta(days=30)
    meeting = wg_services.meeting_create(
        kind="steering_group", title="Styregruppemøde", starts_at=starts, place="Miljøstyrelsen", by=secretariat
    )
    item = wg_services.agenda_item_add(
        meeting=meeting,
        title="Vedtagelse af revideret mål",
        version=draft,
        effective_date=starts.date() + datetime.timedelta(days=30),
        by=secretariat,
    )
    upload = SimpleUploadedFile("notat.pdf", minimal_pdf("notat"), content_type="application/pdf")
    document = wg_services.agenda_document_add(item=item, title="Notat", upload=upload, by=secretariat)
    return meeting, item, document


def goal_world(secretariat, organisation):
    """A goal in force (version 1), a draft (version 2) with a criterion, and an implementation plan."""

    from goals import reference as goal_reference
    from goals import services as goal_services

    goal_reference.load()
    version = goal_in_force(secretariat, criteria=["Svanemærket eller EU-Blomsten."])
    draft = goal_services.goal_version_draft_start(goal=version.goal, by=secretariat)
    plan = goal_services.implementation_plan_create(organisation=organisation, by=secretariat)
    return version.goal, draft, draft.criteria.get(), plan.rows.get()


def kwargs_for(name, pattern, world):
    kwargs = {}
    if name.startswith("followup:"):
        response = world["followup"]
        if "<int:pk>" in pattern:
            kwargs["pk"] = response.pk
        if "<int:year>" in pattern:
            kwargs["year"] = response.round.year
        if "<int:number>" in pattern:
            kwargs["number"] = world["goal"].number
        if "<slug:kind>" in pattern:
            kwargs["kind"] = "annex" if name == "followup:report-download" else "xlsx"
        if "<slug:language>" in pattern:
            kwargs["language"] = "da"
        if "<slug:table>" in pattern:
            kwargs["table"] = "goals"
        return kwargs
    if name.startswith("climate:"):
        climate = world["climate"]
        if "<slug:code>" in pattern:
            kwargs["code"] = climate["factor"].code
        if "<slug:slug>" in pattern:
            kwargs["slug"] = world["org_a"].slug
        if "<slug:table>" in pattern:
            kwargs["table"] = "estimates" if name == "climate:member-csv" else "areas"
        if "<int:year>" in pattern:
            kwargs["year"] = 2024
        if "<int:pk>" in pattern:
            kwargs["pk"] = {
                "climate:factor-import-preview": climate["factor_file"],
                "climate:member-spend-preview": climate["spend_file"],
                "climate:member-activity-delete": climate["activity"],
            }.get(name, climate["measure"]).pk
        return kwargs
    if name.startswith("projects:body-"):
        # Move's page; its posts answer before any office or seat is read
        return {"kind": "move", **({"pk": 1} if "<int:pk>" in pattern else {})}
    if name in DIALOGUE_KWARGS:
        return DIALOGUE_KWARGS[name](world["dialogue"])
    if name.startswith("projects:"):
        if "<slug:slug>" in pattern:
            kwargs["slug"] = world["project"].slug
        if "<slug:action>" in pattern:
            kwargs["action"] = "prioritise"
        if "<int:pk>" in pattern:
            related = {
                "projects:funding-update": "funding",
                "projects:risk-update": "risks",
                "projects:risk-remove": "risks",
                "projects:stakeholder-remove": "stakeholders",
            }.get(name, "phases")
            kwargs["pk"] = getattr(world["project"], related).get().pk
        return kwargs
    if "<slug:action>" in pattern:
        kwargs["action"] = "cancel" if name.startswith("workgroups:") else "withdraw"
    if name.startswith("workgroups:"):
        if "<slug:slug>" in pattern:
            kwargs["slug"] = world["group"].slug
        if "<uuid:token>" in pattern:
            kwargs["token"] = world["hearing_token"]
        if "<int:pk>" in pattern:
            kwargs["pk"] = world["pks"][name]
        if "<int:version_pk>" in pattern:
            kwargs["version_pk"] = world["group"].draft_id
        return kwargs
    if "<int:number>-<slug:slug>" in pattern:
        kwargs["number"], kwargs["slug"] = world["goal"].number, world["goal"].slug
    elif "<int:number>" in pattern:
        kwargs["number"] = world["goal"].number
    elif "<slug:slug>" in pattern:
        kwargs["slug"] = world["org_a"].slug
    if "<int:version>" in pattern:
        kwargs["version"] = 1
    if "<int:pk>" in pattern:
        kwargs["pk"] = world["pks"][name]
    if "<str:token>" in pattern:
        kwargs["token"] = world["token"]
    return kwargs


def test_every_project_view_declares_an_access_rule():
    missing = []
    for name, pattern, callback in walk(get_resolver().url_patterns):
        if is_third_party(name, pattern):
            continue
        if not hasattr(callback, "access_rule"):
            missing.append(f"{name} ({pattern})")
        if name not in EXPECTED:
            missing.append(f"{name} ({pattern}) is not in the permission matrix")
    assert not missing, "URLs without a rule:\n" + "\n".join(missing)


def test_permission_matrix(world, client):
    checked = 0
    failures = []
    patterns = [(n, p) for n, p, _ in walk(get_resolver().url_patterns) if n in EXPECTED]
    assert {n for n, _ in patterns} == set(EXPECTED), "EXPECTED names a URL that no longer exists"
    for name, pattern in patterns:
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(world["users"][role])
            status = client.get(url).status_code
            checked += 1
            if status != EXPECTED[name][role]:
                failures.append(f"{role:>20} GET {url} ({name}): {status}, expected {EXPECTED[name][role]}")
    assert not failures, "\n".join(failures)
    assert checked == len(EXPECTED) * len(ROLES)


def test_representative_of_a_cannot_reach_b_by_any_url(world, client):
    # given the representative of organisation B
    client.force_login(world["users"]["rep_b"])
    org_a = world["org_a"]
    # when they try A's pages, A's enrolment form, or post a profile change to A
    urls = [
        reverse("members:organisation-edit", kwargs={"slug": org_a.slug}),
        reverse("members:membership-withdraw", kwargs={"slug": org_a.slug}),
        reverse("members:enrolment-form-download", kwargs={"pk": world["pks"]["members:enrolment-form-download"]}),
    ]
    # then every answer is 404 and nothing changed
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"website": "https://hijack.example", "withdrawn_on": "2026-01-01"}).status_code == 404
    org_a.refresh_from_db()
    assert org_a.website == ""
    assert org_a.memberships.get().status == Membership.Status.ACTIVE


def test_third_party_urls_answer_every_role_without_error(world, client):
    failures = []
    for name, pattern, _ in walk(get_resolver().url_patterns):
        if not name or not is_third_party(name, pattern):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # needs an object; covered by the admin's own permission check
        for role in ROLES:
            client.logout()
            if role != "anonymous":
                client.force_login(world["users"][role])
            status = client.get(url).status_code
            if status >= 500:
                failures.append(f"{role} GET {url}: {status}")
            if name == "admin:index" and status != ADMIN_INDEX[role]:
                failures.append(f"{role} GET {url}: {status}, expected {ADMIN_INDEX[role]}")
    assert not failures, "\n".join(failures)


JUNK_FIELDS = [
    "pk",
    "id",
    "project",
    "organisation",
    "person",
    "role",
    "starts_on",
    "ends_on",
    "decision",
    "note",
    "reason",
    "title",
    "title_en",
    "description",
    "measure",
    "owner",
    "probability",
    "consequence",
    "activity",
    "stakeholder",
    "involvement",
    "co2",
    "scalability",
    "relevance",
    "co2_potential_tonnes",
    "co2_assumption",
    "meeting",
    "count",
    "projects",
    "kind",
    "body",
    "month",
    "day",
    "duration_days",
    "event",
    "founding",
    "since",
    "format",
    "file",
    "files",
    "confirm",
    "token",
    "status",
    "weight",
    "amount_dkk",
]
JUNK_VALUES = ["", "abc", "-1", "99999999999999999999", "2026-13-45", "x" * 5000, "\x00", "1.5e400"]


@pytest.mark.parametrize("scope", ["projects:", "workgroups:manage-year-wheel", "year-wheel"])
def test_project_and_year_wheel_posts_never_fail_with_a_server_error(world, client, scope):
    """Garbage in every field a project, body or year-wheel form might read, and no field at all, posted by the
    secretariat and by the representatives of the owning and of another organisation: never a 500."""
    failures = []
    patterns = [(n, p) for n, p, _ in walk(get_resolver().url_patterns) if n and n.startswith(scope)]
    assert patterns
    for name, pattern in patterns:
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        for role in ("secretariat", "rep_a", "rep_b"):
            client.logout()
            client.force_login(world["users"][role])
            for value in JUNK_VALUES:
                data = dict.fromkeys(JUNK_FIELDS, value)
                for payload in (data, {}):
                    status = client.post(url, payload).status_code
                    if status >= 500:
                        failures.append(f"{role} POST {url} ({name}) with {value[:12]!r}: {status}")
    assert not failures, "\n".join(failures)
