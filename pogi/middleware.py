"""HTTP headers every response carries: what the browser may use, and what nobody may keep.

- ``Permissions-Policy`` switches off the browser features the portal never
  uses (camera, microphone, location, payment, USB, …), so an injected script
  or a framed page cannot ask for them.
- A page shown to a signed-in user holds personal or organisation data: unless
  the view set its own ``Cache-Control`` (a public PDF, say), the response is
  ``private, no-store``, so neither a shared cache nor the browser's disk keeps it.

The Content-Security-Policy is django-csp's (``CONTENT_SECURITY_POLICY`` in
the settings); ``X-Frame-Options``, HSTS and ``nosniff`` are Django's.
"""

from django.conf import settings

# Only features browsers recognise: an unknown name makes Chromium log an error on every page.
PERMISSIONS_POLICY = {
    "accelerometer": (),
    "camera": (),
    "display-capture": (),
    "geolocation": (),
    "gyroscope": (),
    "magnetometer": (),
    "microphone": (),
    "midi": (),
    "payment": (),
    "serial": (),
    "usb": (),
}


def _header(policy: dict) -> str:
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = _header(getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY))

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
