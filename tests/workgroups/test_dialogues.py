"""Nordic buyer dialogues: identifiers, the application and its assessment, places by country, the interest list
(double opt-in, expiry, unsubscribe, data deletion, no address enumeration) and news sent once to each."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from core import identifiers
from tests.factories import OrganisationFactory, UserFactory
from workgroups import dialogue_links
from workgroups.models import (
    DIALOGUE_REQUIREMENTS,
    DialogueApplication,
    DialogueNews,
    InterestSignup,
    NewsDelivery,
)
from workgroups.services import dialogues as services

ALL = {key for key, _label in DIALOGUE_REQUIREMENTS}
HOW = dict.fromkeys(ALL, "Vi gör det.")


# --- identifiers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "value", "written"),
    [
        ("NO", "974 760 673", "974760673"),  # Brønnøysundregistrene
        ("SE", "2021005489", "202100-5489"),
        ("FI", "0112038-9", "0112038-9"),
        ("FI", "01120389", "0112038-9"),
        ("DK", "12345678", "12345678"),
    ],
)
def test_a_well_formed_identifier_is_accepted_and_written_as_its_register_writes_it(country, value, written):
    assert identifiers.problem(country, value) is None
    assert identifiers.normalise(country, value) == written


@pytest.mark.parametrize(
    ("country", "value", "says"),
    [
        ("NO", "974760674", "check digit"),
        ("NO", "97476067", "nine digits"),
        ("SE", "2021005488", "check digit"),
        ("SE", "8112189876", "personal identity number"),  # third digit < 2: a person, not an organisation
        ("FI", "0112038-8", "check digit"),
        ("FI", "112038-9", "1234567-8"),
        ("IS", "1234567890", "person"),
        ("DK", "1234567", "eight digits"),
        ("NO", "97476O673", "digits only"),
    ],
)
def test_a_malformed_identifier_gets_a_message_saying_what_is_wrong(country, value, says):
    with translation.override("en"):
        problem = identifiers.problem(country, value)
    assert problem is not None and says in problem


def test_the_message_is_in_the_readers_language():
    with translation.override("sv"):
        problem = identifiers.problem("NO", "974760674")
    assert problem and "organisasjonsnummer" not in problem and "check digit" not in problem


def test_an_icelandic_kennitala_of_an_organisation_is_checked():
    # a legal person's kennitala starts 4-7; build one with its check digit
    base = "45010200"
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    check = 11 - sum(int(d) * w for d, w in zip(base, weights, strict=True)) % 11
    check = 0 if check == 11 else check
    assert check != 10
    value = f"{base}{check}0"
    assert identifiers.problem("IS", value) is None
    assert identifiers.problem("IS", f"{base}{(check + 1) % 10}0") is not None


def test_an_organisation_keeps_a_valid_registry_number_only(db):
    organisation = OrganisationFactory(country="NO", official_code="", region=None)
    organisation.registry_number = "974760674"
    with pytest.raises(ValidationError) as caught:
        organisation.full_clean()
    assert "registry_number" in caught.value.error_dict
    organisation.registry_number = "974 760 673"
    organisation.full_clean()
    assert organisation.registry_number == "974760673"


# --- the dialogue, applications and places -----------------------------------------------------------------


@pytest.fixture
def dialogue(db, secretariat_user):
    lead = OrganisationFactory(name="Nasjonalt program", country="NO", region=None, official_code="")
    dialogue = services.dialogue_create(
        by=secretariat_user,
        lead=lead,
        title="Emissionsfri levering",
        purpose="Emissionsfri levering af varer.",
        funder="Nordisk Ministerråd",
        ends_on=timezone.localdate() + timedelta(days=200),
        target_min=2,
        target_max=3,
    )
    services.dialogue_text_set(
        dialogue=dialogue,
        language="sv",
        title="Utsläppsfri leverans",
        purpose="Utsläppsfri leverans av varor.",
        process="Mobilisering\nBehovskartläggning",
        by=secretariat_user,
    )
    for country, name in [("NO", "Norsk kontakt"), ("SE", "Svensk kontakt")]:
        services.dialogue_country_set(
            dialogue=dialogue,
            country=country,
            contact_organisation=OrganisationFactory(country=country, region=None, official_code=""),
            contact_name=name,
            contact_email=f"{country.lower()}@kontakt.example",
            by=secretariat_user,
        )
    return dialogue


def apply(dialogue, name="Stockholms stad", country="SE", **extra):
    data = {
        "dialogue": dialogue,
        "organisation_name": name,
        "country": country,
        "identifier": "",
        "confirmed": ALL,
        "how": HOW,
        "responsible_name": "Anna",
        "responsible_title": "Inköpschef",
        "responsible_email": f"anna@{name.split()[0].lower()}.example",
        "language": "sv",
    }
    return services.application_submit(**{**data, **extra})


def test_an_application_needs_every_requirement_confirmed_with_how(dialogue):
    with pytest.raises(ValidationError) as caught:
        apply(dialogue, confirmed=ALL - {"costs"}, how={**HOW, "need": " "})
    assert set(caught.value.error_dict) == {"confirm_costs", "how_need"}
    assert not DialogueApplication.objects.exists()


def test_an_application_from_a_country_without_a_national_contact_is_refused(dialogue):
    with pytest.raises(ValidationError) as caught:
        apply(dialogue, country="FI")
    assert "country" in caught.value.error_dict


def test_an_application_with_a_malformed_identifier_is_refused(dialogue):
    with pytest.raises(ValidationError) as caught:
        apply(dialogue, identifier="2021005488")
    assert "identifier" in caught.value.error_dict


def test_the_applicant_gets_a_receipt_in_the_language_they_applied_in(
    dialogue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        apply(dialogue, identifier="202100 5489")
    application = DialogueApplication.objects.get()
    assert application.identifier == "202100-5489"
    assert application.status == DialogueApplication.Status.SUBMITTED
    [mail] = mailoutbox
    assert mail.to == ["anna@stockholms.example"]
    assert "Utsläppsfri leverans" in mail.subject
    assert "Thank you" not in mail.body and "Dear" not in mail.body


def test_the_national_contact_assesses_only_their_own_countrys_applications(dialogue, secretariat_user):
    swedish_contact, norwegian_contact = UserFactory(), UserFactory()
    dialogue.countries.filter(country="SE").update(contact_user=swedish_contact)
    dialogue.countries.filter(country="NO").update(contact_user=norwegian_contact)
    application = apply(dialogue)
    with pytest.raises(ValidationError):
        services.application_assess(application=application, accept=True, reason="Ja.", by=norwegian_contact)
    with pytest.raises(ValidationError):
        services.application_assess(application=application, accept=True, reason="Ja.", by=UserFactory())
    with pytest.raises(ValidationError):
        services.application_assess(application=application, accept=True, reason=" ", by=swedish_contact)
    services.application_assess(application=application, accept=True, reason="Uppfyller kraven.", by=swedish_contact)
    application.refresh_from_db()
    assert application.status == DialogueApplication.Status.ACCEPTED
    assert application.assessed_by == swedish_contact
    # the accepted body is an organisation now: an external participant of its country
    assert application.organisation.country == "SE" and application.organisation.name == "Stockholms stad"
    assert not application.organisation.memberships.exists()
    with pytest.raises(ValidationError):  # once
        services.application_assess(application=application, accept=False, reason="Nej.", by=secretariat_user)


def test_places_by_country_count_accepted_bodies_against_the_target_and_the_group_never_overflows(
    dialogue, secretariat_user
):
    from workgroups.selectors.dialogues import places_by_country

    accepted = [apply(dialogue, name=f"Kommun {n}") for n in range(3)]
    waiting = apply(dialogue, name="Oslo kommune", country="NO")
    declined = apply(dialogue, name="Bergen kommune", country="NO")
    for application in accepted:
        services.application_assess(application=application, accept=True, reason="Ja.", by=secretariat_user)
    services.application_assess(application=declined, accept=False, reason="Ingen ressurser.", by=secretariat_user)
    places = places_by_country(dialogue=dialogue)
    assert {r["country"]: (r["accepted"], r["waiting"]) for r in places["rows"]} == {"NO": (0, 1), "SE": (3, 0)}
    assert (places["taken"], places["free"], places["short_of_min"]) == (3, 0, 0)
    with pytest.raises(ValidationError) as caught:
        services.application_assess(application=waiting, accept=True, reason="Ja.", by=secretariat_user)
    assert "fuld" in caught.value.messages[0]


def test_the_public_page_shows_the_dialogue_in_swedish_with_places_and_the_interest_form(
    client, dialogue, django_assert_num_queries
):
    url = "/sv" + reverse("projects:project-detail", kwargs={"slug": dialogue.project.slug})
    client.get(url)  # the first sign-up form stores the consent text
    with django_assert_num_queries(7, info="the dialogue page"):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Utsläppsfri leverans" in html and "Behovskartläggning" in html
    assert "Norsk kontakt" in html and "se@kontakt.example" in html
    assert 'action="/sv/projects/' in html and 'name="consent"' in html
    assert '<html lang="sv"' in html


def test_a_reader_of_a_language_with_no_text_gets_english_then_danish_marked_with_lang(client, dialogue):
    url = "/fi" + reverse("projects:project-detail", kwargs={"slug": dialogue.project.slug})
    html = client.get(url).content.decode()
    assert '<h1 lang="da">Emissionsfri levering</h1>' in html


# --- the interest list -------------------------------------------------------------------------------------


def sign_up(client, dialogue, email="per@example.no", language="nb", **extra):
    consent = services.consent_current()
    data = {"name": "Per", "email": email, "consent": "on", "consent_version": consent.version, **extra}
    prefix = f"/{language}" if language != "da" else ""
    with translation.override("da"):
        path = reverse("projects:dialogue-interest", kwargs={"slug": dialogue.project.slug})
    return client.post(prefix + path, data)


def links_in(mail) -> list[str]:
    return re.findall(r"https?://\S+", mail.body)


def test_double_opt_in_news_only_after_the_link_is_followed_and_its_button_pressed(
    client, dialogue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, dialogue)
    assert response.status_code == 302
    signup = InterestSignup.objects.get()
    assert signup.confirmed_at is None and signup.consent.version == 1 and signup.consent_language == "nb"
    assert signup.consented_at is not None
    [mail] = mailoutbox
    confirm = next(link for link in links_in(mail) if "/interest/confirm/" in link)
    path = confirm.split("//", 1)[1].split("/", 1)[1]
    # opening the link (as a mail scanner would) confirms nothing
    assert client.get("/" + path).status_code == 200
    signup.refresh_from_db()
    assert signup.confirmed_at is None
    with pytest.raises(ValidationError):
        services.news_send(news=services.news_create(dialogue=dialogue, texts={"en": ("N", "T")}, by=None), by=None)
    assert client.post("/" + path).status_code == 200
    signup.refresh_from_db()
    assert signup.confirmed_at is not None


def test_the_form_never_reveals_whether_an_address_is_on_the_list(
    client, dialogue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = sign_up(client, dialogue)
    with django_capture_on_commit_callbacks(execute=True):
        pending = sign_up(client, dialogue)
    InterestSignup.objects.update(confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = sign_up(client, dialogue, email="PER@example.no")
    assert new.status_code == pending.status_code == confirmed.status_code == 302
    assert new["Location"] == pending["Location"] == confirmed["Location"]
    assert InterestSignup.objects.count() == 1
    # the address itself learns what happened: two confirmation links, then "you are on the list already"
    assert [("/interest/confirm/" in m.body) for m in mailoutbox] == [True, True, False]
    assert "/interest/mine/" in mailoutbox[2].body


def test_a_filled_in_honeypot_gets_the_same_answer_and_stores_nothing(client, dialogue, mailoutbox):
    response = sign_up(client, dialogue, website="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/interest/sent/")
    assert not InterestSignup.objects.exists() and not mailoutbox


def test_sign_up_without_consent_or_with_a_bad_address_says_so_in_the_readers_language(client, dialogue):
    response = sign_up(client, dialogue, language="sv", consent="", email="inte-en-adress")
    assert response.status_code == 400
    html = response.content.decode()
    assert "samtycke" in html.lower()
    assert not InterestSignup.objects.exists()


def test_a_changed_consent_text_is_not_agreed_to_unseen(client, dialogue):
    from workgroups.models import ConsentText

    ConsentText.objects.create(version=2, text_da="Ny", text_en="New", text_nb="Ny", text_sv="Ny", text_fi="Uusi")
    response = sign_up(client, dialogue, consent_version=1)
    assert response.status_code == 400 and not InterestSignup.objects.exists()


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_sign_up_is_rate_limited_per_visitor(client, dialogue):
    from django.core.cache import cache

    cache.clear()
    statuses = [sign_up(client, dialogue, email=f"p{n}@example.no").status_code for n in range(12)]
    assert statuses[:10] == [302] * 10 and statuses[10:] == [429, 429]


def test_unconfirmed_sign_ups_expire_after_30_days_and_their_link_with_them(dialogue):
    consent = services.consent_current()
    for email in ("old@example.no", "new@example.no", "kept@example.no"):
        services.interest_signup(
            dialogue=dialogue, email=email, name="X", language="nb", consent=consent, consent_given=True
        )
    InterestSignup.objects.filter(email__in=["old@example.no", "kept@example.no"]).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    InterestSignup.objects.filter(email="kept@example.no").update(confirmed_at=timezone.now() - timedelta(days=30))
    assert services.interest_expire() == 1
    assert set(InterestSignup.objects.values_list("email", flat=True)) == {"new@example.no", "kept@example.no"}
    # a confirmation link is valid for 30 days only
    token = dialogue_links.confirm_token(InterestSignup.objects.get(email="new@example.no").pk)
    assert dialogue_links.confirm_pk(token) is not None
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 31 * 86400):
        assert dialogue_links.confirm_pk(token) is None


def test_the_person_sees_and_deletes_what_is_stored_about_them(client, dialogue):
    consent = services.consent_current()
    services.interest_signup(
        dialogue=dialogue,
        email="per@example.no",
        name="Per Olsen",
        organisation="Bodø kommune",
        country="NO",
        language="nb",
        consent=consent,
        consent_given=True,
    )
    signup = InterestSignup.objects.get()
    url = "/nb" + dialogue_links.mine_path(signup.pk).removeprefix("/nb")
    html = client.get(url).content.decode()
    assert "Per Olsen" in html and "per@example.no" in html and "Bodø kommune" in html and "Norge" in html
    assert consent.text_nb[:40] in html
    assert client.post(url).status_code == 200
    assert not InterestSignup.objects.exists()
    assert client.get(url).status_code == 404  # the link leads nowhere now


def test_news_goes_once_to_each_confirmed_address_and_participant_in_their_language_with_one_click_unsubscribe(
    client, dialogue, secretariat_user, mailoutbox, django_capture_on_commit_callbacks
):
    consent = services.consent_current()
    for email, language, confirmed in [
        ("sv@example.se", "sv", True),
        ("fi@example.fi", "fi", True),  # no Finnish text: English
        ("unconfirmed@example.no", "nb", False),
    ]:
        services.interest_signup(
            dialogue=dialogue, email=email, name="X", language=language, consent=consent, consent_given=True
        )
        if confirmed:
            InterestSignup.objects.filter(email=email).update(confirmed_at=timezone.now())
    participant = apply(dialogue)
    services.application_assess(application=participant, accept=True, reason="Ja.", by=secretariat_user)
    opted_out = apply(dialogue, name="Göteborgs Stad")
    services.application_assess(application=opted_out, accept=True, reason="Ja.", by=secretariat_user)
    services.participant_news_stop(application=opted_out)
    news = services.news_create(
        dialogue=dialogue,
        texts={"en": ("Kick-off", "We met in Oslo."), "sv": ("Uppstart", "Vi träffades i Oslo.")},
        by=secretariat_user,
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.news_send(news=news, by=secretariat_user) == 3
    assert sorted(m.to[0] for m in mailoutbox) == ["anna@stockholms.example", "fi@example.fi", "sv@example.se"]
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address["sv@example.se"].subject == "Uppstart"
    assert by_address["fi@example.fi"].subject == "Kick-off"
    for mail in mailoutbox:
        assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail.extra_headers["List-Unsubscribe"].startswith("<http")
    news.refresh_from_db()
    assert news.status == DialogueNews.Status.SENT
    assert set(NewsDelivery.objects.values_list("status", flat=True)) == {"sent"}
    # sending again sends nothing
    with pytest.raises(ValidationError):
        services.news_send(news=news, by=secretariat_user)
    assert services.news_deliver(news_id=news.pk) == 0
    # one-click unsubscribe: a POST without a form of ours (no CSRF token) deletes the sign-up
    unsubscribe = by_address["sv@example.se"].extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + unsubscribe.split("//", 1)[1].split("/", 1)[1]
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not InterestSignup.objects.filter(email="sv@example.se").exists()
    assert not NewsDelivery.objects.filter(email="sv@example.se").exists()  # the send log forgets it too


def test_only_the_secretariat_writes_and_sends_news(dialogue, rep_a):
    with pytest.raises(ValidationError):
        services.news_create(dialogue=dialogue, texts={"en": ("T", "B")}, by=rep_a)
    with pytest.raises(ValidationError):
        services.news_create(dialogue=dialogue, texts={"sv": ("T", "B")}, by=None)  # neither English nor Danish


def test_a_dialogue_is_set_up_by_the_secretariat_only(dialogue, rep_a):
    with pytest.raises(ValidationError):
        services.dialogue_text_set(dialogue=dialogue, language="nb", title="T", purpose="P", by=rep_a)
    with pytest.raises(ValidationError):
        services.dialogue_update(
            dialogue=dialogue, by=None, funder="X", ends_on=dialogue.ends_on, target_min=5, target_max=4
        )


def test_the_language_switch_offers_finnish_on_the_dialogue_pages_only(client, dialogue):
    dialogue_page = client.get(reverse("projects:project-detail", kwargs={"slug": dialogue.project.slug}))
    goals_page = client.get(reverse("goals:catalogue"))
    switch = re.compile(r'hreflang="(\w+)"')
    assert set(switch.findall(dialogue_page.content.decode())) >= {"en", "nb", "sv", "fi"}
    assert "fi" not in switch.findall(goals_page.content.decode())
    assert {"en", "nb", "sv"} <= set(switch.findall(goals_page.content.decode()))


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_assessors_list_and_the_news_page_cost_the_same_queries_for_few_and_many_rows(
    secretariat_client, dialogue, secretariat_user
):
    slug = dialogue.project.slug
    applications = reverse("projects:dialogue-applications", kwargs={"slug": slug})
    news = reverse("projects:dialogue-news", kwargs={"slug": slug})
    apply(dialogue, name="Kommun A")
    services.news_create(dialogue=dialogue, texts={"en": ("One", "Text.")}, by=secretariat_user)
    secretariat_client.get(applications)  # sessions and the consent text settle first
    few = _count_queries(secretariat_client, applications), _count_queries(secretariat_client, news)
    for n in range(8):
        application = apply(dialogue, name=f"Kommun {n}", country="NO" if n % 2 else "SE")
        if n < 2:
            services.application_assess(application=application, accept=True, reason="Ja.", by=secretariat_user)
        services.news_create(dialogue=dialogue, texts={"en": (f"N{n}", "T."), "sv": ("N", "T.")}, by=secretariat_user)
    many = _count_queries(secretariat_client, applications), _count_queries(secretariat_client, news)
    assert few == many
    assert few[0] <= 12 and few[1] <= 12


def test_a_body_applies_once_while_its_application_is_open(dialogue, secretariat_user):
    first = apply(dialogue, identifier="2021005489")
    for same in ("STOCKHOLMS STAD", "Stockholms  stad.", "stockholms-stad"):
        with pytest.raises(ValidationError):
            apply(dialogue, name=same)
    with pytest.raises(ValidationError):
        apply(dialogue, name="Stockholm", identifier="202100-5489")
    services.application_assess(application=first, accept=False, reason="Inte nu.", by=secretariat_user)
    apply(dialogue)  # declined: it may apply again


def test_the_application_form_shows_every_problem_at_once_and_a_reload_of_the_thanks_sends_nothing(client, dialogue):
    with translation.override("da"):
        url = "/sv" + reverse("projects:dialogue-apply", kwargs={"slug": dialogue.project.slug})
    data = {
        "organisation_name": "Stockholms stad",
        "country": "SE",
        "identifier": "202100-5488",
        "responsible_name": "Anna",
        "responsible_email": "inte-en-adress",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"identifier", "responsible_email", "confirm_need", "how_costs"} <= set(errors)
    html = response.content.decode()
    assert "2. " in html.split("error-summary", 1)[1]  # the summary names each requirement
    data.update(identifier="202100-5489", responsible_email="anna@stockholm.example")
    data.update({f"confirm_{key}": "on" for key in ALL} | {f"how_{key}": "Ja." for key in ALL})
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200 and 'name="organisation_name"' not in thanks.content.decode()
    assert DialogueApplication.objects.count() == 1


def test_a_gathering_takes_registrations_until_it_has_taken_place(client, dialogue, secretariat_user):
    coming = services.gathering_add(
        dialogue=dialogue,
        title="Uppstart",
        starts_at=timezone.now() + timedelta(days=10),
        place="Oslo",
        language="sv",
        capacity=1,
        by=secretariat_user,
    )
    past = services.gathering_add(
        dialogue=dialogue,
        title="Förra",
        starts_at=timezone.now() - timedelta(days=1),
        place="Oslo",
        by=secretariat_user,
    )
    with translation.override("da"):
        url = reverse("projects:gathering-register", kwargs={"slug": dialogue.project.slug, "pk": coming.pk})
        past_url = reverse("projects:gathering-register", kwargs={"slug": dialogue.project.slug, "pk": past.pk})
    person = {"name": "Ola", "email": "ola@example.no", "organisation": "Oslo kommune", "country": "NO"}
    assert client.post(url, {**person, "website": ""}).status_code == 200
    assert client.post(url, {**person, "website": ""}).status_code == 200  # twice: one registration
    assert coming.registrations.count() == 1
    full = client.post(url, {**person, "email": "kari@example.no"})
    assert full.status_code == 400 and coming.registrations.count() == 1
    html = client.get(past_url).content.decode()
    assert 'name="email"' not in html
    assert client.post(past_url, person).status_code == 200 and not past.registrations.exists()


def test_every_link_in_a_dialogue_e_mail_opens_the_page_in_the_readers_language(
    dialogue, secretariat_user, mailoutbox, django_capture_on_commit_callbacks
):
    consent = services.consent_current()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # the sender reads English
        services.interest_signup(
            dialogue=dialogue, email="per@example.no", name="Per", language="nb", consent=consent, consent_given=True
        )
    InterestSignup.objects.update(confirmed_at=timezone.now())
    application = apply(dialogue)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.application_assess(application=application, accept=True, reason="Ja.", by=secretariat_user)
        news = services.news_create(dialogue=dialogue, texts={"en": ("News", "Text.")}, by=secretariat_user)
        services.news_send(news=news, by=secretariat_user)
    for mail in mailoutbox:
        language = "nb" if mail.to == ["per@example.no"] else "sv"
        paths = [link.split("//", 1)[1].split("/", 1)[1] for link in links_in(mail) if "/projects/" in link]
        assert paths and all(path.startswith(f"{language}/") for path in paths), (mail.subject, paths)
        header = mail.extra_headers.get("List-Unsubscribe")
        if header:
            assert f"/{language}/projects/" in header
    assert "Per" not in mailoutbox[0].body  # a name typed into the form never goes into an e-mail to the address


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_a_mistake_does_not_count_against_the_rate_limit(client, dialogue):
    from django.core.cache import cache

    cache.clear()
    for _n in range(12):
        assert sign_up(client, dialogue, email="not-an-address").status_code == 400
    assert sign_up(client, dialogue).status_code == 302


def test_sending_news_costs_the_same_few_queries_per_recipient(dialogue, secretariat_user, mailoutbox):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    consent = services.consent_current()

    def send_to(count: int) -> int:
        InterestSignup.objects.all().delete()
        for n in range(count):
            services.interest_signup(
                dialogue=dialogue,
                email=f"p{n}@example.se",
                name="P",
                language="sv",
                consent=consent,
                consent_given=True,
            )
        InterestSignup.objects.update(confirmed_at=timezone.now())
        news = services.news_create(dialogue=dialogue, texts={"en": ("N", "T."), "sv": ("Ny", "T.")}, by=None)
        services.news_send(news=news, by=secretariat_user)
        with CaptureQueriesContext(connection) as queries:
            assert services.news_deliver(news_id=news.pk) == count
        return len(queries)

    few, many = send_to(2), send_to(6)
    assert (many - few) / 4 == 2  # claim the row, mark it sent: the dialogue's texts are read once for all
