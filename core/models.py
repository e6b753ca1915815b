from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How the details of an entry read on the secretariat's page (the JSON lines keep the keys).
DETAIL_LABELS = {
    "wait_seconds": _("wait in seconds"),
    "refused": _("refused"),
    "what": _("what"),
    "new_device": _("new browser"),
    "admin": _("administrator"),
    "stage": _("step"),
    "type": _("type"),
    "rule": _("rule"),
    "path": _("path"),
    "via": _("via"),
    "since": _("since"),
    "count": _("count"),
    "filters": _("filters"),
    "membership": _("membership"),
    "organisation": _("organisation"),
    "response": _("response"),
    "version": _("version"),
    "set": _("set"),
}


def _detail_value(value: object) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if isinstance(value, dict):
        return ", ".join(f"{key}={item}" for key, item in value.items()) or "–"
    return str(value)


class SecurityEvent(models.Model):
    """One entry of the security log: who did what, when, from where (ASVS V16).

    The user is kept as a link and, typed, as the email the event was about, so an
    entry still says whom it concerned after the account is deleted or when no
    account matched (a failed sign-in with an unknown address).
    """

    class Event(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        SIGN_OUT = "sign_out", _("Signed out")
        THROTTLED = "throttled", _("Sign-in throttled")
        RATE_LIMITED = "rate_limited", _("Too many requests refused")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset")
        MFA_ADDED = "mfa_added", _("Two-factor authentication added")
        MFA_REMOVED = "mfa_removed", _("Two-factor authentication removed")
        MFA_RECOVERY_CODES = "mfa_recovery_codes", _("Recovery codes regenerated")
        PERMISSION_DENIED = "permission_denied", _("Permission refused")
        PERSONAL_DATA_EXPORT = "personal_data_export", _("Personal data exported")
        SECURITY_LOG_EXPORT = "security_log_export", _("Security log exported")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("email"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"], name="core_secevent_event_idx")]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.event} {self.email or '-'}"

    @property
    def details_text(self) -> str:
        """The details as the secretariat reads them: labels in its language, yes/no for flags."""
        return "; ".join(
            f"{DETAIL_LABELS.get(key, key)}: {_detail_value(value)}" for key, value in (self.details or {}).items()
        )
