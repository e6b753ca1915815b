"""Passwords known from breaches are refused, checked offline (ASVS V6.2.12).

The list (``members/data/breached-passwords.txt.gz``) is Django's own 20,000
common passwords joined with the password dictionary of zxcvbn-ts
(``@zxcvbn-ts/language-common`` 4.1.3, MIT, ranked from public breach
corpora): 55,859 lowercase entries, about 230 KB. It works where no
k-anonymity API can be reached; README explains the choice.
"""

from pathlib import Path

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.utils.translation import gettext as _

BREACHED_PASSWORDS = Path(__file__).resolve().parent / "data" / "breached-passwords.txt.gz"


class BreachedPasswordValidator(CommonPasswordValidator):
    """Django's common-password check, on the larger bundled list of breached passwords."""

    DEFAULT_PASSWORD_LIST_PATH = BREACHED_PASSWORDS

    def get_error_message(self):
        return _("This password appears in lists of passwords leaked in breaches. Choose another one.")

    def get_help_text(self):
        return _("Your password can't be one that has leaked in a breach.")
