"""The portal under a real gunicorn with gunicorn.conf.py: what a client on the network sees.

Needs PostgreSQL: the server's workers read the test database from another process.
"""

import http.client
import os
import re
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.services

BASE_DIR = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).with_name("gunicorn")
BODY_BYTES = 20 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(require_postgres, transactional_db, tmp_path):
    """gunicorn with the portal's config file on a free port, the test settings and the test database."""
    db = connection.settings_dict
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pogi.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
    }
    env.pop("POGI_MAX_REQUEST_BYTES", None)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(GUNICORN), "pogi.wsgi:application", "-c", str(BASE_DIR / "gunicorn.conf.py")],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1):
                        break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
                    time.sleep(0.2)
            yield {"port": port, "process": process, "log": log_path}
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def _post_streaming(port: int, path: str, head: dict[str, str], body: bytes) -> tuple[bytes, int, float]:
    """Send the request head, then the body in pieces until the server answers; returns (answer, bytes sent, seconds).

    A client that wrote the whole body before listening would only see its send fail when the
    server refuses early; this one stops sending as soon as the answer arrives, as nginx does.
    """
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in head.items()]
    started = time.monotonic()
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        while sent < len(body):
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sent += sock.send(body[sent : sent + 65536])
            except OSError:
                break
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer, sent, time.monotonic() - started


def test_server_header_carries_no_version(server):
    # when any page is requested
    response, _ = _get(server["port"], "/robots.txt")
    # then the answer does not say which server software, in which version, sent it
    assert response.status == 200
    header = response.getheader("Server")
    assert header is None or not re.search(r"\d|gunicorn", header, re.IGNORECASE), header


def test_oversize_upload_is_refused_before_its_body_is_read(server):
    # given a visitor with the application form and its CSRF token (so CSRF would read the body)
    port = server["port"]
    response, page = _get(port, "/members/apply/")
    assert response.status == 200
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    boundary = "pogi-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="enrolment_form"; filename="form.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"%PDF-"
        + b"0" * BODY_BYTES
        + f"\r\n--{boundary}--\r\n".encode()
    )
    # when they post a 20 MB "signed form"
    answer, sent, seconds = _post_streaming(
        port,
        "/members/apply/",
        {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": cookie,
            "Referer": f"http://127.0.0.1:{port}/members/apply/",
        },
        body,
    )
    # then the server answers 413 at once, having taken next to none of the body
    assert answer.split(b"\r\n", 1)[0] == b"HTTP/1.1 413 Request Entity Too Large", answer[:300]
    assert seconds < 2, seconds
    assert sent < BODY_BYTES // 4, sent
    # and the workers are still there and serving
    assert _get(port, "/robots.txt")[0].status == 200
    assert server["process"].poll() is None
    log = server["log"].read_text()
    assert "WORKER TIMEOUT" not in log
    assert "Traceback" not in log


def test_request_head_limits(server):
    port = server["port"]
    # a request line longer than limit_request_line is refused by gunicorn itself
    response, _ = _get(port, "/members/?q=" + "x" * 5000)
    assert response.status in (400, 414)
    # and so are more header fields than limit_request_fields (50; gunicorn's default of 100 would let 60 in)
    response, _ = _get(port, "/robots.txt", headers={f"X-Filler-{n}": "1" for n in range(60)})
    assert response.status in (400, 431)
    # while an ordinary request still passes
    assert _get(port, "/robots.txt")[0].status == 200
