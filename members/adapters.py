from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

from core.emails import absolute_url

# The account emails in which allauth builds links from the request, and the page each link leads to.
REQUEST_BUILT_LINKS = {
    "account/email/unknown_account": {"signup_url": "account_signup"},
    "account/email/account_already_exists": {
        "signup_url": "account_signup",
        "password_reset_url": "account_reset_password",
    },
}


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
        super().send_mail(template_prefix, email, context)

    def format_email_subject(self, subject: str) -> str:
        return f"[{self._site().name}] {subject}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))
