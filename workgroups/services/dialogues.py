"""Writes for the Nordic buyer dialogues: the dialogue and its texts, countries and gatherings (the secretariat),
a public body's application and its assessment (the country's national contact or the secretariat), the
interest list with double opt-in, and news sent once to every confirmed recipient.

The public's writes (application, gathering registration, interest-list sign-up) never say whether an address
is known already: the same answer is given either way, and what differs goes to the address by e-mail.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import history, identifiers
from core.enqueue import enqueue
from members.models import Organisation, User

from ..dialogue_links import INTEREST_CONFIRM_DAYS
from ..models import (
    DIALOGUE_LANGUAGES,
    DIALOGUE_REQUIREMENTS,
    ConsentText,
    Dialogue,
    DialogueApplication,
    DialogueCountry,
    DialogueGathering,
    DialogueNews,
    DialogueNewsText,
    DialogueText,
    GatheringRegistration,
    InterestSignup,
    NewsDelivery,
    Project,
)
from .projects import _project_slug, _secretariat_only

LANGUAGE_CODES = frozenset(code for code, _name in DIALOGUE_LANGUAGES)
REQUIREMENT_KEYS = tuple(key for key, _label in DIALOGUE_REQUIREMENTS)
HOW_MAX_LENGTH = 1000


def _language(language: str) -> str:
    code = (language or "").split("-")[0]
    return code if code in LANGUAGE_CODES else "en"


def _name_key(name: str) -> str:
    """A body's name compared as a person reads it: case, spacing and punctuation aside ("Göteborgs  Stad." is
    "göteborgs stad")."""
    return " ".join(re.sub(r"[^\w\s]", " ", name).casefold().split())


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Give a valid e-mail address.")) from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


# --- the dialogue, set up by the secretariat ----------------------------------------------------------------


def _check_range(target_min: int, target_max: int) -> None:
    if target_min < 1 or target_max < target_min:
        raise ValidationError(_("The group's size runs from at least one body up to a largest number no smaller."))


@transaction.atomic
def dialogue_create(
    *,
    by: User | None,
    lead: Organisation,
    title: str,
    purpose: str,
    funder: str,
    ends_on: date,
    target_min: int = 6,
    target_max: int = 12,
    steering_group: str = "",
    project_group: str = "",
    language: str = "da",
) -> Dialogue:
    """The secretariat records a Nordic buyer dialogue the partnership takes part in; it is running from today.

    The lead organisation (a member or an external participant) is the project's owner; ``title`` and
    ``purpose`` are the dialogue's text in ``language``."""
    _secretariat_only(by)
    if not title.strip() or not purpose.strip():
        raise ValidationError(_("A dialogue needs a title and a purpose."))
    if not funder.strip():
        raise ValidationError(_("Say who funds the dialogue."))
    _check_range(target_min, target_max)
    if ends_on <= timezone.localdate():
        raise ValidationError(_("The end date must be in the future."))
    project = Project(
        slug=_project_slug(title),
        title=title.strip(),
        purpose=purpose.strip(),
        track=Project.Track.NORDIC,
        kind=Project.Kind.DIALOGUE,
        status=Project.Status.RUNNING,
        owner=lead,
        started_on=timezone.localdate(),
        created_by=by,
    )
    project.full_clean()
    history.by(project, by).save()
    dialogue = Dialogue(
        project=project,
        funder=funder.strip(),
        ends_on=ends_on,
        target_min=target_min,
        target_max=target_max,
        steering_group=steering_group.strip(),
        project_group=project_group.strip(),
    )
    dialogue.full_clean()
    history.by(dialogue, by).save()
    dialogue_text_set(dialogue=dialogue, language=language, title=title, purpose=purpose, by=by)
    return dialogue


