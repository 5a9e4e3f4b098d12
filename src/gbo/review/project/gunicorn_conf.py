"""Gunicorn settings for `gbo review serve` (`--config python:gbo.review.project.gunicorn_conf`).

Request lines and headers are bounded here; bodies by the app before they are read
(``gbo.review.project.limits``) and by the proxy (``client_max_body_size``, docs/review.md).
Bind address, workers and threads come from the command line.
"""

from __future__ import annotations

# A request line (method, path and query) of at most 4 KiB: the app's longest URL is a bundle
# file's path, well under it.
limit_request_line = 4094
# At most 50 header fields, each at most 8 KiB (sign-in and CSRF cookies are well under).
limit_request_fields = 50
limit_request_field_size = 8190
# A worker that takes longer than this on one request is restarted; a bundle upload's checks
# take seconds, not minutes.
timeout = 120
graceful_timeout = 5
# Keep idle connections open longer than browsers wait between clicks, so a request never
# races the server closing its connection.
keepalive = 75
control_socket_disable = True
accesslog = "-"
# The app listens on loopback behind the proxy, which alone may set X-Forwarded-* headers.
forwarded_allow_ips = "127.0.0.1,::1"
