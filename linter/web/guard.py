"""The server's outer layer: hosts, origins, body size and security headers, for every request.

- Host: only the names the server was bound to (a page on another site that points its own
  name at 127.0.0.1, DNS rebinding, gets 400).
- Origin: a POST from a page of another origin gets 403 (a browser sends Origin with it).
- Size: a body over the limit gets 413 as JSON, both when Content-Length says so and when
  a chunked body grows past it; a moderately oversized body is read to its end first, so
  a browser that is still sending gets the answer rather than a reset connection.
- Headers: a Content-Security-Policy that lets the page load only its own script and
  stylesheet and talk only to its own server, and the usual hardening headers.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from .api import TooLarge

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
DRAIN_LIMIT = 64 * 1024 * 1024   # read at most this much of a refused body before answering


def host_name(host: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '::1', 'LocalHost' -> 'localhost'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware: the checks and headers above, before the application sees a request."""

    def __init__(self, app, *, allowed_hosts: set[str] | None, max_body: int):
        self.app, self.allowed_hosts, self.max_body = app, allowed_hosts, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_secure(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + \
                    [(k, v) for k, v in HEADERS if k not in names]
            await send(message)

        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            status, text = refusal
            if status == 413:
                await self._drain(receive)
            return await JSONResponse({"error": text}, status)(scope, receive, send_secure)

        seen = 0

        async def receive_limited():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise TooLarge()
            return message

        await self.app(scope, receive_limited, send_secure)

    def _refusal(self, scope, headers: Headers) -> tuple[int, str] | None:
        host = host_name(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            return 400, "unexpected Host header"
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and origin is not None:
            scheme = scope.get("scheme", "http")
            if origin.lower() != f"{scheme}://{headers.get('host', '').lower()}":
                return 403, "requests from other sites are refused"
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return 400, "bad Content-Length"
            if int(length) > self.max_body:
                return 413, too_large(self.max_body)
        return None

    async def _drain(self, receive) -> None:
        """Read a refused body (up to DRAIN_LIMIT) so the client is done sending."""
        seen = 0
        while seen <= DRAIN_LIMIT:
            message = await receive()
            if message["type"] != "http.request":
                return
            seen += len(message.get("body", b""))
            if not message.get("more_body", False):
                return


def too_large(max_body: int) -> str:
    return f"request larger than {max_body // (1024 * 1024)} MB"
