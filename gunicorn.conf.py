"""gunicorn settings of the portal's web process (Dockerfile CMD, docker-compose `web`: `gunicorn -c gunicorn.conf.py`).

Every value can be changed from the environment; docs/production.md explains
them together with the TLS proxy that sits in front.
"""

import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A worker silent for this long is killed and replaced; the slowest page (a PDF) takes a few seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Off by default: GUNICORN_MAX_REQUESTS=1000 replaces a worker after that many requests (with jitter),
# should a slow leak ever show. (make bench also loads this file, from the working directory.)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# The addresses of the TLS proxy, the only peers whose X-Forwarded-Proto gunicorn believes
# (comma separated, CIDR allowed). It must name the same proxies that POGI_TRUSTED_PROXY_COUNT
# counts in the portal's settings (ALLAUTH_TRUSTED_PROXY_COUNT, the client IP behind
# X-Forwarded-For for rate limits): one proxy in front means one address here and a count of 1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Request head limits: the longest URL the portal makes (filters in the query string) is well
# under 4 KB; 50 headers of at most 8 KB each is more than any browser sends.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "4094"))
limit_request_fields = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELDS", "50"))
limit_request_field_size = int(os.environ.get("GUNICORN_LIMIT_REQUEST_FIELD_SIZE", "8190"))
# gunicorn has no body-size limit: the proxy (client_max_body_size) and
# pogi.request_limits.RequestSizeLimitMiddleware refuse an oversize body.

# No ~/.gunicorn/ control socket in the container.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")

# gunicorn has no setting for the Server header. Since version 22 it sends "Server: gunicorn"
# without a version (the version stays in the WSGI environ's SERVER_SOFTWARE, which the portal
# never echoes). The product name is cut as well: the header keeps a neutral value, and the TLS
# proxy drops it altogether (proxy_hide_header, docs/production.md).
gunicorn.http.wsgi.SERVER = "pogi"  # type: ignore[attr-defined]
