"""Account controls (security issue 13, ASVS 5.0 L2): client IP behind the proxy, sign-in back-off
instead of lock-out, security emails, breached passwords, MFA per role, the break-glass admin and
the security log."""

import io
import json
from datetime import timedelta

import pytest
from allauth.account import signals as account_signals
from allauth.account.adapter import get_adapter
from allauth.core import context as allauth_context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.models import SecurityEvent
from core.network import client_ip
from core.tasks import security_log_purge
from members import security
from members.models import User
from tests.conftest import with_totp
from tests.factories import PASSWORD, MembershipFactory, RepresentativeFactory, UserFactory, in_days
from tests.workgroups.conftest import goal_in_force, group, group_rationale  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
Event = SecurityEvent.Event


def behind_proxy(client_address: str) -> dict:
    """Request headers as they reach gunicorn through the TLS proxy."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address, "HTTP_USER_AGENT": "TestBrowser/1.0"}


def sign_in(client, email: str, password: str, address: str):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **behind_proxy(address))


def refused_for_attempts(response) -> bool:
    form = response.context and response.context.get("form")
    if response.status_code != 200 or form is None:
        return False
    return any(error.code == "too_many_login_attempts" for error in form.errors.as_data().get("__all__", []))


def throttle_mails():
    return [m for m in mail.outbox if "forsøgt at logge ind" in m.subject]


@pytest.fixture
def proxied(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return settings


@pytest.fixture
def owner(db):
    return RepresentativeFactory(position="primary").user


# --- 1. the client's address behind the proxy ------------------------------------------------


def test_client_ip_is_read_behind_the_trusted_proxy(proxied):
    # given one proxy in front, then none
    request = RequestFactory().get("/", **behind_proxy("203.0.113.7"))
    # then the client is the address the proxy appended, and without trust it is the proxy
    assert client_ip(request) == "203.0.113.7"
    proxied.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY


def test_two_clients_behind_one_proxy_are_throttled_separately_at_sign_in(proxied, owner):
    # given client A fails as often as allauth's per-address limit allows (login_failed "N/m/ip")
    # with addresses that have no account
    per_minute = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])
    a, b = Client(), Client()
    for i in range(per_minute):
        sign_in(a, f"nobody{i}@example.org", "wrong-password", "203.0.113.1")
    # when A tries once more and B, behind the same proxy, signs in
    refused = sign_in(a, "nobody-else@example.org", "wrong-password", "203.0.113.1")
    admitted = sign_in(b, owner.email, PASSWORD, "203.0.113.2")
    # then only A is throttled
    assert refused_for_attempts(refused)
    assert admitted.status_code == 302
    assert SecurityEvent.objects.filter(event=Event.SIGN_IN, user=owner, ip="203.0.113.2").exists()


def test_two_respondents_behind_one_proxy_have_their_own_hearing_limit(proxied, client, group, secretariat_user):  # noqa: F811
    from workgroups import services
    from workgroups.views import PUBLIC_RESPONSES_PER_HOUR

    services.hearing_open(version=group.draft, kind="internal", closes_at=in_days(1), by=secretariat_user)
    hearing = services.hearing_open(version=group.draft, kind="industry", closes_at=in_days(14), by=secretariat_user)
    url = reverse("workgroups:hearing-public", kwargs={"token": hearing.token})
    data = {"respondent_name": "Eva", "respondent_organisation": "Branche", "respondent_email": "e@b.example"}
    # given respondent A uses up the hour's responses
    for i in range(PUBLIC_RESPONSES_PER_HOUR):
        assert client.post(url, {**data, "text": f"A {i}"}, **behind_proxy("203.0.113.1")).status_code == 302
    # when A and then B (same proxy) respond once more
    refused = client.post(url, {**data, "text": "A again"}, **behind_proxy("203.0.113.1"))
    accepted = client.post(url, {**data, "text": "B"}, **behind_proxy("203.0.113.2"))
    # then A is refused and B is not
    assert refused.status_code == 200
    assert accepted.status_code == 302
    assert hearing.responses.count() == PUBLIC_RESPONSES_PER_HOUR + 1


# --- 2. back-off, not lock-out ---------------------------------------------------------------------


def test_delay_grows_per_failure_and_is_capped(settings):
    free = settings.POGI_LOGIN_BACKOFF["free_failures"]
    delays = [security.delay_after(free + n, free) for n in range(0, 12)]
    assert delays[:4] == [0, 30, 60, 120]
    assert max(delays) == settings.POGI_LOGIN_BACKOFF["max_delay_seconds"] == delays[-1]


def test_a_guesser_slows_only_themself_and_the_owner_gets_one_email(proxied, owner):
    attacker, other_attacker, own = Client(), Client(), Client()
    # given someone guesses six wrong passwords from one address
    for _ in range(6):
        sign_in(attacker, owner.email, "wrong-password", "198.51.100.1")
    # then their next attempt must wait, even with the right password
    assert refused_for_attempts(sign_in(attacker, owner.email, PASSWORD, "198.51.100.1"))
    # and when a second address guesses as many, the owner is still told once only
    for _ in range(6):
        sign_in(other_attacker, owner.email, "wrong-password", "198.51.100.2")
    assert len(throttle_mails()) == 1
    notice = throttle_mails()[0]
    assert notice.to == [owner.email]
    assert "/accounts/password/reset/" in notice.body and "198.51.100" in notice.body
    assert "Someone has tried several wrong passwords" in notice.body  # English after the Danish
    # and the owner, from their own address, signs in at once
    assert sign_in(own, owner.email, PASSWORD, "192.0.2.50").status_code == 302
    assert SecurityEvent.objects.filter(event=Event.THROTTLED, email=owner.email).exists()


def test_a_distributed_attack_does_not_keep_the_owner_out(proxied, owner):
    own, stranger = Client(), Client()
    # given the owner signed in once from their browser (the device cookie) and signed out
    assert sign_in(own, owner.email, PASSWORD, "192.0.2.50").status_code == 302
    own.post(reverse("account_logout"), **behind_proxy("192.0.2.50"))
    # when 21 addresses each guess once (past the account-wide 20)
    for i in range(21):
        sign_in(Client(), owner.email, "wrong-password", f"198.51.100.{i + 1}")
    # then an unknown browser must wait, the owner's own browser need not
    assert refused_for_attempts(sign_in(stranger, owner.email, PASSWORD, "192.0.2.99"))
    assert sign_in(own, owner.email, PASSWORD, "192.0.2.51").status_code == 302
    # and after a password reset the owner gets in from any browser
    account_signals.password_reset.send(sender=User, request=RequestFactory().get("/"), user=owner)
    assert sign_in(Client(), owner.email, PASSWORD, "192.0.2.99").status_code == 302


# --- 3. security emails -----------------------------------------------------------------------------


def test_password_change_sends_a_bilingual_notice_with_a_reset_link(client, owner, settings):
    client.force_login(owner)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Fjord-Lysning-2031", "password2": "Fjord-Lysning-2031"},
    )
    assert response.status_code == 302
    (notice,) = [m for m in mail.outbox if m.to == [owner.email]]
    assert "Adgangskode ændret" in notice.subject
    assert notice.body.index("Denne ændring er netop foretaget") < notice.body.index("This change was just made")
    danish, english = notice.body.split("----------")
    # each half links to the reset page in its own language
    assert f"{settings.SITE_URL}/accounts/password/reset/" in danish
    assert f"{settings.SITE_URL}/en/accounts/password/reset/" in english
    assert SecurityEvent.objects.filter(event=Event.PASSWORD_CHANGED, user=owner).exists()


@pytest.mark.parametrize(
    ("template", "danish"),
    [
        ("mfa/email/totp_activated", "Autentificeringsapp aktiveret"),
        ("mfa/email/totp_deactivated", "Autentificeringsapp deaktiveret"),
        ("mfa/email/recovery_codes_generated", "gendannelseskoder"),
        ("account/email/password_reset", "nulstillet"),
    ],
)
def test_allauth_security_notices_are_danish_first(owner, template, danish):
    request = RequestFactory().get("/", HTTP_USER_AGENT="TestBrowser/1.0")
    with allauth_context.request_context(request):
        get_adapter(request).send_notification_mail(template, owner)
    (notice,) = mail.outbox
    assert danish in notice.body.split("----------")[0]
    assert "If it was not you" in notice.body.split("----------")[1]


def test_sign_in_from_a_new_browser_is_told_to_the_owner(proxied, owner):
    first, second = Client(), Client()
    # given the owner's first sign-in ever (no notice: there is no earlier device)
    assert sign_in(first, owner.email, PASSWORD, "192.0.2.1").status_code == 302
    first.post(reverse("account_logout"), **behind_proxy("192.0.2.1"))
    assert not mail.outbox
    # when they sign in from another browser, then from the first one again
    assert sign_in(second, owner.email, PASSWORD, "192.0.2.2").status_code == 302
    assert sign_in(first, owner.email, PASSWORD, "192.0.2.1").status_code == 302
    # then one notice, about the second browser, in the language signed in with (Danish), linking to the
    # sessions page in that language
    (notice,) = mail.outbox
    assert "Nyt log ind" in notice.subject and "192.0.2.2" in notice.body
    assert f"{settings.SITE_URL}/accounts/sessions/" in notice.body
    assert "/en/" not in notice.body


# --- 4. sessions ---------------------------------------------------------------------------------------


def test_members_see_and_end_their_sessions_linked_from_the_account_menu(proxied, owner):
    from allauth.usersessions.models import UserSession

    proxied.USERSESSIONS_TRACK_ACTIVITY = True
    laptop, phone = Client(), Client()
    sign_in(laptop, owner.email, PASSWORD, "192.0.2.10")
    sign_in(phone, owner.email, PASSWORD, "192.0.2.11")
    # given the owner on the laptop sees the account menu and the sessions page
    home = laptop.get(reverse("dashboard"), **behind_proxy("192.0.2.10"))
    assert reverse("usersessions_list") in home.text
    page = laptop.get(reverse("usersessions_list"), **behind_proxy("192.0.2.10"))
    assert page.status_code == 200
    assert "Sessioner" in page.text and "192.0.2.11" in page.text and "Sidst set" in page.text
    # when they sign out the other sessions, then the phone is signed out
    laptop.post(reverse("usersessions_list"), **behind_proxy("192.0.2.10"))
    assert UserSession.objects.filter(user=owner).count() == 1
    assert phone.get(reverse("dashboard"), **behind_proxy("192.0.2.11")).status_code == 302


# --- 5. breached passwords -------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["unbelievable", "websolutions", "Password1234"])
def test_breached_passwords_are_refused(password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_common" in [e.code for e in refused.value.error_list]


def test_a_password_of_its_own_is_accepted():
    validate_password("Fjord-Lysning-2031")


# --- 6. MFA per role, the break-glass admin ------------------------------------------------------------


def test_mfa_is_required_for_the_roles_the_setting_names(client, settings, rep_a, org_a):
    page = reverse("members:organisation-edit", kwargs={"slug": org_a.slug})
    client.force_login(rep_a)
    assert client.get(page).status_code == 200
    settings.POGI_MFA_REQUIRED_ROLES = ["secretariat", "representative"]
    response = client.get(page)
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    with_totp(rep_a)
    assert client.get(page).status_code == 200


def test_secretariat_without_mfa_is_let_through_only_when_not_required(client, settings):
    user = UserFactory(is_secretariat=True)
    client.force_login(user)
    page = reverse("members:secretariat-applications")
    assert client.get(page).url == reverse("mfa_activate_totp")
    settings.POGI_MFA_REQUIRED_ROLES = []
    assert client.get(page).status_code == 200


def test_demo_secretariat_is_not_a_superuser():
    from members import demo

    # given a secretariat account an older demo made a superuser; when the demo makes its accounts
    old = UserFactory(is_secretariat=True, is_staff=True, is_superuser=True)
    fresh = UserFactory()
    demo.secretariat_account(old)
    demo.secretariat_account(fresh)
    # then neither is a superuser nor staff, and the demo's account list names the secretariat once
    for user in (old, fresh):
        user.refresh_from_db()
        assert user.is_secretariat and not user.is_superuser and not user.is_staff
    assert [a[2] for a in demo.ACCOUNTS].count("secretariat") == 1


def test_admin_is_for_the_break_glass_admin_with_mfa_only(client, secretariat_user):
    admin_index = reverse("admin:index")
    # the secretariat (even with MFA and is_staff) is sent to the admin's login
    client.force_login(secretariat_user)
    assert client.get(admin_index).status_code == 302
    # the break-glass admin, made by its command, needs MFA first
    call_command(
        "createbreakglassadmin",
        "glass@pogi.example",
        "--password-from-stdin",
        stdin=io.StringIO("Fjord-Lysning-2031\n"),
    )
    admin = User.objects.get(email="glass@pogi.example")
    assert admin.is_superuser and not admin.is_secretariat
    client.force_login(admin)
    assert client.get(admin_index).status_code == 302
    with_totp(admin)
    assert client.get(admin_index).status_code == 200


# --- 7. the security log -------------------------------------------------------------------------------------


def test_sign_in_failure_and_throttling_are_logged_with_address_and_browser(proxied, owner):
    c = Client()
    for _ in range(6):
        sign_in(c, owner.email, "wrong-password", "198.51.100.9")
    failed = SecurityEvent.objects.filter(event=Event.SIGN_IN_FAILED, user=owner)
    assert failed.count() == 6
    entry = failed.first()
    assert (entry.ip, entry.user_agent, entry.email) == ("198.51.100.9", "TestBrowser/1.0", owner.email)
    assert SecurityEvent.objects.filter(event=Event.THROTTLED, user=owner).count() == 1
    sign_in(Client(), owner.email, PASSWORD, "192.0.2.3")
    assert SecurityEvent.objects.filter(event=Event.SIGN_IN, user=owner, ip="192.0.2.3").exists()


def test_mfa_events_are_logged(owner):
    request = RequestFactory().get("/")
    totp = with_totp(owner) and Authenticator.objects.get(user=owner, type=Authenticator.Type.TOTP)
    for signal in (mfa_signals.authenticator_added, mfa_signals.authenticator_removed, mfa_signals.authenticator_reset):
        signal.send(sender=Authenticator, request=request, user=owner, authenticator=totp)
    mfa_signals.authentication_failed.send(sender=Authenticator, request=request, user=owner, authenticator=totp)
    events = set(SecurityEvent.objects.filter(user=owner).values_list("event", flat=True))
    assert {Event.MFA_ADDED, Event.MFA_REMOVED, Event.MFA_RECOVERY_CODES, Event.SIGN_IN_FAILED} <= events


def test_password_reset_is_logged(owner):
    account_signals.password_reset.send(sender=User, request=RequestFactory().get("/"), user=owner)
    assert SecurityEvent.objects.filter(event=Event.PASSWORD_RESET, user=owner).exists()


def test_a_refused_page_is_logged(client, rep_a):
    client.force_login(rep_a)
    assert client.get(reverse("members:secretariat-applications")).status_code == 403
    entry = SecurityEvent.objects.get(event=Event.PERMISSION_DENIED)
    assert entry.user == rep_a and entry.details["rule"] == "secretariat"


def test_downloading_an_enrolment_form_is_logged(client, secretariat_user):
    membership = MembershipFactory()
    client.force_login(secretariat_user)
    response = client.get(reverse("members:enrolment-form-download", kwargs={"pk": membership.pk}))
    assert response.status_code == 200
    entry = SecurityEvent.objects.get(event=Event.PERSONAL_DATA_EXPORT)
    assert entry.user == secretariat_user and entry.details["what"] == "enrolment_form"


def test_old_entries_are_purged(settings):
    settings.POGI_SECURITY_LOG_DAYS = 30
    old = SecurityEvent.objects.create(event=Event.SIGN_IN, email="old@example.org")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    kept = SecurityEvent.objects.create(event=Event.SIGN_IN, email="new@example.org")
    assert security_log_purge.delay().get() == 1
    assert list(SecurityEvent.objects.all()) == [kept]
    assert "purge-security-log" in settings.CELERY_BEAT_SCHEDULE


def test_the_log_is_exported_as_json_lines_since_a_date():
    old = SecurityEvent.objects.create(event=Event.SIGN_IN, email="old@example.org")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    SecurityEvent.objects.create(event=Event.SIGN_IN_FAILED, email="a@example.org", ip="192.0.2.1")
    out = io.StringIO()
    call_command("security_log_export", "--since", str(timezone.localdate() - timedelta(days=1)), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(e["event"], e["email"], e["ip"]) for e in lines] == [("sign_in_failed", "a@example.org", "192.0.2.1")]
    assert {"time", "user_id", "user_agent", "details"} <= set(lines[0])
    assert SecurityEvent.objects.filter(event=Event.SECURITY_LOG_EXPORT).count() == 1


def test_the_log_page_is_for_the_secretariat_and_filters(client, secretariat_user, rep_a):
    SecurityEvent.objects.create(event=Event.SIGN_IN_FAILED, email="guessed@example.org", ip="192.0.2.1")
    SecurityEvent.objects.create(event=Event.SIGN_IN, email="someone@example.org")
    url = reverse("members:secretariat-security-log")
    client.force_login(rep_a)
    assert client.get(url).status_code == 403
    client.force_login(secretariat_user)
    page = client.get(url, {"event": "sign_in_failed"})
    assert page.status_code == 200
    assert "guessed@example.org" in page.text and "someone@example.org" not in page.text
    download = client.get(reverse("members:secretariat-security-log-export"), {"user": "guessed"})
    lines = b"".join(download.streaming_content).decode().splitlines()
    assert [json.loads(line)["email"] for line in lines] == ["guessed@example.org"]
    assert SecurityEvent.objects.filter(event=Event.SECURITY_LOG_EXPORT, user=secretariat_user).exists()


@pytest.mark.parametrize("events", [5, 120])
def test_the_log_page_query_count_does_not_grow_with_the_log(
    client, secretariat_user, django_assert_num_queries, events
):
    users = UserFactory.create_batch(3)
    SecurityEvent.objects.bulk_create(
        SecurityEvent(event=Event.SIGN_IN, user=users[i % 3], email=users[i % 3].email) for i in range(events)
    )
    client.force_login(secretariat_user)
    url = reverse("members:secretariat-security-log")
    client.get(url)  # warm the session
    with django_assert_num_queries(QUERIES_LOG_PAGE):
        assert client.get(url, {"page": 2 if events > 50 else 1}).status_code == 200


# session, user, roles, MFA check, the count and the page of rows: the same for 5 events and 120
QUERIES_LOG_PAGE = 6


def test_a_wrong_current_password_is_called_wrong_in_both_languages(client, owner):
    client.force_login(owner)
    data = {"oldpassword": "not-the-password", "password1": "Fjord-Lysning-2031", "password2": "Fjord-Lysning-2031"}
    danish = client.post(reverse("account_change_password"), data)
    assert "Den nuværende adgangskode er forkert" in danish.text and "Ny adgangskode" in danish.text
    english = client.post("/en" + reverse("account_change_password"), data)
    assert "The current password is not correct" in english.text and "New password" in english.text