@transaction.atomic
def dialogue_update(
    *,
    dialogue: Dialogue,
    by: User | None,
    funder: str,
    ends_on: date,
    target_min: int,
    target_max: int,
    steering_group: str = "",
    project_group: str = "",
    applications_open: bool = True,
) -> Dialogue:
    _secretariat_only(by)
    dialogue = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if dialogue.project.status not in (Project.Status.RUNNING, Project.Status.APPROVED):
        raise ValidationError(_("A dialogue that has ended can no longer be changed."))
    if not funder.strip():
        raise ValidationError(_("Say who funds the dialogue."))
    _check_range(target_min, target_max)
    accepted = dialogue.applications.filter(status=DialogueApplication.Status.ACCEPTED).count()
    if target_max < accepted:
        raise ValidationError(
            _("%(count)s bodies are accepted already: the largest group cannot be smaller.") % {"count": accepted}
        )
    dialogue.funder = funder.strip()
    dialogue.ends_on = ends_on
    dialogue.target_min = target_min
    dialogue.target_max = target_max
    dialogue.steering_group = steering_group.strip()
    dialogue.project_group = project_group.strip()
    dialogue.applications_open = applications_open
    dialogue.full_clean()
    history.by(dialogue, by).save()
    return dialogue


@transaction.atomic
def dialogue_text_set(
    *, dialogue: Dialogue, language: str, title: str, purpose: str, process: str = "", by: User | None
) -> DialogueText:
    """The dialogue's texts in one language (a new language or a changed wording)."""
    _secretariat_only(by)
    if language not in LANGUAGE_CODES:
        raise ValidationError(_("Choose one of the dialogue's languages."))
    if not title.strip() or not purpose.strip():
        raise ValidationError(_("A dialogue needs a title and a purpose."))
    text = DialogueText.objects.filter(dialogue=dialogue, language=language).first() or DialogueText(
        dialogue=dialogue, language=language
    )
    text.title, text.purpose, text.process = title.strip(), purpose.strip(), process.strip()
    text.full_clean()
    history.by(text, by).save()
    if language == "da":  # the project list and search read the project's own title and purpose
        Project.objects.filter(pk=dialogue.project_id).update(title=text.title, purpose=text.purpose)
    return text


@transaction.atomic
def dialogue_country_set(
    *,
    dialogue: Dialogue,
    country: str,
    contact_organisation: Organisation,
    contact_name: str,
    contact_email: str,
    contact_user: User | None = None,
    by: User | None,
) -> DialogueCountry:
    """A country taking part, with its national contact; a second call for the country replaces the contact."""
    _secretariat_only(by)
    if country not in Organisation.Country.values:
        raise ValidationError(_("Choose a Nordic country."))
    if contact_organisation.country != country:
        raise ValidationError(_("The national contact organisation must be from the country it is the contact for."))
    if not contact_name.strip():
        raise ValidationError(_("Give the contact person's name."))
    entry = DialogueCountry.objects.filter(dialogue=dialogue, country=country).first() or DialogueCountry(
        dialogue=dialogue, country=country
    )
    entry.contact_organisation = contact_organisation
    entry.contact_name = contact_name.strip()
    entry.contact_email = _clean_email(contact_email)
    entry.contact_user = contact_user
    entry.full_clean()
    history.by(entry, by).save()
    return entry


@transaction.atomic
def gathering_add(
    *,
    dialogue: Dialogue,
    title: str,
    starts_at: datetime,
    place: str,
    agenda: str = "",
    language: str = "en",
    capacity: int | None = None,
    by: User | None,
) -> DialogueGathering:
    _secretariat_only(by)
    if not title.strip() or not place.strip():
        raise ValidationError(_("A gathering needs a title and a place."))
    if capacity is not None and capacity < 1:
        raise ValidationError(_("A gathering has at least one place."))
    gathering = DialogueGathering(
        dialogue=dialogue,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        language=_language(language),
        capacity=capacity,
    )
    gathering.full_clean()
    history.by(gathering, by).save()
    return gathering


