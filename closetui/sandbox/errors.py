"""Error answers in Close's shapes, raised by the store and turned into responses by the app."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """An error answer: HTTP status plus JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


class ValidationFailed(ApiError):
    """A 400 in Close's validation shape: ``{"errors": [...], "field-errors": {...}}``."""

    def __init__(self, errors: list[str] | None = None, field_errors: dict[str, str] | None = None):
        self.errors = list(errors or [])
        self.field_errors = dict(field_errors or {})
        super().__init__(400, {"errors": self.errors, "field-errors": self.field_errors})


def not_found() -> ApiError:
    """The 404 answer for an unknown object."""
    return ApiError(404, {"error": "Not found"})


class DroppedConnection(ConnectionResetError):
    """Raised by the app to cut a connection mid-response (a scripted or random fault)."""
