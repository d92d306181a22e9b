"""The async Close API client, its models and its errors (no textual, no rich)."""

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
