"""Config errors: each names the file, the key and what was expected, never a secret."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a config file."""

    key: str
    """The dotted key, e.g. ``profiles.acme.tz_offset`` (empty for the whole file)."""
    message: str
    """What was expected (and, for values that are not secret, what was found)."""


class ConfigError(Exception):
    """The config is unreadable or invalid, or a profile cannot be used as asked.

    The message is safe to show anywhere: it never contains an API key.
    """

    def __init__(self, message: str, *, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems
        """The individual problems, for a UI that wants to point at each key."""


class KeySourceError(ConfigError):
    """A profile's key source gave no key: variable unset, command failed, no keyring entry."""
