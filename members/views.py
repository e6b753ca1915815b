from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.reauthentication import raise_if_reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimit
from core.forms import error_text
from core.network import client_ip
from core.security_log import Event, security_event_record
from core.uploads import pdf_download

from . import commitments, selectors, services
from .access import SECRETARIAT, public, representative_required, roles_of, secretariat_required
from .forms import (
    AcceptInvitationForm,
    ApplicationForm,
    CommitmentFilterForm,
    DecisionForm,
    EmailDomainForm,
    InvitationForm,
    OrganisationProfileForm,
    RejectReceivedForm,
    TransitionForm,
    WithdrawForm,
)
from .models import OPEN_STATUSES, Membership, Organisation, User

PAGE_SIZE = 50


# --- public ------------------------------------------------------------------


@public
def member_list(request):
    directory, memberships = selectors.member_directory(params=request.GET or None)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # htmx swaps only the results when a filter changes; without JavaScript the whole page is sent.
    template = "members/_member_results.html" if request.htmx else "members/member_list.html"
    return render(request, template, {"filter": directory, "page": page, "query": query.urlencode()})


@public
def member_detail(request, slug):
    membership = selectors.member_public_get(slug=slug)
    commitments.standings_attach([membership], today=timezone.localdate())
    return render(
        request, "members/member_detail.html", {"membership": membership, "organisation": membership.organisation}
    )


APPLICATION_WINDOW_SECONDS = 60 * 60


def _organisation_key(organisation_id: int) -> str:
    return f"members:apply:org:{organisation_id}"


def _application_limited(request) -> bool:
    """Whether this post is one too many from the client's address, or for the organisation it names.

    Every post counts for the address (a flood); for the organisation only the applications that were
    received count, so a form sent back for a wrong file does not use up the organisation's limit.
    """
    over = ratelimit.counted_over(
        f"members:apply:ip:{client_ip(request)}",
        limit=settings.POGI_APPLICATION_LIMIT_PER_IP,
        seconds=APPLICATION_WINDOW_SECONDS,
    )
    organisation_id = request.POST.get("organisation", "")
    if organisation_id.isdigit():
        received = cache.get(_organisation_key(int(organisation_id))) or 0
        over |= received >= settings.POGI_APPLICATION_LIMIT_PER_ORGANISATION
    return over


