from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext


def site_url(path: str) -> str:
    """An absolute link to the portal, from the one configured address (``SITE_URL``), whatever host a request came by."""
    return f"{settings.SITE_URL}{path}"


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made from invitations, not by open sign-up; account emails link to the portal's own address."""

    def is_open_for_signup(self, request):
        return False

    def _site(self):
        return SimpleNamespace(name=gettext("POGI portal"), domain=urlsplit(settings.SITE_URL).netloc)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth signs its emails with the request's host name; they are signed by the portal instead.
        super().send_mail(template_prefix, email, {"current_site": self._site(), **context})

    def format_email_subject(self, subject: str) -> str:
        return f"[{self._site().name}] {subject}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(reverse("account_confirm_email", args=[emailconfirmation.key]))
