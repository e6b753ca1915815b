"""A Nordic buyer dialogue in Swedish: a Swedish visitor reads the dialogue and applies for their body, a second
visitor signs up for news and confirms the address; the secretariat accepts the application and sends news, and
both receive it in Swedish. Every page checked with axe-core in every offered language, at 1280 px and 320 px."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import OrganisationFactory
from workgroups.models import DialogueApplication, InterestSignup
from workgroups.services import dialogues as services

from .pages import assert_no_sideways_scroll, check_a11y, check_page, path_in, sign_in_with_two_factor, visit

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
LINK = re.compile(r"https?://[^\s/]+(/\S+)")


@pytest.fixture
def dialogue(transactional_db, secretariat_user):
    lead = OrganisationFactory(name="Nasjonalt program for leverandørutvikling", country="NO", region=None)
    dialogue = services.dialogue_create(
        by=secretariat_user,
        lead=lead,
        title="Emissionsfri levering af varer og tjenester",
        purpose="En nordisk bestillerdialog om emissionsfri levering.",
        funder="Nordisk Ministerråd",
        ends_on=timezone.localdate() + timedelta(days=200),
        steering_group="Nordisk arbejdsgruppe for cirkulær økonomi",
    )
    services.dialogue_text_set(
        dialogue=dialogue,
        language="sv",
        title="Utsläppsfri leverans av varor och tjänster",
        purpose="En nordisk beställardialog om utsläppsfri leverans.",
        process="Mobilisering av offentliga verksamheter\nBehovskartläggning",
        by=secretariat_user,
    )
    services.dialogue_text_set(
        dialogue=dialogue,
        language="en",
        title="Zero-emission delivery of goods and services",
        purpose="A Nordic buyer dialogue on zero-emission delivery.",
        by=secretariat_user,
    )
    for country in ("SE", "NO", "FI"):
        services.dialogue_country_set(
            dialogue=dialogue,
            country=country,
            contact_organisation=OrganisationFactory(country=country, region=None, official_code=""),
            contact_name=f"Kontakt {country}",
            contact_email=f"kontakt@{country.lower()}.example",
            by=secretariat_user,
        )
    services.gathering_add(
        dialogue=dialogue,
        title="Uppstart i Oslo",
        starts_at=timezone.now() + timedelta(days=30),
        place="Oslo",
        agenda="Välkommen\nVad deltagandet kräver",
        by=secretariat_user,
    )
    return dialogue


def links(message) -> list[str]:
    return LINK.findall(message.body)


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_a_swedish_body_applies_a_reader_signs_up_and_both_get_the_news_in_swedish(
    new_page, dialogue, secretariat_user, device
):
    slug = dialogue.project.slug
    # a Swedish visitor reads the dialogue in Swedish
    visitor = new_page(**device)
    visit(visitor, f"/sv/projects/{slug}/", "dialogue page")
    assert_no_sideways_scroll(visitor, "dialogue page")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Utsläppsfri leverans av varor och tjänster")
    expect(visitor.locator("main")).to_contain_text("Behovskartläggning")
    expect(visitor.locator("main")).to_contain_text("Uppstart i Oslo")
    # and applies for their body
    visitor.get_by_role("link", name="Ansök om att delta").click()
    expect(visitor).to_have_url(re.compile(r"/sv/projects/.+/apply/$"))
    check_page(visitor, "application form")
    assert_no_sideways_scroll(visitor, "application form")
    visitor.locator("#id_organisation_name").fill("Stockholms stad")
    visitor.locator("#id_country").select_option("SE")
    visitor.locator("#id_identifier").fill("202100-5488")  # a wrong check digit
    for key in ("leadership", "need", "interdisciplinary", "resources", "responsible", "competence"):
        visitor.locator(f"#id_confirm_{key}").check()
        visitor.locator(f"#id_how_{key}").fill("Vi uppfyller det.")
    visitor.locator("#id_how_costs").fill("Vi står för resorna.")
    visitor.locator("#id_responsible_name").fill("Anna Svensson")
    visitor.locator("#id_responsible_email").fill("anna.svensson@stockholm.example")
    visitor.get_by_role("button", name="Skicka ansökan").click()
    # the identifier and the unconfirmed requirement are refused, in Swedish, with everything kept
    summary = visitor.locator(".error-summary")
    expect(summary).to_contain_text("kontrollsiffra")
    expect(visitor.locator("#id_how_need")).to_have_value("Vi uppfyller det.")
    assert not DialogueApplication.objects.exists()
    check_a11y(visitor, "application form with errors [sv]")
    visitor.locator("#id_identifier").fill("202100-5489")
    visitor.locator("#id_confirm_costs").check()
    visitor.get_by_role("button", name="Skicka ansökan").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Ansökan har tagits emot")
    application = DialogueApplication.objects.get()
    assert (application.country, application.identifier, application.language) == ("SE", "202100-5489", "sv")
    [receipt] = mail.outbox
    assert receipt.to == ["anna.svensson@stockholm.example"]
    assert "Utsläppsfri leverans" in receipt.subject

    # a second visitor signs up for news on the dialogue's page and confirms
    reader = new_page(**device)
    reader.goto(f"/sv/projects/{slug}/#interest")
    reader.locator("#id_name").fill("Maria Berg")
    reader.locator("#id_email").fill("maria.berg@uppsala.example")
    reader.get_by_role("button", name="Prenumerera på nyheter").click()
    expect(reader.locator(".error-summary")).to_be_visible()  # no consent given
    check_a11y(reader, "interest form with errors [sv]")
    reader.locator("#id_consent").check()
    reader.get_by_role("button", name="Prenumerera på nyheter").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Kontrollera din inkorg")
    check_page(reader, "interest sent")
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["maria.berg@uppsala.example"]
    confirm = next(path for path in links(confirmation) if "/interest/confirm/" in path)
    assert confirm.startswith("/sv/")
    reader.goto(confirm)
    check_page(reader, "confirm the address")
    assert InterestSignup.objects.get().confirmed_at is None
    reader.get_by_role("button", name="Bekräfta min adress").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Din adress är bekräftad")
    assert InterestSignup.objects.get().confirmed_at is not None
    check_a11y(reader, "address confirmed [sv]")

    # the secretariat accepts the application and sends news
    staff = new_page(**device)
    sign_in_with_two_factor(staff, secretariat_user, f"/projects/{slug}/applications/")
    check_page(staff, "applications")
    assert_no_sideways_scroll(staff, "applications")
    staff.get_by_role("link", name="Stockholms stad").click()
    check_page(staff, "assess an application")
    staff.locator("input[name=decision][value=accept]").check()
    staff.locator("#id_reason").fill("Uppfyller alla krav.")
    staff.get_by_role("button", name="Registrer beslutningen").click()
    expect(staff.locator(".alert-success").first).to_be_visible()
    application.refresh_from_db()
    assert application.status == DialogueApplication.Status.ACCEPTED
    visit(staff, f"/projects/{slug}/news/", "news")
    assert_no_sideways_scroll(staff, "news")
    staff.locator("#id_title_en").fill("Kick-off in Oslo")
    staff.locator("#id_body_en").fill("We met in Oslo.")
    staff.locator("#id_title_sv").fill("Uppstart i Oslo")
    staff.locator("#id_body_sv").fill("Vi träffades i Oslo.")
    staff.get_by_role("button", name="Gem nyheden").click()
    check_page(staff, "news update")
    mail.outbox.clear()
    staff.get_by_role("button", name="Send nyheden").click()
    expect(staff.locator(".error-summary")).to_be_visible()  # the confirmation box is not ticked
    assert not mail.outbox
    staff.locator("#id_confirm").check()
    staff.get_by_role("button", name="Send nyheden").click()
    expect(staff.locator(".alert-success").first).to_be_visible()
    expect(staff.locator("table")).to_contain_text("maria.berg@uppsala.example")

    # both receive it, once, in Swedish, with a one-click unsubscribe
    news = {m.to[0]: m for m in mail.outbox}
    assert sorted(news) == ["anna.svensson@stockholm.example", "maria.berg@uppsala.example"]
    for message in news.values():
        assert message.subject == "Uppstart i Oslo"
        assert "Vi träffades i Oslo." in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the reader's link to what is stored about her works and deletes it
    mine = next(path for path in links(news["maria.berg@uppsala.example"]) if "/interest/mine/" in path)
    reader.goto(mine)
    check_page(reader, "what is stored")
    expect(reader.locator("main")).to_contain_text("maria.berg@uppsala.example")
    reader.locator("main form button[type=submit]").click()
    assert not InterestSignup.objects.exists()


def test_the_dialogues_public_pages_pass_axe_in_every_language_on_a_phone(new_page, dialogue):
    slug = dialogue.project.slug
    phone = new_page(**PHONE)
    gathering = dialogue.gatherings.get()
    for path in (
        f"/projects/{slug}/",
        f"/projects/{slug}/apply/",
        f"/projects/{slug}/gatherings/{gathering.pk}/register/",
    ):
        for language in ("da", "en", "nb", "sv", "fi"):
            phone.goto(path_in(path, language))
            expect(phone.locator("html")).to_have_attribute("lang", language)
            check_a11y(phone, f"{path} [{language}] 320px")
            assert_no_sideways_scroll(phone, f"{path} [{language}]")
    # the Finnish reader, with no Finnish text written, reads English marked as such
    phone.goto(f"/fi/projects/{slug}/")
    expect(phone.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    expect(phone.locator("main")).to_contain_text("Hae mukaan")  # the page's own words are Finnish


@pytest.mark.parametrize("device", [{}, PHONE], ids=["1280px", "320px"])
def test_the_remaining_dialogue_pages_pass_axe_in_every_language(new_page, dialogue, secretariat_user, device):
    from workgroups import dialogue_links
    from workgroups.models import DIALOGUE_REQUIREMENTS

    slug = dialogue.project.slug
    keys = {key for key, _label in DIALOGUE_REQUIREMENTS}
    application = services.application_submit(
        dialogue=dialogue,
        organisation_name="Oslo kommune",
        country="NO",
        identifier="",
        confirmed=keys,
        how=dict.fromkeys(keys, "Ja."),
        responsible_name="Ola",
        responsible_title="",
        responsible_email="ola@oslo.example",
        language="nb",
    )
    services.interest_signup(
        dialogue=dialogue,
        email="per@example.no",
        name="Per",
        language="nb",
        consent=services.consent_current(),
        consent_given=True,
    )
    signup = InterestSignup.objects.get()
    visitor = new_page(**device)
    public = [
        dialogue_links.unsubscribe_path(signup.pk),
        dialogue_links.participant_unsubscribe_path(application.pk),
        f"/projects/{slug}/apply/?sent=1",
    ]
    for path in public:
        visitor.goto(path_in(path, "da"))
        check_page(visitor, path)
        assert_no_sideways_scroll(visitor, path)
    # the page for a link that leads nowhere (404) says what to do, in every language
    for language in ("da", "en", "nb", "sv", "fi"):
        response = visitor.goto(path_in("/projects/interest/mine/not-a-token/", language))
        assert response.status == 404
        expect(visitor.locator("html")).to_have_attribute("lang", language)
        check_a11y(visitor, f"link gone [{language}]")
    # unsubscribing (the button) ends on its own page
    visitor.goto(path_in(dialogue_links.unsubscribe_path(signup.pk), "sv"))
    visitor.locator("main form button[type=submit]").click()
    expect(visitor.locator("html")).to_have_attribute("lang", "sv")
    check_a11y(visitor, "unsubscribed [sv]")
    assert not InterestSignup.objects.exists()
    # the secretariat's set-up pages
    staff = new_page(**device)
    sign_in_with_two_factor(staff, secretariat_user, f"/projects/{slug}/dialogue/")
    check_page(staff, "set up the dialogue")
    assert_no_sideways_scroll(staff, "set up the dialogue")
    visit(staff, "/projects/dialogues/new/", "new dialogue")
    assert_no_sideways_scroll(staff, "new dialogue")
