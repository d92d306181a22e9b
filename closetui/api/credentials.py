"""Credentials for the Close API: an API key (Basic) or an OAuth token (Bearer)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

AuthKind = Literal["api_key", "oauth"]


@dataclass(frozen=True, slots=True)
class Credential:
    """A secret and how to send it; its repr never shows the secret."""

    secret: SecretStr
    kind: AuthKind = "api_key"

    @classmethod
    def api_key(cls, key: str) -> Credential:
        """An API key, sent as the Basic-auth user with an empty password."""
        return cls(SecretStr(key), "api_key")

    @classmethod
    def oauth(cls, token: str) -> Credential:
        """An OAuth access token, sent as a Bearer token."""
        return cls(SecretStr(token), "oauth")

    def header_value(self) -> str:
        """The real ``Authorization`` header value."""
        # No local variable holds the secret: crash reports print locals.
        if self.kind == "oauth":
            return "Bearer " + self.secret.get_secret_value()
        return "Basic " + base64.b64encode(self.secret.get_secret_value().encode() + b":").decode()

    def redacted_header_value(self) -> str:
        """The ``Authorization`` header as closetui shows it anywhere."""
        return "Bearer ***" if self.kind == "oauth" else "Basic ***"
