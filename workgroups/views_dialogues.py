"""The pages of the Nordic buyer dialogues.

Public: the dialogue's page (with the interest-list form on it, working without JavaScript), the application,
the gathering registration, and the pages the e-mails link to (confirm, see or delete one's data, unsubscribe).
The national contacts and the secretariat assess applications; the secretariat sets a dialogue up and sends
its news."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from core.forms import add_service_error
from core.ratelimit import exceeded, too_many_requests
from members.access import public, secretariat_required, signed_in_required
from members.models import Organisation

from . import dialogue_links as links
from .forms_dialogues import (
    ApplicationForm,
    AssessForm,
    CountryForm,
    DialogueCreateForm,
    DialogueTextForm,
    DialogueUpdateForm,
    GatheringForm,
    InterestForm,
    NewsForm,
    RegistrationForm,
    SendForm,
)
from .models import DIALOGUE_REQUIREMENTS, DialogueApplication, InterestSignup
from .selectors import dialogues as selectors
from .services import dialogues as services

# Public writes allowed per visitor (signed-in user or address) and hour.
APPLY_PER_HOUR = 10
SIGNUP_PER_HOUR = 10
REGISTER_PER_HOUR = 20


def _complete(request) -> None:
    """The dialogues' public pages are written in every dialogue language: the language switch offers them all."""
    request.complete_languages = ("fi",)


def _reader() -> str:
    return (get_language() or "da").split("-")[0]


def _detail_context(request, dialogue, interest_form=None) -> dict:
    consent = services.consent_current()
    return {
        "project": dialogue.project,
        "dialogue": dialogue,
        "texts": _texts(dialogue),
        "places": selectors.places_by_country(dialogue=dialogue),
        "requirements": DIALOGUE_REQUIREMENTS,
        "gatherings": list(dialogue.gatherings.all()),
        "interest_form": interest_form or InterestForm(initial={"consent_version": consent.version}),
        "consent": consent,
        "consent_text": consent.text(_reader()),
        "can_assess": selectors.assessor_countries(dialogue=dialogue, user=request.user) != [],
        "is_secretariat": getattr(request.user, "is_secretariat", False),
    }


def dialogue_detail(request, dialogue):
    """The dialogue's public page (called by the project page for a project of the kind "dialogue")."""
    _complete(request)
    return render(request, "workgroups/dialogues/detail.html", _detail_context(request, dialogue))


