"""Who may see what: roles and the access rule every view declares.

Every view in the portal is wrapped in exactly one of the decorators below.
The decorator records the rule on the view (``view.access_rule``), so the test
that walks every URL pattern can refuse a view without a rule. Rules that
depend on an object (an organisation's own pages) are completed by selectors
that scope their querysets to the user and answer 404 for anything else.
"""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from core.models import SecurityEvent
from core.security_log import security_event_record

SECRETARIAT = "secretariat"
STEERING_GROUP = "steering_group"
WORKING_GROUP = "working_group"
REPRESENTATIVE = "representative"


def roles_of(user) -> frozenset[str]:
    """The roles a user holds (empty for an anonymous visitor)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_pogi_roles", None)
    if cached is not None:
        return cached
    roles = set()
    if user.is_secretariat:
        roles.add(SECRETARIAT)
    rep = user.representative_or_none
    if rep is not None:
        roles.add(REPRESENTATIVE)
        if rep.steering_group:
            roles.add(STEERING_GROUP)
        if rep.position == rep.Position.SPECIALIST:
            roles.add(WORKING_GROUP)
    user._pogi_roles = frozenset(roles)
    return user._pogi_roles


def mfa_required_for(user, roles=None) -> bool:
    """Whether the user holds a role that ``POGI_MFA_REQUIRED_ROLES`` names (of ``roles``, when given)."""
    held = roles_of(user) if roles is None else roles_of(user) & frozenset(roles)
    return bool(held & frozenset(settings.POGI_MFA_REQUIRED_ROLES))


def _without_required_mfa(request, roles):
    """A role that needs two-factor authentication (POGI_MFA_REQUIRED_ROLES): send the user to set it up first."""
    if mfa_required_for(request.user, roles) and not is_mfa_enabled(request.user):
        if SECRETARIAT in roles:
            text = _("Secretariat pages require two-factor authentication. Set up an authenticator app to continue.")
        else:
            text = _("These pages require two-factor authentication. Set up an authenticator app to continue.")
        messages.warning(request, text)
        return redirect("mfa_activate_totp")
    return None


def _secretariat_without_mfa(request):
    return _without_required_mfa(request, {SECRETARIAT})


def _refuse(request, message: str, rule: str):
    """Refuse the page (403) and say so in the security log."""
    security_event_record(
        event=SecurityEvent.Event.PERMISSION_DENIED, request=request, details={"rule": rule, "path": request.path}
    )
    raise PermissionDenied(message)


def _mark(view, rule: str):
    view.access_rule = rule
    return view


def public(view):
    """Anyone, with or without an account."""
    return _mark(view, "public")


def login_required(view):
    """Any signed-in user; the view scopes what it shows to that user."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapped, "login")


def signed_in_required(view):
    """Any signed-in user whom the view's selectors then scope (a dialogue's national contact, say); the
    secretariat, who may see everything there, only with two-factor authentication."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if SECRETARIAT in roles_of(request.user):
            refused = _secretariat_without_mfa(request)
            if refused is not None:
                return refused
        return view(request, *args, **kwargs)

    return _mark(wrapped, "login")


def representative_required(view):
    """A signed-in representative of an organisation, or the secretariat.

    Object-level checks (only one's own organisation) are made by the
    selectors the view calls.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        roles = roles_of(request.user)
        if REPRESENTATIVE not in roles:
            if SECRETARIAT not in roles:
                _refuse(request, _("This page is for the representatives of member organisations."), "representative")
            refused = _secretariat_without_mfa(request)
        else:
            refused = _without_required_mfa(request, {REPRESENTATIVE, STEERING_GROUP, WORKING_GROUP})
        if refused is not None:
            return refused
        return view(request, *args, **kwargs)

    return _mark(wrapped, "representative")


def secretariat_required(view):
    """Secretariat staff who have set up two-factor authentication."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if SECRETARIAT not in roles_of(request.user):
            _refuse(request, _("This page is for the secretariat."), "secretariat")
        refused = _secretariat_without_mfa(request)
        if refused is not None:
            return refused
        return view(request, *args, **kwargs)

    return _mark(wrapped, "secretariat")


def secretariat_or_token(setting: str, *, header: str):
    """Secretariat staff (as ``secretariat_required``), or a machine presenting the token named by ``setting``.

    The token comes in the request header ``header``; with the setting empty only the secretariat gets in.
    """

    def decorator(view):
        for_secretariat = secretariat_required(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            expected = getattr(settings, setting, "") or ""
            given = request.headers.get(header, "")
            if expected and given and constant_time_compare(given, expected):
                return view(request, *args, **kwargs)
            return for_secretariat(request, *args, **kwargs)

        return _mark(wrapped, "secretariat")

    return decorator
