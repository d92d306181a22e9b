"""Credentials for the Close API: an API key (Basic) or an OAuth token (Bearer)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Literal

AuthKind = Literal["api_key", "oauth"]


class Secret:
    """A string that never shows itself: its repr and str are stars, so a log line, a
    preview or a crash report (Textual prints locals) cannot leak it.

    The same promise as ``pydantic.SecretStr``, without loading pydantic at the app's
    start-up; the config layer still reads
    keys as ``SecretStr`` and hands them over as text.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """The secret itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __len__(self) -> int:
        return len(self._value)


@dataclass(frozen=True, slots=True)
class Credential:
    """A secret and how to send it; its repr never shows the secret."""

    secret: Secret
    kind: AuthKind = "api_key"

    @classmethod
    def api_key(cls, key: str) -> Credential:
        """An API key, sent as the Basic-auth user with an empty password."""
        return cls(Secret(key), "api_key")

    @classmethod
    def oauth(cls, token: str) -> Credential:
        """An OAuth access token, sent as a Bearer token."""
        return cls(Secret(token), "oauth")

    def header_value(self) -> str:
        """The real ``Authorization`` header value."""
        # No local variable holds the secret: crash reports print locals.
        if self.kind == "oauth":
            return "Bearer " + self.secret.get_secret_value()
        return "Basic " + base64.b64encode(self.secret.get_secret_value().encode() + b":").decode()

    def redacted_header_value(self) -> str:
        """The ``Authorization`` header as closetui shows it anywhere."""
        return "Bearer ***" if self.kind == "oauth" else "Basic ***"