@transaction.atomic
def gathering_register(
    *, gathering: DialogueGathering, name: str, email: str, organisation: str, country: str, language: str
) -> None:
    """Register a person for a gathering. Registering twice keeps one registration; the answer is the same."""
    gathering = DialogueGathering.objects.select_for_update().get(pk=gathering.pk)
    if not gathering.registration_open or gathering.is_past:
        raise ValidationError(_("Registration for this gathering is closed."))
    if not name.strip() or not organisation.strip():
        raise ValidationError(_("Give your name and your organisation."))
    if country not in Organisation.Country.values:
        raise ValidationError(_("Choose a Nordic country."))
    email = _clean_email(email)
    if gathering.registrations.filter(email__iexact=email).exists():
        return
    if gathering.capacity is not None and gathering.registrations.count() >= gathering.capacity:
        raise ValidationError(_("The gathering is full."))
    GatheringRegistration.objects.create(
        gathering=gathering,
        name=name.strip(),
        email=email,
        organisation=organisation.strip(),
        country=country,
        language=_language(language),
    )


# --- applications ------------------------------------------------------------------------------------------


def _open_for_applications(dialogue: Dialogue) -> None:
    from ..selectors.dialogues import applications_closed_reason

    reason = applications_closed_reason(dialogue=dialogue)
    if reason:
        raise ValidationError(reason)


@transaction.atomic
def application_submit(
    *,
    dialogue: Dialogue,
    organisation_name: str,
    country: str,
    identifier: str,
    confirmed: set[str] | frozenset[str],
    how: Mapping[str, str],
    responsible_name: str,
    responsible_title: str,
    responsible_email: str,
    language: str,
) -> DialogueApplication:
    """A public body applies to take part: every requirement confirmed, each with how the body meets it."""
    _open_for_applications(dialogue)
    errors: dict[str, list[str]] = {}
    if not organisation_name.strip():
        errors.setdefault("organisation_name", []).append(_("Give the name of the public body."))
    if not dialogue.countries.filter(country=country).exists():
        errors.setdefault("country", []).append(_("The dialogue has no national contact in this country."))
    problem = identifiers.problem(country, identifier)
    if problem:
        errors.setdefault("identifier", []).append(problem)
    for key in REQUIREMENT_KEYS:
        if key not in confirmed:
            errors.setdefault(f"confirm_{key}", []).append(_("Confirm this requirement to apply."))
        text = (how.get(key) or "").strip()
        if not text:
            errors.setdefault(f"how_{key}", []).append(_("Say in a few words how your body meets it."))
        elif len(text) > HOW_MAX_LENGTH:
            errors.setdefault(f"how_{key}", []).append(
                _("Keep it under %(count)s characters.") % {"count": HOW_MAX_LENGTH}
            )
    if not responsible_name.strip():
        errors.setdefault("responsible_name", []).append(_("Give the responsible person's name."))
    try:
        email = _clean_email(responsible_email)
    except ValidationError as exc:
        errors.setdefault("responsible_email", []).extend(exc.messages)
        email = ""
    if errors:
        raise ValidationError(errors)
    written = identifiers.normalise(country, identifier)
    key = _name_key(organisation_name)
    for name, known in dialogue.applications.filter(
        country=country, status__in=[DialogueApplication.Status.SUBMITTED, DialogueApplication.Status.ACCEPTED]
    ).values_list("organisation_name", "identifier"):
        if _name_key(name) == key or (written and known == written):
            raise ValidationError(_("Your body has applied already; the application is assessed or accepted."))
    application = DialogueApplication(
        dialogue=dialogue,
        organisation_name=organisation_name.strip(),
        country=country,
        identifier=identifiers.normalise(country, identifier),
        requirements={key: how[key].strip() for key in REQUIREMENT_KEYS},
        responsible_name=responsible_name.strip(),
        responsible_title=responsible_title.strip(),
        responsible_email=email,
        language=_language(language),
    )
    application.full_clean()
    history.by(application, None).save()
    from .. import tasks

    transaction.on_commit(lambda: enqueue(tasks.dialogue_application_receipt_send, application.pk))
    return application


def can_assess(*, application: DialogueApplication, by: User | None) -> bool:
    """The secretariat, or the national contact (with an account) of the application's country."""
    if by is None or by.is_secretariat:
        return True
    return DialogueCountry.objects.filter(
        dialogue_id=application.dialogue_id, country=application.country, contact_user=by
    ).exists()


