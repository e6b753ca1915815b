"""Refuse an oversize request body before anything reads it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body exceeds POGI_MAX_REQUEST_BYTES, without reading it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files, and
    CsrfViewMiddleware reads the whole body of a POST to find the token, so a
    20 MB multipart upload would be received and spooled to disk before the form
    refuses it. The TLS proxy (client_max_body_size, docs/production.md) is the
    first cap; this is the second, for requests that reach gunicorn directly. It
    comes first in MIDDLEWARE, before anything touches request.POST.

    A chunked body has no Content-Length; Django's own limits bound it (nginx
    buffers such a body and applies client_max_body_size to it).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.POGI_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Invalid Content-Length.", status=400, content_type="text/plain")
        if limit and length > limit:
            # The unread body stays on the socket; gunicorn closes (sync worker) or drains the connection.
            return HttpResponse(
                f"Request body too large (at most {limit} bytes).", status=413, content_type="text/plain"
            )
        return self.get_response(request)