@public
def dialogue_interest(request, slug):
    """The "keep me informed" form on the dialogue's page; the answer is the same whoever signs up."""
    _complete(request)
    dialogue = selectors.dialogue_get(slug=slug)
    if request.method != "POST":
        return redirect(f"{dialogue.project.get_absolute_url()}#interest")
    form = InterestForm(request.POST)
    if form.is_spam:
        return redirect("projects:interest-sent", slug=slug)
    if form.is_valid():
        if exceeded(request, "dialogue-interest", limit=SIGNUP_PER_HOUR, seconds=3600):
            return too_many_requests(seconds=3600)
        data = form.cleaned_data
        consent = services.consent_current()
        try:
            if data["consent_version"] != consent.version:
                raise ValidationError(
                    {"consent": [_("The consent text has changed since the page was opened: read it again below.")]}
                )
            services.interest_signup(
                dialogue=dialogue,
                email=data["email"],
                name=data["name"],
                organisation=data["organisation"],
                country=data["country"],
                language=_reader(),
                consent=consent,
                consent_given=True,  # the form requires the box ticked
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("projects:interest-sent", slug=slug)
    context = _detail_context(request, dialogue, interest_form=form)
    return render(request, "workgroups/dialogues/detail.html", context, status=400)


@public
def interest_sent(request, slug):
    _complete(request)
    dialogue = selectors.dialogue_get(slug=slug)
    return render(
        request,
        "workgroups/dialogues/interest_sent.html",
        {"dialogue": dialogue, "texts": _texts(dialogue)},
    )


def _signup(pk: int | None) -> InterestSignup | None:
    if pk is None:
        return None
    return InterestSignup.objects.select_related("dialogue__project", "consent").filter(pk=pk).first()


def _texts(dialogue):
    return selectors.texts_for(list(dialogue.texts.all()), _reader())


@never_cache  # what is stored about a person stays out of every cache
@public
def interest_confirm(request, token):
    """The double opt-in's link: a button confirms (a link checker that opens the page confirms nothing)."""
    _complete(request)
    pk = links.confirm_pk(token)
    signup = _signup(pk)
    if signup is None:
        return render(request, "workgroups/dialogues/link_gone.html", status=404)
    if request.method == "POST":
        services.interest_confirm(signup_pk=signup.pk)
        signup.refresh_from_db()
        return render(
            request,
            "workgroups/dialogues/interest_confirmed.html",
            {"signup": signup, "texts": _texts(signup.dialogue), "mine_url": links.mine_path(signup.pk)},
        )
    return render(
        request,
        "workgroups/dialogues/interest_confirm.html",
        {"signup": signup, "texts": _texts(signup.dialogue)},
    )


@never_cache  # what is stored about a person stays out of every cache
@public
def interest_mine(request, token):
    """What is stored about a person on an interest list, with the button that deletes it."""
    _complete(request)
    signup = _signup(links.mine_pk(token))
    if signup is None:
        return render(request, "workgroups/dialogues/link_gone.html", status=404)
    if request.method == "POST":
        services.interest_delete(signup_pk=signup.pk)
        return render(request, "workgroups/dialogues/interest_deleted.html", {"texts": _texts(signup.dialogue)})
    return render(
        request,
        "workgroups/dialogues/interest_mine.html",
        {
            "signup": signup,
            "texts": _texts(signup.dialogue),
            "consent_text": signup.consent.text(signup.consent_language),
            "country_name": dict(Organisation.Country.choices).get(signup.country, ""),
        },
    )


@csrf_exempt  # RFC 8058: a mail client's one-click unsubscribe posts here without a form of ours
@never_cache
@public
def interest_unsubscribe(request, token):
    _complete(request)
    signup = _signup(links.mine_pk(token))
    if request.method == "POST":
        if signup is not None:
            services.interest_delete(signup_pk=signup.pk)
        return render(
            request, "workgroups/dialogues/unsubscribed.html", {"texts": _texts(signup.dialogue) if signup else None}
        )
    if signup is None:
        return render(request, "workgroups/dialogues/link_gone.html", status=404)
    return render(request, "workgroups/dialogues/unsubscribe.html", {"texts": _texts(signup.dialogue)})


@csrf_exempt  # RFC 8058, as above
@never_cache
@public
def participant_unsubscribe(request, token):
    _complete(request)
    pk = links.participant_pk(token)
    application = DialogueApplication.objects.select_related("dialogue__project").filter(pk=pk).first() if pk else None
    if application is None:
        return render(request, "workgroups/dialogues/link_gone.html", status=404)
    if request.method == "POST" or application.news_opt_out:
        if not application.news_opt_out:
            services.participant_news_stop(application=application)
        return render(request, "workgroups/dialogues/unsubscribed.html", {"texts": _texts(application.dialogue)})
    return render(request, "workgroups/dialogues/unsubscribe.html", {"texts": _texts(application.dialogue)})


@public
def dialogue_apply(request, slug):
    _complete(request)
    dialogue = selectors.dialogue_get(slug=slug)
    form = ApplicationForm(request.POST or None, dialogue=dialogue)
    closed = selectors.applications_closed_reason(dialogue=dialogue)
    if request.method == "GET" and request.GET.get("sent") == "1":
        return render(request, "workgroups/dialogues/applied.html", {"dialogue": dialogue, "texts": _texts(dialogue)})
    if request.method == "POST" and not closed:
        if form.is_spam:
            return redirect(f"{request.path}?sent=1")
        if form.is_valid():
            if exceeded(request, "dialogue-apply", limit=APPLY_PER_HOUR, seconds=3600):
                return too_many_requests(seconds=3600)
            data = form.cleaned_data
            try:
                services.application_submit(
                    dialogue=dialogue,
                    organisation_name=data["organisation_name"],
                    country=data["country"],
                    identifier=data["identifier"],
                    confirmed={key for key, _label in DIALOGUE_REQUIREMENTS if data.get(f"confirm_{key}")},
                    how={key: data.get(f"how_{key}", "") for key, _label in DIALOGUE_REQUIREMENTS},
                    responsible_name=data["responsible_name"],
                    responsible_title=data["responsible_title"],
                    responsible_email=data["responsible_email"],
                    language=_reader(),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return redirect(f"{request.path}?sent=1")  # a reload of the thanks sends nothing again
    return render(
        request,
        "workgroups/dialogues/apply.html",
        {"dialogue": dialogue, "texts": _texts(dialogue), "form": form, "closed": closed},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@public
def gathering_register(request, slug, pk):
    _complete(request)
    dialogue = selectors.dialogue_get(slug=slug)
    gathering = next((g for g in dialogue.gatherings.all() if g.pk == pk), None)
    if gathering is None:
        raise Http404
    form = RegistrationForm(request.POST or None)
    closed = selectors.registration_closed_reason(gathering=gathering)
    done = False
    if request.method == "POST" and not closed:
        if form.is_spam:
            done = True
        elif form.is_valid():
            if exceeded(request, "dialogue-register", limit=REGISTER_PER_HOUR, seconds=3600):
                return too_many_requests(seconds=3600)
            data = form.cleaned_data
            try:
                services.gathering_register(
                    gathering=gathering,
                    name=data["name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    country=data["country"],
                    language=_reader(),
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                done = True
    return render(
        request,
        "workgroups/dialogues/register.html",
        {
            "dialogue": dialogue,
            "texts": _texts(dialogue),
            "gathering": gathering,
            "form": form,
            "done": done,
            "closed": closed,
        },
        status=400 if form.errors else 200,
    )


# --- assessment: the national contacts and the secretariat --------------------------------------------------


def _assessor_dialogue(request, slug):
    dialogue = selectors.dialogue_get(slug=slug)
    countries = selectors.assessor_countries(dialogue=dialogue, user=request.user)
    if countries == []:
        raise Http404
    return dialogue, countries


@signed_in_required
def dialogue_applications(request, slug):
    dialogue, countries = _assessor_dialogue(request, slug)
    status = request.GET.get("status", "")
    return render(
        request,
        "workgroups/dialogues/applications.html",
        {
            "dialogue": dialogue,
            "texts": _texts(dialogue),
            "applications": selectors.applications_for(dialogue=dialogue, countries=countries, status=status),
            "places": selectors.places_by_country(dialogue=dialogue),
            "status": status,
            "statuses": DialogueApplication.Status.choices,
            "countries": countries,
        },
    )


@signed_in_required
def application_assess(request, slug, pk):
    dialogue, _countries = _assessor_dialogue(request, slug)
    application = selectors.application_for_assessor(dialogue=dialogue, pk=pk, user=request.user)
    form = AssessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_assess(
                application=application,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The decision is recorded, and the applicant is told by e-mail."))
            return redirect("projects:dialogue-applications", slug=slug)
    requirements = [(label, application.requirements.get(key, "")) for key, label in DIALOGUE_REQUIREMENTS]
    return render(
        request,
        "workgroups/dialogues/assess.html",
        {
            "dialogue": dialogue,
            "texts": _texts(dialogue),
            "application": application,
            "requirements": requirements,
            "form": form,
            "places": selectors.places_by_country(dialogue=dialogue),
        },
    )


# --- news: the secretariat --------------------------------------------------------------------------------


@secretariat_required
def dialogue_news(request, slug):
    dialogue = selectors.dialogue_get(slug=slug)
    form = NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_create(dialogue=dialogue, texts=form.texts(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The news update is saved. Check it, then send it."))
            return redirect("projects:dialogue-news-detail", slug=slug, pk=news.pk)
    return render(
        request,
        "workgroups/dialogues/news.html",
        {
            "dialogue": dialogue,
            "texts": _texts(dialogue),
            "news_list": selectors.news_list(dialogue=dialogue),
            "form": form,
            "waiting": selectors.recipients_waiting(dialogue=dialogue),
        },
    )


@secretariat_required
def dialogue_news_detail(request, slug, pk):
    dialogue = selectors.dialogue_get(slug=slug)
    news = selectors.news_get(dialogue=dialogue, pk=pk)
    form = SendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.news_send(news=news, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The news update is being sent to %(count)s recipients.") % {"count": count})
            return redirect("projects:dialogue-news-detail", slug=slug, pk=pk)
    return render(
        request,
        "workgroups/dialogues/news_detail.html",
        {
            "dialogue": dialogue,
            "texts": _texts(dialogue),
            "news": news,
            "news_texts": list(news.texts.all()),
            "log": selectors.send_log(news=news),
            "form": form,
            "waiting": selectors.recipients_waiting(dialogue=dialogue),
        },
    )


# --- set-up: the secretariat ------------------------------------------------------------------------------


@secretariat_required
def dialogue_create(request):
    form = DialogueCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = services.dialogue_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The dialogue is created. Add its countries, texts and gatherings."))
            return redirect("projects:dialogue-manage", slug=dialogue.project.slug)
    return render(request, "workgroups/dialogues/create.html", {"form": form})


@secretariat_required
def dialogue_manage(request, slug):
    dialogue = selectors.dialogue_get(slug=slug)
    which = request.POST.get("form") if request.method == "POST" else None
    initial = {
        "funder": dialogue.funder,
        "ends_on": dialogue.ends_on,
        "target_min": dialogue.target_min,
        "target_max": dialogue.target_max,
        "steering_group": dialogue.steering_group,
        "project_group": dialogue.project_group,
        "applications_open": dialogue.applications_open,
    }
    forms = {
        "settings": DialogueUpdateForm(request.POST if which == "settings" else None, initial=initial),
        "text": DialogueTextForm(request.POST if which == "text" else None),
        "country": CountryForm(request.POST if which == "country" else None),
        "gathering": GatheringForm(request.POST if which == "gathering" else None),
    }
    if which in forms and forms[which].is_valid():
        data = forms[which].cleaned_data
        try:
            if which == "settings":
                services.dialogue_update(dialogue=dialogue, by=request.user, **data)
            elif which == "text":
                services.dialogue_text_set(dialogue=dialogue, by=request.user, **data)
            elif which == "country":
                account = data.pop("contact_account")
                services.dialogue_country_set(dialogue=dialogue, by=request.user, contact_user=account, **data)
            else:
                services.gathering_add(dialogue=dialogue, by=request.user, **data)
        except ValidationError as exc:
            forms[which].add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:dialogue-manage", slug=slug)
    return render(
        request,
        "workgroups/dialogues/manage.html",
        {"dialogue": dialogue, "texts": _texts(dialogue), "forms": forms},
        status=400 if which else 200,
    )
