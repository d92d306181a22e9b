"""The async Close client, its models and its errors (no textual, no rich).

Names load lazily, so ``closetui.api.models`` can be imported (by the pure edits layer)
without pulling in httpx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "DEFAULT_BASE_URL": "client",
    "CloseClient": "client",
    "Wait": "client",
    "format_tz_offset": "client",
    "Credential": "credentials",
    "ApiError": "errors",
    "AuthError": "errors",
    "CloseError": "errors",
    "NotFound": "errors",
    "RateLimited": "errors",
    "TransportError": "errors",
    "ValidationError": "errors",
    "Exchange": "exchange",
    "RequestView": "exchange",
    "OpportunityQuery": "query",
    "RateLimitState": "ratelimit",
}

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiError",
    "AuthError",
    "CloseClient",
    "CloseError",
    "Credential",
    "Exchange",
    "NotFound",
    "OpportunityQuery",
    "RateLimitState",
    "RateLimited",
    "RequestView",
    "TransportError",
    "ValidationError",
    "Wait",
    "format_tz_offset",
]

if TYPE_CHECKING:
    from closetui.api.client import DEFAULT_BASE_URL, CloseClient, Wait, format_tz_offset
    from closetui.api.credentials import Credential
    from closetui.api.errors import (
        ApiError,
        AuthError,
        CloseError,
        NotFound,
        RateLimited,
        TransportError,
        ValidationError,
    )
    from closetui.api.exchange import Exchange, RequestView
    from closetui.api.query import OpportunityQuery
    from closetui.api.ratelimit import RateLimitState


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"closetui.api.{module}"), name)
