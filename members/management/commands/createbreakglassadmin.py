import getpass
import sys

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.models import User


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Create the break-glass administrator: the only account that reaches /admin/. It is a superuser, "
        "not secretariat staff, and must set up two-factor authentication before the admin opens."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Break-glass administrator")
        parser.add_argument(
            "--password-from-stdin", action="store_true", help="Read the password from standard input (no prompt)."
        )

    def handle(self, *args, email, name, password_from_stdin=False, **options):
        email = email.strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(
                f"An account with {email} exists already; use another address for the break-glass admin."
            )
        if password_from_stdin:
            password = options.get("stdin", sys.stdin).readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        user = User(email=email, name=name, is_staff=True, is_superuser=True, is_secretariat=False)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {email}. Sign in at /accounts/login/ and set up two-factor authentication "
                "(/accounts/2fa/); /admin/ stays closed until then. Every sign-in is in the security log."
            )
        )