def _participant_organisation(application: DialogueApplication, by: User | None) -> Organisation:
    """The organisation an accepted application stands for: the one with its identifier, else one of the same
    name in the country, else a new external participant."""
    from members.services import organisation_create

    found = None
    if application.identifier:
        found = Organisation.objects.filter(country=application.country, registry_number=application.identifier).first()
    if found is None:
        found = Organisation.objects.filter(
            country=application.country, name__iexact=application.organisation_name
        ).first()
    if found is not None:
        return found
    return organisation_create(
        name=application.organisation_name,
        kind=Organisation.Kind.OTHER,
        country=application.country,
        registry_number=application.identifier if application.country != "DK" else "",
        cvr=application.identifier if application.country == "DK" else "",
        created_by=by,
    )


@transaction.atomic
def application_assess(
    *, application: DialogueApplication, accept: bool, reason: str, by: User | None
) -> DialogueApplication:
    """The country's national contact or the secretariat accepts or declines an application, with a reason.

    An accepted body takes a place: never more than the dialogue's largest group."""
    application = DialogueApplication.objects.select_for_update().select_related("dialogue").get(pk=application.pk)
    if not can_assess(application=application, by=by):
        raise ValidationError(_("Only the secretariat and the national contact for the country can assess this."))
    if application.status != DialogueApplication.Status.SUBMITTED:
        raise ValidationError(_("This application has been assessed already."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision: the applicant is told it."))
    dialogue = Dialogue.objects.select_for_update().get(pk=application.dialogue_id)
    if accept:
        accepted = dialogue.applications.filter(status=DialogueApplication.Status.ACCEPTED).count()
        if accepted >= dialogue.target_max:
            raise ValidationError(
                _("The group is full: %(count)s bodies are accepted, the most the dialogue takes.")
                % {"count": accepted}
            )
        application.organisation = _participant_organisation(application, by)
        application.status = DialogueApplication.Status.ACCEPTED
    else:
        application.status = DialogueApplication.Status.DECLINED
    application.reason = reason.strip()
    application.assessed_by = by
    application.assessed_at = timezone.now()
    application.full_clean()
    history.by(application, by).save()
    from .. import tasks

    transaction.on_commit(lambda: enqueue(tasks.dialogue_application_decision_send, application.pk))
    return application


@transaction.atomic
def participant_news_stop(*, application: DialogueApplication) -> None:
    """A participant's responsible person wants no more news by e-mail (the unsubscribe link)."""
    DialogueApplication.objects.filter(pk=application.pk).update(news_opt_out=True)


# --- the interest list -------------------------------------------------------------------------------------


def consent_current() -> ConsentText:
    """The newest consent text: stored from workgroups.consent the first time it is needed."""
    from ..consent import CONSENT_TEXTS

    newest = max(CONSENT_TEXTS)
    consent = ConsentText.objects.order_by("-version").first()
    if consent is None or consent.version < newest:
        consent, _created = ConsentText.objects.get_or_create(version=newest, defaults=CONSENT_TEXTS[newest])
    return consent


@transaction.atomic
def interest_signup(
    *,
    dialogue: Dialogue,
    email: str,
    name: str,
    organisation: str = "",
    country: str = "",
    language: str,
    consent: ConsentText,
    consent_given: bool,
) -> None:
    """Put a person on the dialogue's interest list, unconfirmed, and e-mail them the confirmation link.

    Returns nothing, and behaves the same for a new address, one waiting for confirmation (a new link goes to
    it) and one confirmed already (it is told so): the form's answer never reveals who is on the list."""
    if dialogue.project.status not in (Project.Status.RUNNING, Project.Status.APPROVED):
        raise ValidationError(_("The dialogue has ended."))
    if not consent_given:
        raise ValidationError({"consent": [_("Tick the box to give your consent; without it we cannot e-mail you.")]})
    if not name.strip():
        raise ValidationError({"name": [_("Give your name.")]})
    if country and country not in Organisation.Country.values:
        raise ValidationError({"country": [_("Choose a Nordic country.")]})
    try:
        email = _clean_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from None
    language = _language(language)
    now = timezone.now()
    signup = InterestSignup.objects.select_for_update().filter(dialogue=dialogue, email__iexact=email).first()
    from .. import tasks

    if signup is not None and signup.confirmed_at is not None:
        known_pk = signup.pk
        transaction.on_commit(lambda: enqueue(tasks.interest_already_send, known_pk, language))
        return
    if signup is None:
        signup = InterestSignup(dialogue=dialogue, email=email)
    signup.name = name.strip()[:200]
    signup.organisation = organisation.strip()[:200]
    signup.country = country
    signup.language = language
    signup.consent = consent
    signup.consent_language = language
    signup.consented_at = now
    signup.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            signup.save()
    except IntegrityError:  # the same address signed up at the same moment: one row, one answer
        return
    new_pk = signup.pk
    transaction.on_commit(lambda: enqueue(tasks.interest_confirmation_send, new_pk))


@transaction.atomic
def interest_confirm(*, signup_pk: int) -> InterestSignup | None:
    """The person followed the confirmation link: the address is confirmed (once; again is harmless).

    None when the sign-up is gone (expired, deleted or unsubscribed)."""
    signup = InterestSignup.objects.select_for_update().filter(pk=signup_pk).first()
    if signup is None:
        return None
    if signup.confirmed_at is None:
        signup.confirmed_at = timezone.now()
        signup.save(update_fields=["confirmed_at"])
    return signup


@transaction.atomic
def interest_delete(*, signup_pk: int) -> bool:
    """Delete everything stored about a sign-up: the row and its lines in the send log. Also what unsubscribing
    does. False when nothing was stored (any more)."""
    signup = InterestSignup.objects.filter(pk=signup_pk).first()
    if signup is None:
        return False
    NewsDelivery.objects.filter(news__dialogue_id=signup.dialogue_id, email__iexact=signup.email).delete()
    signup.delete()
    return True


def interest_expire(*, now: datetime | None = None) -> int:
    """Delete sign-ups never confirmed within INTEREST_CONFIRM_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=INTEREST_CONFIRM_DAYS)
    deleted, _rows = InterestSignup.objects.filter(confirmed_at=None, created_at__lt=cutoff).delete()
    return deleted


# --- news --------------------------------------------------------------------------------------------------


@transaction.atomic
def news_create(*, dialogue: Dialogue, texts: Mapping[str, tuple[str, str]], by: User | None) -> DialogueNews:
    """The secretariat writes a news update: a title and a text per language; English or Danish is needed, as
    every reader falls back to it."""
    _secretariat_only(by)
    written = {
        code: (title.strip(), body.strip())
        for code, (title, body) in texts.items()
        if code in LANGUAGE_CODES and (title.strip() or body.strip())
    }
    for code, (title, body) in written.items():
        if not title or not body:
            raise ValidationError(
                _("Give both a title and a text in %(language)s, or leave both empty.")
                % {"language": dict(DIALOGUE_LANGUAGES)[code]}
            )
    if "en" not in written and "da" not in written:
        raise ValidationError(
            _("Write the news in English or Danish at least: readers of other languages fall back to it.")
        )
    news = DialogueNews(dialogue=dialogue, created_by=by)
    history.by(news, by).save()
    DialogueNewsText.objects.bulk_create(
        [DialogueNewsText(news=news, language=code, title=title, body=body) for code, (title, body) in written.items()]
    )
    return news


@transaction.atomic
def news_send(*, news: DialogueNews, by: User | None) -> int:
    """Send a news update to the confirmed interest list and the accepted participants, once each.

    The recipients are fixed now, a row each in the send log; the worker sends them. Returns how many."""
    _secretariat_only(by)
    news = DialogueNews.objects.select_for_update().get(pk=news.pk)
    if news.status != DialogueNews.Status.DRAFT:
        raise ValidationError(_("This news update has been sent already."))
    rows: dict[str, NewsDelivery] = {}
    for application in DialogueApplication.objects.filter(
        dialogue_id=news.dialogue_id, status=DialogueApplication.Status.ACCEPTED, news_opt_out=False
    ).order_by("pk"):
        rows.setdefault(
            application.responsible_email.lower(),
            NewsDelivery(
                news=news,
                email=application.responsible_email,
                name=application.responsible_name,
                language=application.language,
                source=NewsDelivery.Source.PARTICIPANT,
                application=application,
            ),
        )
    for signup in InterestSignup.objects.filter(dialogue_id=news.dialogue_id).exclude(confirmed_at=None).order_by("pk"):
        rows.setdefault(
            signup.email.lower(),
            NewsDelivery(
                news=news,
                email=signup.email,
                name=signup.name,
                language=signup.language,
                source=NewsDelivery.Source.INTEREST,
                signup=signup,
            ),
        )
    if not rows:
        raise ValidationError(_("No one is waiting for news yet: no confirmed sign-ups and no accepted participants."))
    NewsDelivery.objects.bulk_create(rows.values())
    news.status = DialogueNews.Status.SENDING
    news.send_requested_at = timezone.now()
    history.by(news, by).save()
    from .. import tasks

    transaction.on_commit(lambda: enqueue(tasks.dialogue_news_deliver, news.pk))
    return len(rows)


def news_deliver(*, news_id: int) -> int:
    """Send a news update's waiting e-mails, each claimed before it goes, so a retried or restarted task never
    sends one twice. A row left "being sent" by a worker that died mid-send is marked failed, not sent again:
    whether its e-mail left is unknown, and a second copy is worse than a missing one (the log shows it).
    Returns how many e-mails this call sent."""
    import smtplib
    import time

    from django.core.mail import get_connection

    from ..emails import dialogue_news_send

    # the dialogue's texts once, for every recipient's e-mail (its title in the reader's language)
    news = (
        DialogueNews.objects.select_related("dialogue__project")
        .prefetch_related("dialogue__texts")
        .filter(pk=news_id)
        .first()
    )
    if news is None or news.status == DialogueNews.Status.DRAFT:
        return 0
    NewsDelivery.objects.filter(news=news, status=NewsDelivery.Status.SENDING).update(
        status=NewsDelivery.Status.FAILED, error="interrupted while sending; not sent again"
    )
    texts = {t.language: t for t in news.texts.all()}
    pause = float(getattr(settings, "POGI_NEWS_SEND_PAUSE_SECONDS", 0) or 0)
    sent = 0
    with get_connection() as connection:
        for delivery in NewsDelivery.objects.filter(news=news, status=NewsDelivery.Status.PENDING).order_by("pk"):
            claimed = NewsDelivery.objects.filter(pk=delivery.pk, status=NewsDelivery.Status.PENDING).update(
                status=NewsDelivery.Status.SENDING
            )
            if not claimed:
                continue
            try:
                dialogue_news_send(news=news, texts=texts, delivery=delivery, connection=connection)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
                NewsDelivery.objects.filter(pk=delivery.pk).update(
                    status=NewsDelivery.Status.FAILED, error=str(exc)[:300]
                )
                continue
            except OSError:  # the mail server is away: the row waits again and the task's retry sends it
                NewsDelivery.objects.filter(pk=delivery.pk).update(status=NewsDelivery.Status.PENDING)
                raise
            NewsDelivery.objects.filter(pk=delivery.pk).update(status=NewsDelivery.Status.SENT, sent_at=timezone.now())
            sent += 1
            if pause:
                time.sleep(pause)
    if not NewsDelivery.objects.filter(
        news=news, status__in=[NewsDelivery.Status.PENDING, NewsDelivery.Status.SENDING]
    ).exists():
        DialogueNews.objects.filter(pk=news.pk, status=DialogueNews.Status.SENDING).update(
            status=DialogueNews.Status.SENT, sent_at=timezone.now()
        )
    return sent
