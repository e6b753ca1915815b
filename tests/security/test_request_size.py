"""pogi.request_limits.RequestSizeLimitMiddleware: an oversize body is refused without being read."""

import io

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from pogi.request_limits import RequestSizeLimitMiddleware

LIMIT = 12 * 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A wsgi.input that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def _view(request):
    return HttpResponse("ok")


@override_settings(POGI_MAX_REQUEST_BYTES=LIMIT)
def test_a_declared_length_over_the_limit_is_answered_413_unread():
    # given a POST that declares 20 MB and whose body must not be touched
    request = RequestFactory().post("/members/apply/", data=b"", content_type="application/pdf")
    request.META["CONTENT_LENGTH"] = str(20 * 1024 * 1024)
    request.META["wsgi.input"] = UnreadableBody()
    request._stream = UnreadableBody()
    # when it passes the middleware
    response = RequestSizeLimitMiddleware(_view)(request)
    # then it is refused without reading it
    assert response.status_code == 413


@override_settings(POGI_MAX_REQUEST_BYTES=LIMIT)
@pytest.mark.parametrize("length", ["", "0", str(LIMIT)])
def test_a_body_within_the_limit_reaches_the_view(length):
    request = RequestFactory().post("/members/apply/", data=b"", content_type="application/pdf")
    request.META["CONTENT_LENGTH"] = length
    assert RequestSizeLimitMiddleware(_view)(request).content == b"ok"


@override_settings(POGI_MAX_REQUEST_BYTES=LIMIT)
def test_a_malformed_length_is_a_bad_request():
    request = RequestFactory().post("/members/apply/", data=b"", content_type="application/pdf")
    request.META["CONTENT_LENGTH"] = "12e9"
    assert RequestSizeLimitMiddleware(_view)(request).status_code == 400


@override_settings(POGI_MAX_REQUEST_BYTES=0)
def test_zero_switches_the_limit_off():
    request = RequestFactory().post("/members/apply/", data=b"", content_type="application/pdf")
    request.META["CONTENT_LENGTH"] = str(20 * 1024 * 1024)
    assert RequestSizeLimitMiddleware(_view)(request).content == b"ok"


def test_the_middleware_runs_before_anything_that_reads_the_body(client, db):
    # given the portal's middleware stack as configured
    from django.conf import settings

    assert settings.MIDDLEWARE[0] == "pogi.request_limits.RequestSizeLimitMiddleware"
    # when an oversize upload is posted through the whole stack
    response = client.generic(
        "POST",
        "/members/apply/",
        data=b"x" * (settings.POGI_MAX_REQUEST_BYTES + 1),
        content_type="multipart/form-data; boundary=x",
    )
    # then the answer is 413, not the form page
    assert response.status_code == 413
