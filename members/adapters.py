from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from core.emails import Section, absolute_url, message_build, reason_render, recipient_languages, send_later
from core.security_log import Event, security_event_record

from . import security

# The account emails in which allauth builds links from the request, and the page each link leads to.
REQUEST_BUILT_LINKS = {
    "account/email/unknown_account": {"signup_url": "account_signup"},
    "account/email/account_already_exists": {
        "signup_url": "account_signup",
        "password_reset_url": "account_reset_password",
    },
}


# allauth's security notifications (ACCOUNT_EMAIL_NOTIFICATIONS): the reader's language is not
# known when they go out, so they are written in Danish, then in English, like the portal's own.
BILINGUAL_PREFIXES = (
    "account/email/password_",
    "account/email/email_changed",
    "account/email/email_deleted",
    "mfa/email/",
)

# Why the person receives each of allauth's emails (the footer of its text and HTML parts); every security
# notification above says it is one; any other says the portal's general reason (core.emails.DEFAULT_REASON).
_RESET = "account/email/password_reset_key_reason.txt"
_CONFIRM = "account/email/email_confirmation_reason.txt"
REASONS = {
    "account/email/password_reset_key": _RESET,
    "account/email/password_reset_code": _RESET,
    "account/email/unknown_account": _RESET,
    "account/email/email_confirmation": _CONFIRM,
    "account/email/email_confirmation_signup": _CONFIRM,
    "account/email/email_confirm": _CONFIRM,
    "account/email/login_code": "account/email/login_code_reason.txt",
}
NOTIFICATION_REASON = "account/email/notification_reason.txt"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made from invitations, not by open sign-up; account emails link to the portal's own address."""

    def is_open_for_signup(self, request):
        return False

    def _site(self):
        return SimpleNamespace(name=gettext("POGI portal"), domain=urlsplit(settings.SITE_URL).netloc)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth signs its emails with the request's host name and builds some links from it (the
        # "no account with this address" email's): both come from the portal's own address instead.
        context = {"current_site": self._site(), **context}
        for key, url_name in REQUEST_BUILT_LINKS.get(template_prefix, {}).items():
            context[key] = absolute_url(reverse(url_name))
        request = allauth_context.request
        context = {"request": request, "email": email, **context}
        # Sent by the worker: a mail server that is down never fails the sign-in or change it reports.
        send_later(self.render_mail(template_prefix, email, context))

    def format_email_subject(self, subject: str) -> str:
        return f"[{self._site().name}] {subject}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def render_mail(self, template_prefix, email, context, headers=None):
        from .models import User

        notification = template_prefix.startswith(BILINGUAL_PREFIXES) and not template_prefix.endswith("_key")
        if notification:
            # In the language the person last signed in with; Danish, then English, when it is not known.
            languages = recipient_languages(context.get("user") or User.objects.filter(email__iexact=email).first())
        else:  # asked for on a page: in that page's language
            language = translation.get_language()
            languages = (language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,)
        reason = REASONS.get(template_prefix) or (NOTIFICATION_REASON if notification else None)
        subject, sections = "", []
        for language in languages:
            with translation.override(language):
                in_language = dict(context)
                if notification and "password_reset_url" in context:  # the link leads to the page in its language
                    in_language["password_reset_url"] = absolute_url(reverse("account_reset_password"))
                message = super().render_mail(template_prefix, email, in_language, headers)
                subject = subject or message.subject
                reason_text = reason_render(template_prefix, in_language, reason)
                sections.append(Section(language, message.body.strip(), reason_text))
        # Text and HTML, with the footer that says why the person receives it, like every email of the portal.
        return message_build(subject, sections, message.to, from_email=message.from_email, headers=headers)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # Every security notice says what to do if it was not you: reset the password.
        context = {"password_reset_url": absolute_url(reverse("account_reset_password")), **(context or {})}
        super().send_notification_mail(template_prefix, user, context, email)

    # --- failed sign-ins slow down, never lock (members.security, docs/security.md) -----------

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        email = credentials.get("email") or ""
        wait = security.backoff_wait(request, email)
        if wait:
            security_event_record(
                event=Event.THROTTLED, request=request, email=email, details={"wait_seconds": wait, "refused": True}
            )
            raise ValidationError(
                ngettext(
                    "Too many failed attempts to sign in to this account. Wait %(seconds)d second "
                    "and try again, or reset your password.",
                    "Too many failed attempts to sign in to this account. Wait %(seconds)d seconds "
                    "and try again, or reset your password.",
                    wait,
                )
                % {"seconds": wait},
                code="too_many_login_attempts",
            )

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            security.backoff_success(request, credentials.get("email") or user.email)
        return user

    def authentication_failed(self, request, **credentials):
        from .models import User

        email = credentials.get("email") or ""
        user = User.objects.filter(email__iexact=email).first() if email else None
        security_event_record(
            event=Event.SIGN_IN_FAILED, request=request, user=user, email=email, details={"stage": "password"}
        )
        delay = security.backoff_failure(request, email)
        if delay:
            security_event_record(
                event=Event.THROTTLED, request=request, user=user, email=email, details={"wait_seconds": delay}
            )
            if user is not None:
                security.throttled_notice_send(request=request, user=user)

    def get_reauthentication_methods(self, user):
        # With two-factor authentication on, re-authenticating (before withdrawing a member or changing a
        # representative) asks for the authenticator code first; the password stays as the alternative.
        methods = super().get_reauthentication_methods(user)
        return sorted(methods, key=lambda method: method["id"] != "mfa_reauthenticate")

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))
