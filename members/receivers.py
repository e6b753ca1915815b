"""What the security log and the security emails hear from allauth (connected in MembersConfig.ready).

Receivers record and notify; the one thing they change is the language the person signed in with (the language
of their e-mails).
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver
from django.utils import translation

from core.models import SecurityEvent
from core.security_log import Event, security_event_record

from . import security


@receiver(account_signals.user_logged_in)
def signed_in(sender, request, user, response=None, **kwargs):
    # The language of the sign-in page (/en/… or Danish) is the one the person's e-mails are written in.
    language = translation.get_language()
    if language in dict(settings.LANGUAGES) and user.language != language:
        type(user).objects.filter(pk=user.pk).update(language=language)
        user.language = language
    known_before = SecurityEvent.objects.filter(user=user, event=Event.SIGN_IN).exists()
    new_device = security.device_remember(request, response, user.email)
    security_event_record(
        event=Event.SIGN_IN,
        request=request,
        user=user,
        details={"new_device": new_device, "admin": bool(user.is_superuser)},
    )
    if new_device and known_before:
        security.new_device_notice_send(request=request, user=user)


@receiver(auth_signals.user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None and request is not None:
        security_event_record(event=Event.SIGN_OUT, request=request, user=user)


@receiver(mfa_signals.authentication_failed)
def mfa_failed(sender, request, user, authenticator=None, **kwargs):
    security_event_record(
        event=Event.SIGN_IN_FAILED,
        request=request,
        user=user,
        details={"stage": "mfa", "type": getattr(authenticator, "type", "")},
    )


@receiver(account_signals.password_changed)
def password_changed(sender, request, user, **kwargs):
    security_event_record(event=Event.PASSWORD_CHANGED, request=request, user=user)


@receiver(account_signals.password_set)
def password_set(sender, request, user, **kwargs):
    security_event_record(event=Event.PASSWORD_CHANGED, request=request, user=user, details={"set": True})


@receiver(account_signals.password_reset)
def password_reset(sender, request, user, **kwargs):
    security.backoff_clear(user.email)
    security_event_record(event=Event.PASSWORD_RESET, request=request, user=user)


@receiver(mfa_signals.authenticator_added)
def authenticator_added(sender, request, user, authenticator, **kwargs):
    security_event_record(event=Event.MFA_ADDED, request=request, user=user, details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def authenticator_removed(sender, request, user, authenticator, **kwargs):
    security_event_record(event=Event.MFA_REMOVED, request=request, user=user, details={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def authenticator_reset(sender, request, user, authenticator, **kwargs):
    security_event_record(
        event=Event.MFA_RECOVERY_CODES, request=request, user=user, details={"type": authenticator.type}
    )