@public
def application_create(request):
    if request.method == "POST" and _application_limited(request):
        security_event_record(event=Event.RATE_LIMITED, request=request, details={"what": "membership_application"})
        response = render(request, "members/application_limited.html", status=429)
        response["Retry-After"] = str(APPLICATION_WINDOW_SECONDS)
        return response
    listed = selectors.municipalities_and_regions_without_membership()
    form = ApplicationForm(request.POST or None, request.FILES or None, listed_queryset=listed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["applicant"] == ApplicationForm.APPLICANT_LISTED:
                organisation = data["organisation"]
            else:
                organisation = services.organisation_create(
                    name=data["name"], kind=data["kind"], country=data["country"] or "DK", cvr=data["cvr"]
                )
            membership = services.membership_apply(
                organisation=organisation,
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                contact_title=data["contact_title"],
                procurement_policy_url=data["procurement_policy_url"],
                enrolment_form=data["enrolment_form"],
                motivation=data["motivation"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            ratelimit.counted_over(
                _organisation_key(organisation.pk),
                limit=settings.POGI_APPLICATION_LIMIT_PER_ORGANISATION,
                seconds=APPLICATION_WINDOW_SECONDS,
            )
            request.session["application_id"] = membership.pk
            return redirect("members:application-received")
    return render(request, "members/application_form.html", {"form": form})


@public
def application_received(request):
    membership = (
        Membership.objects.select_related("organisation").filter(pk=request.session.get("application_id")).first()
    )
    if membership is None:
        return redirect("members:application-create")
    return render(
        request,
        "members/application_received.html",
        {
            "membership": membership,
            "official_email": membership.organisation.is_official_email(membership.contact_email),
            "working_days": settings.POGI_VERIFICATION_WORKING_DAYS,
        },
    )


@public
def application_confirm(request, token):
    """Token-gated: the signed link sent to the contact's official address is the credential."""
    membership = services.membership_verification_membership(token=token)
    if request.method == "POST" and membership is not None:
        try:
            membership = services.membership_verify_by_email(token=token)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _(
                    "The membership of %(org)s has started. An invitation to become its primary representative "
                    "has been sent to %(email)s."
                )
                % {"org": membership.organisation, "email": membership.contact_email},
            )
            return redirect("members:member-detail", slug=membership.organisation.slug)
        membership = None
    status = 200 if membership is not None else 404
    return render(request, "members/application_confirm.html", {"membership": membership}, status=status)


@public
def invitation_accept(request, token):
    """Token-gated: the link in the invitation email is the credential."""
    invitation = services.invitation_get_open(token=token)
    if invitation is None or not invitation.is_open:
        status = 410 if invitation else 404
        return render(request, "members/invitation_invalid.html", {"invitation": invitation}, status=status)
    user = request.user if request.user.is_authenticated else None
    has_account = user is not None or User.objects.filter(email__iexact=invitation.email).exists()
    form = (
        None
        if has_account
        else AcceptInvitationForm(request.POST or None, email=invitation.email, initial={"name": invitation.name})
    )
    if request.method == "POST" and (user is not None or (form is not None and form.is_valid())):
        try:
            if user is not None:
                services.invitation_accept(invitation=invitation, user=user)
            else:
                rep = services.invitation_accept_new_user(
                    invitation=invitation, name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
                )
                login(request, rep.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("Welcome. You now represent %(org)s in the portal.") % {"org": invitation.organisation}
            )
            return redirect("members:organisation-edit", slug=invitation.organisation.slug)
    wrong_user = user is not None and user.email.lower() != invitation.email
    return render(
        request,
        "members/invitation_accept.html",
        {"invitation": invitation, "form": form, "has_account": has_account, "wrong_user": wrong_user},
    )


# --- representatives -------------------------------------------------------------


@representative_required
def organisation_edit(request, slug):
    organisation = selectors.organisation_for_user(user=request.user, slug=slug)
    form = OrganisationProfileForm(request.POST or None, instance=Organisation.objects.get(pk=organisation.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_profile_update(
                organisation=organisation, by=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The organisation's profile has been saved."))
            return redirect("members:organisation-edit", slug=organisation.slug)
    membership = organisation.memberships.filter(status__in=OPEN_STATUSES).first()
    representatives = organisation.representatives.select_related("user")
    return render(
        request,
        "members/organisation_edit.html",
        {
            "organisation": organisation,
            "form": form,
            "membership": membership,
            "representatives": representatives,
        },
    )


@representative_required
def enrolment_form_download(request, pk):
    membership = selectors.membership_with_form_for_user(user=request.user, pk=pk)
    name = membership.enrolment_form_filename
    filename = name if name.lower().endswith(".pdf") else "enrolment-form.pdf"
    security_event_record(
        event=Event.PERSONAL_DATA_EXPORT,
        request=request,
        details={"what": "enrolment_form", "membership": membership.pk, "organisation": membership.organisation_id},
    )
    return pdf_download(membership.enrolment_form, filename=filename)


@representative_required
def membership_withdraw(request, slug):
    """The member's primary representative or deputy withdraws the organisation from the partnership."""
    organisation = selectors.organisation_for_user(user=request.user, slug=slug)
    rep = request.user.representative_or_none
    may_withdraw = SECRETARIAT in roles_of(request.user) or (
        rep is not None and rep.position in (rep.Position.PRIMARY, rep.Position.DEPUTY)
    )
    if not may_withdraw:
        raise PermissionDenied(_("Only the primary representative or the deputy can withdraw the organisation."))
    membership = organisation.memberships.filter(status=Membership.Status.ACTIVE).first()
    if request.method == "POST":
        _require_recent_authentication(request)
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST" and membership is not None and form.is_valid():
        try:
            services.membership_withdraw(
                membership=membership,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(org)s has withdrawn from the partnership.") % {"org": organisation})
            return redirect("members:organisation-edit", slug=organisation.slug)
    return render(
        request,
        "members/membership_withdraw.html",
        {"organisation": organisation, "membership": membership, "form": form},
    )


def _require_recent_authentication(request) -> None:
    """Ask for the password or authenticator code again before a change that is hard to undo.

    allauth's middleware catches the exception, sends the person to re-authenticate (the
    authenticator code first when two-factor authentication is on) and then replays this request.
    Called after the object-level checks, so nobody is asked to re-authenticate for a page they may not use.
    """
    raise_if_reauthentication_required(request, app="")


# --- secretariat ------------------------------------------------------------------


@secretariat_required
def secretariat_commitments(request):
    today = timezone.localdate()
    filter_form = CommitmentFilterForm(request.GET or None)
    memberships = selectors.member_commitments(chosen=filter_form.chosen(), today=today)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = commitments.standings_attach(page.object_list, today=today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/secretariat_commitments.html",
        {
            "page": page,
            "filter_form": filter_form,
            "commitments": commitments.registered(),
            "query": query.urlencode(),
        },
    )


@secretariat_required
def secretariat_applications(request):
    return render(
        request,
        "members/secretariat_applications.html",
        {"pending": selectors.applications_pending(), "decided": selectors.applications_decided()},
    )


@secretariat_required
def secretariat_application_detail(request, pk):
    membership = selectors.application_get(pk=pk)
    received = membership.status == Membership.Status.RECEIVED
    form = (RejectReceivedForm if received else DecisionForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if not received and data["decision"] == DecisionForm.APPROVE:
                services.membership_approve(membership=membership, decided_by=request.user, reason=data["reason"])
                messages.success(
                    request,
                    _("%(org)s is now a member. Its contact has been invited.") % {"org": membership.organisation},
                )
            else:
                services.membership_reject(membership=membership, decided_by=request.user, reason=data["reason"])
                messages.success(
                    request, _("The application from %(org)s has been rejected.") % {"org": membership.organisation}
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("members:secretariat-applications")
    return render(request, "members/secretariat_application_detail.html", {"membership": membership, "form": form})


@secretariat_required
def secretariat_application_verify(request, pk):
    """The secretariat's recorded check of a received application's signed form: a page to confirm, then a POST."""
    membership = selectors.application_get(pk=pk)
    if membership.status != Membership.Status.RECEIVED:
        messages.info(request, _("This application is not waiting for a check of its signed form."))
        return redirect("members:secretariat-application-detail", pk=membership.pk)
    if request.method == "POST":
        try:
            services.membership_verify_by_secretariat(membership=membership, by=request.user)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("members:secretariat-application-detail", pk=membership.pk)
        messages.success(
            request,
            _("The signed form is recorded as checked. %(org)s is now a member, and its contact has been invited.")
            % {"org": membership.organisation},
        )
        return redirect("members:secretariat-applications")
    return render(request, "members/secretariat_application_verify.html", {"membership": membership})


@secretariat_required
def secretariat_transition(request):
    return render(request, "members/secretariat_transition.html", {"memberships": selectors.members_in_transition()})


@secretariat_required
def secretariat_organisation(request, slug):
    organisation = selectors.organisation_admin_get(slug=slug)
    context = selectors.organisation_admin_context(organisation=organisation)
    context.update(
        organisation=organisation,
        invite_form=InvitationForm(),
        email_domain_form=EmailDomainForm(initial={"email_domain": organisation.email_domain}),
        withdraw_form=WithdrawForm(initial={"withdrawn_on": timezone.localdate()}),
        transition_form=TransitionForm(
            initial={"transition_until": getattr(context["membership"], "transition_until", None)}
        ),
    )
    return render(request, "members/secretariat_organisation.html", context)


def _back_to_organisation(slug):
    return redirect("members:secretariat-organisation", slug=slug)


@secretariat_required
@require_POST
@reauthentication_required
def secretariat_invite(request, slug):
    organisation = selectors.organisation_admin_get(slug=slug)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": invitation.email})
            return _back_to_organisation(slug)
    else:
        messages.error(
            request,
            _("The invitation was not sent: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
    return _back_to_organisation(slug)


@secretariat_required
@require_POST
@reauthentication_required
def secretariat_withdraw(request, slug):
    organisation = selectors.organisation_admin_get(slug=slug)
    membership = organisation.memberships.filter(status=Membership.Status.ACTIVE).first()
    form = WithdrawForm(request.POST)
    if membership is None:
        messages.error(request, _("%(org)s has no active membership.") % {"org": organisation})
    elif not form.is_valid():
        messages.error(request, _("Give a valid withdrawal date."))
    else:
        try:
            services.membership_withdraw(
                membership=membership,
                by=request.user,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("%(org)s has withdrawn from the partnership.") % {"org": organisation})
    return _back_to_organisation(slug)


@secretariat_required
@require_POST
def secretariat_email_domain_set(request, slug):
    organisation = selectors.organisation_admin_get(slug=slug)
    form = EmailDomainForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return _back_to_organisation(slug)
    try:
        services.organisation_email_domain_set(
            organisation=organisation, email_domain=form.cleaned_data["email_domain"], by=request.user
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The official email domain has been saved."))
    return _back_to_organisation(slug)


@secretariat_required
@require_POST
def secretariat_transition_set(request, slug):
    organisation = selectors.organisation_admin_get(slug=slug)
    membership = organisation.memberships.filter(status=Membership.Status.ACTIVE).first()
    form = TransitionForm(request.POST)
    if membership is None:
        messages.error(request, _("%(org)s has no active membership.") % {"org": organisation})
    elif not form.is_valid():
        messages.error(request, _("Give a valid date."))
    else:
        try:
            services.membership_transition_set(
                membership=membership, until=form.cleaned_data["transition_until"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("The transition period has been updated."))
    return _back_to_organisation(slug)


@secretariat_required
@reauthentication_required
def secretariat_representative_remove(request, pk):
    """Removing a representative: a page that says what it means, then a POST to confirm."""
    rep = selectors.representative_get_for_secretariat(pk=pk)
    slug = rep.organisation.slug
    if request.method != "POST":
        return render(request, "members/secretariat_representative_remove.html", {"rep": rep})
    services.representative_remove(representative=rep, by=request.user)
    messages.success(request, _("%(who)s no longer represents %(org)s.") % {"who": rep.user, "org": rep.organisation})
    return _back_to_organisation(slug)


@secretariat_required
@require_POST
def secretariat_invitation_revoke(request, pk):
    invitation = selectors.invitation_get_for_secretariat(pk=pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The invitation to %(email)s has been revoked.") % {"email": invitation.email})
    return _back_to_organisation(invitation.organisation.slug)


def is_secretariat(user) -> bool:
    return SECRETARIAT in roles_of(user)
