"""The account pages' texts (django-allauth) that its own Danish translation words awkwardly.

They are marked here only so that `make messages-update` keeps them in
locale/da, where the portal's wording ("adgangskode", "e-mail", "Du er logget
ind") overrides allauth's ("password", "Email", "Loggede succesfuldt ind").
A few have an English wording of the portal's too (sentence case, and a wrong
current password said as such), in locale/en.
Nothing imports this module.
"""

from django.utils.translation import gettext_noop as _

ACCOUNT_TEXTS = (
    _("Successfully signed in as %(name)s."),
    _("Password Reset"),
    _("Password Reset Email"),
    _("Password successfully changed."),
    _("Password successfully set."),
    _("Change Password"),
    _("Forgot Password?"),
    _("Reset My Password"),
    _("Set Password"),
    _("Your password is now changed."),
    _("Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."),
    _("Please contact us if you have any trouble resetting your password."),
    _("Email address"),
    _("Email Address"),
    _("Email Addresses"),
    _("Email Confirmation"),
    _("Email Changed"),
    _("Email Removed"),
    _("The email address is not assigned to any user account."),
    _("The email address and/or password you specified are not correct."),
    _("Please type your current password."),
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("Please reauthenticate to safeguard your account."),
)
