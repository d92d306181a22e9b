"""Requests and exchanges as values: what the preview, inspector and history show."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from closetui.api.credentials import Credential
    from closetui.api.ratelimit import RateLimitState

_ENV_FOR_KIND = {"api_key": "CLOSE_API_KEY", "oauth": "CLOSE_OAUTH_TOKEN"}
_HIDDEN_HEADERS = frozenset({"authorization", "cookie", "set-cookie"})
_SHOWN_HEADERS = ("x-tz-offset", "content-type")


@dataclass(frozen=True, slots=True)
class RequestView:
    """An HTTP request with its credential redacted; renders as text, curl or httpie.

    Described from an ``httpx.Request`` the client built: the preview of an update is
    its request for the same opportunity with the draft's body put in
    (:meth:`with_body`), and the request that is sent is checked to describe the same.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    """Headers as sent, ``Authorization`` replaced by a redacted value."""
    body: bytes = b""
    credential: Credential | None = field(default=None, compare=False, repr=False)
    """Kept only to render an unredacted command when explicitly asked (two views of
    the same request are equal whatever it is, and ``repr`` leaves it out)."""

    @classmethod
    def from_httpx(cls, request: httpx.Request, credential: Credential | None) -> RequestView:
        """Describe an ``httpx.Request`` (its body must already be built)."""
        headers: list[tuple[str, str]] = []
        # ``raw`` keeps the case the headers were given in (``X-TZ-Offset``).
        for raw_name, raw_value in request.headers.raw:
            name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
            if name.lower() in _HIDDEN_HEADERS:
                redacted = credential.redacted_header_value() if credential else "***"
                headers.append((name, redacted if name.lower() == "authorization" else "***"))
            else:
                headers.append((name, value))
        return cls(request.method, str(request.url), tuple(headers), request.content, credential)

    def with_body(self, body: bytes) -> RequestView:
        """This request with another body (its ``Content-Length`` follows it)."""
        length = str(len(body))
        headers = tuple(
            (name, length if name.lower() == "content-length" else value)
            for name, value in self.headers
        )
        return RequestView(self.method, self.url, headers, body, self.credential)

    def header(self, name: str) -> str | None:
        """One header's (redacted) value, case-insensitively."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def json_body(self) -> Any:
        """The decoded JSON body (None when the request has none)."""
        return json.loads(self.body) if self.body else None

    def body_text(self) -> str:
        """The body exactly as sent, as text."""
        return self.body.decode("utf-8", errors="replace")

    def to_text(self) -> str:
        """Request line, the headers that matter, and the body: the preview's text."""
        lines = [f"{self.method} {self.url}"]
        lines += [
            f"{k}: {v}" for k, v in self.headers if k.lower() in (*_SHOWN_HEADERS, "authorization")
        ]
        if self.body:
            lines += ["", self.body_text()]
        return "\n".join(lines)

    def _auth_env(self) -> str:
        kind = self.credential.kind if self.credential else "api_key"
        return _ENV_FOR_KIND[kind]

    def to_curl(self, reveal: bool = False) -> str:
        """A curl command; the credential is an environment variable unless ``reveal``."""
        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        parts += self._auth_args(reveal, curl=True)
        for key, value in self.headers:
            if key.lower() in _SHOWN_HEADERS:
                parts += ["-H", shlex.quote(f"{key}: {value}")]
        if self.body:
            parts += ["--data-raw", shlex.quote(self.body_text())]
        return " ".join(parts)

    def to_httpie(self, reveal: bool = False) -> str:
        """An httpie command; the credential is an environment variable unless ``reveal``."""
        parts = ["http", *self._auth_args(reveal, curl=False), self.method, shlex.quote(self.url)]
        for key, value in self.headers:
            if key.lower() in _SHOWN_HEADERS:
                parts.append(shlex.quote(f"{key}:{value}"))
        if self.body:
            parts += ["--raw", shlex.quote(self.body_text())]
        return " ".join(parts)

    def _auth_args(self, reveal: bool, *, curl: bool) -> list[str]:
        cred = self.credential
        if cred is None:
            return []
        secret = cred.secret.get_secret_value() if reveal else f"${self._auth_env()}"
        quote = shlex.quote if reveal else (lambda s: f'"{s}"')
        if cred.kind == "oauth":
            header = f"Authorization: Bearer {secret}" if curl else f"Authorization:Bearer {secret}"
            return ["-H", quote(header)]
        return ["-u" if curl else "--auth", quote(f"{secret}:")]


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and what came back (or why nothing did)."""

    request: RequestView
    started_at: datetime
    elapsed: float
    """Seconds from sending to the end of the response body."""
    status: int | None = None
    """HTTP status, None when the request failed in transport."""
    response_headers: tuple[tuple[str, str], ...] = ()
    response_body: bytes = b""
    rate_limit: RateLimitState | None = None
    error: str | None = None
    """Transport failure message, when there was no HTTP answer."""
    attempt: int = 1
    """1 for the first try, 2.. for retries."""

    def json_body(self) -> Any:
        """The response decoded as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.response_body) if self.response_body else None
        except ValueError:
            return None

    def body_text(self) -> str:
        """The response body as text."""
        return self.response_body.decode("utf-8", errors="replace")

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return self.status is not None and 200 <= self.status < 300


OnExchange = Callable[[Exchange], None]
"""Called with each exchange of a call as it completes (the history records them)."""
