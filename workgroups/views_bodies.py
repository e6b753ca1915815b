"""The bodies' pages: the public page of POGI Move and POGI Lab (chair and vice-chair, the rule for choosing the
chair, the composition, the next meetings), the secretariat's page where it records offices and seats, and the
secretariat's page for the year wheel's recurring events.

Views parse input, call a service and render; a refused input comes back with what was typed and the reason.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.formats import date_text
from core.forms import error_text
from members.access import public, secretariat_required

from . import services
from .forms_bodies import OfficeAssignForm, OfficeEndForm, SeatForm, YearWheelEventForm
from .models import Body
from .offices import role_in_sentence
from .selectors import bodies as selectors


@public
def body_detail(request, kind):
    body = selectors.body_get(kind=kind)
    return render(
        request,
        "workgroups/bodies/detail.html",
        {"body": body, **selectors.body_page(body=body, today=timezone.localdate(), now=timezone.now())},
    )


# --- the secretariat's page for a body ---------------------------------------------------------------


def _manage_url(body: Body, anchor: str = "") -> str:
    return reverse("projects:body-manage", kwargs={"kind": body.kind}) + (f"#{anchor}" if anchor else "")


def _manage_page(request, body, *, office_form=None, seat_form=None, end_form=None, status=200):
    data = selectors.body_for_secretariat(body=body)
    today = timezone.localdate()
    # A term that has not ended can be ended early; one that has not begun can also be removed.
    offices = [
        (
            office,
            (
                end_form
                if end_form is not None and end_form.prefix == f"end{office.pk}"
                else OfficeEndForm(office=office)
            )
            if office.ends_on >= today
            else None,
        )
        for office in data["offices"]
    ]
    organisations, representatives = selectors.seat_candidates()
    return render(
        request,
        "workgroups/bodies/manage.html",
        {
            "body": body,
            "offices": offices,
            "seats": data["seats"],
            "today": today,
            "office_form": office_form
            or OfficeAssignForm(
                body=body,
                candidates=selectors.office_candidates(body=body),
                decisions=selectors.carried_decisions(body=body),
            ),
            "seat_form": seat_form or SeatForm(body=body, organisations=organisations, representatives=representatives),
            "has_errors": any(f is not None and f.errors for f in (office_form, seat_form, end_form)),
        },
        status=status,
    )


@secretariat_required
def body_manage(request, kind):
    return _manage_page(request, selectors.body_get(kind=kind))


def _body_for_change(kind: str) -> Body:
    """The body's row, made with the partnership's rules the first time something is recorded for it."""
    selectors.body_get(kind=kind)  # 404 for a body without a page
    return services.body_for(kind=kind)


@secretariat_required
@require_POST
def office_assign(request, kind):
    body = _body_for_change(kind)
    form = OfficeAssignForm(
        request.POST,
        body=body,
        candidates=selectors.office_candidates(body=body),
        decisions=selectors.carried_decisions(body=body),
    )
    if form.is_valid():
        data = form.cleaned_data
        rep = data["representative"]
        try:
            office = services.office_assign(
                body=body,
                role=data["role"],
                person=rep.user,
                organisation=rep.organisation,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                decision=data["decision"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(person)s is %(office)s of %(body)s from %(start)s to %(end)s.")
                % {
                    "person": rep.user.name or rep.user.email,
                    "office": role_in_sentence(office.role),
                    "body": body,
                    "start": date_text(office.starts_on),
                    "end": date_text(office.ends_on),
                },
            )
            return redirect(_manage_url(body, "offices"))
    return _manage_page(request, body, office_form=form, status=400)


@secretariat_required
@require_POST
def office_end(request, kind, pk):
    body = selectors.body_get(kind=kind)
    office = selectors.office_get(body=body, pk=pk)
    form = OfficeEndForm(request.POST, office=office)
    if form.is_valid():
        try:
            office = services.office_end(
                office=office, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The term of %(person)s now ends on %(end)s.")
                % {"person": office.person.name or office.person.email, "end": date_text(office.ends_on)},
            )
            return redirect(_manage_url(body, "offices"))
    return _manage_page(request, body, end_form=form, status=400)


@secretariat_required
@require_POST
def office_remove(request, kind, pk):
    body = selectors.body_get(kind=kind)
    office = selectors.office_get(body=body, pk=pk)
    try:
        services.office_remove(office=office, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The term that had not begun has been removed."))
    return redirect(_manage_url(body, "offices"))


@secretariat_required
@require_POST
def seat_set(request, kind):
    body = _body_for_change(kind)
    organisations, representatives = selectors.seat_candidates()
    form = SeatForm(request.POST, body=body, organisations=organisations, representatives=representatives)
    if form.is_valid():
        data = form.cleaned_data
        rep = data["representative"]
        try:
            seat = services.seat_set(
                body=body,
                organisation=data["organisation"],
                person=rep.user if rep is not None else None,
                founding=data.get("founding", False),
                since=data["since"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(organisation)s has its seat in %(body)s.")
                % {"organisation": seat.organisation.name, "body": body},
            )
            return redirect(_manage_url(body, "seats"))
    return _manage_page(request, body, seat_form=form, status=400)


@secretariat_required
@require_POST
def seat_remove(request, kind, pk):
    body = selectors.body_get(kind=kind)
    seat = selectors.seat_get(body=body, pk=pk)
    try:
        services.seat_remove(seat=seat, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("%(organisation)s no longer has a seat in %(body)s.")
            % {"organisation": seat.organisation.name, "body": body},
        )
    return redirect(_manage_url(body, "seats"))


# --- the secretariat's page for the year wheel --------------------------------------------------------


def _wheel_page(request, *, form=None, editing=None, status=200):
    if form is None:
        form = YearWheelEventForm.of(editing) if editing is not None else YearWheelEventForm()
    return render(
        request,
        "workgroups/bodies/year_wheel_manage.html",
        {
            "events": selectors.year_wheel_events(),
            "form": form,
            "editing": editing,
            "has_errors": bool(form.errors),
        },
        status=status,
    )


@secretariat_required
def year_wheel_manage(request):
    """The recurring events; ``?event=<id>`` puts one in the form to be changed."""
    editing = None
    wanted = request.GET.get("event", "")
    if wanted.isdigit():
        editing = selectors.year_wheel_event_get(pk=int(wanted))
    return _wheel_page(request, editing=editing)


def _wheel_save(request, event=None):
    form = YearWheelEventForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        kind = data.pop("body")
        try:
            saved = services.year_wheel_event_save(
                event=event, body=services.body_for(kind=kind) if kind else None, by=request.user, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if event is None:
                messages.success(request, _("“%(title)s” is on the year wheel.") % {"title": saved.title})
            else:
                messages.success(request, _("“%(title)s” has been saved.") % {"title": saved.title})
            return redirect(reverse("workgroups:manage-year-wheel") + f"#event-{saved.pk}")
    return _wheel_page(request, form=form, editing=event, status=400)


@secretariat_required
@require_POST
def year_wheel_event_add(request):
    return _wheel_save(request)


@secretariat_required
@require_POST
def year_wheel_event_save(request, pk):
    return _wheel_save(request, selectors.year_wheel_event_get(pk=pk))


@secretariat_required
@require_POST
def year_wheel_event_remove(request, pk):
    event = selectors.year_wheel_event_get(pk=pk)
    try:
        services.year_wheel_event_remove(event=event, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("“%(title)s” has been taken off the year wheel.") % {"title": event.title})
    return redirect("workgroups:manage-year-wheel")
