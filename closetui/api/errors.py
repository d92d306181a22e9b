"""One exception tree for everything the Close client can raise."""

from __future__ import annotations

from typing import Any


class CloseError(Exception):
    """Base of every error raised by the Close client."""


class TransportError(CloseError):
    """The request did not get an HTTP answer: timeout, refused or dropped connection."""

    def __init__(self, message: str, *, timeout: bool = False, connect: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout
        """True when the failure was a timeout rather than a connection problem."""
        self.connect = connect
        """True when no connection was made (refused, connect or pool timeout): the server
        never saw the request, so even a write is safe to send again."""


class ApiError(CloseError):
    """Close answered with an error status."""

    def __init__(self, status: int, body: Any, message: str | None = None) -> None:
        self.status = status
        """The HTTP status code."""
        self.body = body
        """The decoded JSON body, or the text when it was not JSON."""
        super().__init__(message or f"HTTP {status}: {_summary(body)}")


class ValidationError(ApiError):
    """400: Close refused the input; ``errors`` are general, ``field_errors`` per field."""

    def __init__(self, status: int, body: Any) -> None:
        data = body if isinstance(body, dict) else {}
        self.errors: list[str] = [str(e) for e in data.get("errors") or []]
        raw = data.get("field-errors") or {}
        self.field_errors: dict[str, str] = {str(k): str(v) for k, v in raw.items()}
        parts = [*self.errors, *(f"{k}: {v}" for k, v in self.field_errors.items())]
        super().__init__(status, body, f"HTTP {status}: " + ("; ".join(parts) or "bad request"))


class AuthError(ApiError):
    """401 or 403: the credential is wrong, or not allowed to do this."""


class NotFound(ApiError):
    """404: no such object (or not visible to this credential)."""


class RateLimited(ApiError):
    """429 that outlasted the retries; ``retry_after`` is the advertised wait in seconds."""

    def __init__(self, status: int, body: Any, retry_after: float | None) -> None:
        self.retry_after = retry_after
        super().__init__(status, body, f"HTTP {status}: rate limited (retry after {retry_after}s)")


class UnreadableAnswer(CloseError):
    """A 2xx whose body is not JSON, or not the object asked for (an HTML page from a
    proxy, a cut-off body): the request may well have taken effect."""

    def __init__(self, status: int, body: Any, expected: str = "JSON") -> None:
        self.status = status
        """The HTTP status code (2xx)."""
        self.body = body
        """The decoded JSON, or the text when it was not JSON."""
        super().__init__(f"HTTP {status} but the answer is not {expected}: {_summary(body)}")


def _summary(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("error", "message", "errors"):
            if body.get(key):
                return str(body[key])
        return "error"
    text = str(body or "").strip()
    return text[:200] if text else "no body"


def error_for(status: int, body: Any, retry_after: float | None = None) -> ApiError:
    """The most specific error for an HTTP error status."""
    if status == 400:
        return ValidationError(status, body)
    if status in (401, 403):
        return AuthError(status, body)
    if status == 404:
        return NotFound(status, body)
    if status == 429:
        return RateLimited(status, body, retry_after)
    return ApiError(status, body)
