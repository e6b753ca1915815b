from django.conf import settings

from members.access import roles_of


def portal(request):
    """What every page's header, footer and navigation need."""
    return {
        "authority": settings.POGI_AUTHORITY,
        "user_roles": roles_of(getattr(request, "user", None)),
    }
