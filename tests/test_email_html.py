"""Every email has a text part and an HTML part in the portal's look, in the reader's language, each ending with why
the reader receives it; links in the HTML lead to the portal and are the text's links; what people typed is escaped."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from followup import emails as followup_emails
from members import emails as member_emails
from members import security
from tests.factories import (
    HearingFactory,
    MeetingFactory,
    OrganisationFactory,
    ResponseFactory,
    RoundFactory,
    UserFactory,
)
from workgroups import emails as workgroup_emails
from workgroups import services as workgroup_services

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s<>\"')]+")
EVIL = "<script>alert(1)</script> & Co"


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.hrefs, self.langs, self.text = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs.get("href"))
        if "lang" in attrs:
            self.langs.append((tag, attrs["lang"]))

    def handle_data(self, data):
        self.text.append(data)


def html_of(message) -> str:
    (html,) = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    return html


def check(message, settings, languages, reasons):
    html = html_of(message)
    page = Page(html)
    assert page.langs[0] == ("html", languages[0])
    assert [lang for tag, lang in page.langs if tag == "div"] == list(languages)
    assert page.hrefs, "no link in the HTML part"
    assert all(href.startswith(settings.SITE_URL + "/") for href in page.hrefs)
    assert sorted(set(page.hrefs)) == sorted({url.rstrip(".,") for url in LINK.findall(message.body)})
    text = " ".join("".join(page.text).split())
    for reason in reasons:
        assert reason in " ".join(message.body.split())
        assert reason in text
    assert "<script>" not in html
    assert 'style="' in html and "<link" not in html and "<img" not in html and "max-width:600px" in html
    return html


DA_REP = "Du modtager denne e-mail, fordi du er repræsentant for"
EN_REP = "You receive this e-mail because you are a representative of"


@pytest.fixture
def response(db):
    return ResponseFactory(round=RoundFactory(year=2026), organisation=OrganisationFactory(name=EVIL))


@pytest.mark.parametrize("kind", ["invitation_send", "reminder_send"])
def test_follow_up_emails_in_danish_english_and_both(settings, response, kind):
    danish, english, unknown = UserFactory(language="da"), UserFactory(language="en"), UserFactory(language="")
    for user in (danish, english, unknown):
        getattr(followup_emails, kind)(round=response.round, response=response, user=user)
    da, en, both = mail.outbox
    html = check(da, settings, ["da"], [DA_REP])
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert EVIL in da.body  # the text part is text: as typed
    check(en, settings, ["en"], [EN_REP])
    check(both, settings, ["da", "en"], [DA_REP, EN_REP])


def test_the_follow_up_receipt_keeps_its_pdf(settings, response, monkeypatch):
    monkeypatch.setattr("followup.pdf.response_pdf_render", lambda response: b"%PDF-1.4")
    response.submitted_at = timezone.now()
    followup_emails.receipt_send(response=response, user=UserFactory(language="en"))
    (message,) = mail.outbox
    check(message, settings, ["en"], [EN_REP])
    assert message.attachments[0][2] == "application/pdf"


def test_member_invitation_and_verification(settings, org_a, secretariat_user, django_capture_on_commit_callbacks):
    from members import services as member_services

    org_a.name = EVIL
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        member_services.invitation_create(
            organisation=org_a, email="ny@testby.example", position="deputy", invited_by=secretariat_user
        )
    (invitation,) = mail.outbox
    check(
        invitation,
        settings,
        ["da", "en"],
        ["Du modtager denne e-mail, fordi adressen er inviteret", "this address was invited to represent"],
    )
    from members.models import Membership

    membership = Membership.objects.get(organisation=org_a)
    member_emails.membership_verification_email_send(membership=membership, token="abc")
    check(mail.outbox[1], settings, ["da", "en"], ["angivet som kontakt", "given as the contact"])


@pytest.mark.parametrize(
    ("send", "da", "en"),
    [
        (security.new_device_notice_send, "fra en ny browser", "from a new browser"),
        (security.throttled_notice_send, "med forkerte adgangskoder", "with wrong passwords"),
    ],
)
def test_security_notices(settings, send, da, en):
    request = RequestFactory().get("/", HTTP_USER_AGENT="<script>x</script>")
    send(request=request, user=UserFactory(language="da"))
    send(request=request, user=UserFactory(language="en"))
    first, second = mail.outbox
    assert "<script>" not in html_of(first)
    check(first, settings, ["da"], ["Du modtager denne e-mail, fordi nogen", da])
    check(second, settings, ["en"], ["You receive this e-mail because someone", en])


def test_hearing_notice_over_one_connection(settings, rep_a):
    hearing = HearingFactory(version__title=EVIL)
    assert workgroup_services.hearing_notice_deliver(hearing_id=hearing.pk) == 1
    (message,) = mail.outbox
    html = check(message, settings, ["da"], ["udkastet er i høring blandt medlemmerne"])
    assert "&lt;script&gt;" in html


def test_meeting_invitation(settings):
    meeting = MeetingFactory(title=EVIL)
    workgroup_emails.meeting_invitation_email_send(
        meeting=meeting, items=[], recipients=["a@example.org", "b@example.org"], languages={"b@example.org": "en"}
    )
    da, en = mail.outbox
    check(da, settings, ["da"], ["Du modtager denne e-mail, fordi du er medlem af »Styregruppe«"])
    check(en, settings, ["en"], ["You receive this e-mail because you are a member of “Steering group”"])


def test_password_reset(client, settings, rep_a):
    client.post("/en/accounts/password/reset/", {"email": rep_a.email})
    (message,) = mail.outbox
    html = check(message, settings, ["en"], ["someone asked to reset the password for this address"])
    assert "/accounts/password/reset/key/" in html
