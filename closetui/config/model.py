"""The parsed config: strict pydantic models for ``config.toml`` and the checks on its values."""

from __future__ import annotations

import difflib
import json
import re
import shlex
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from closetui.api.client import DEFAULT_BASE_URL
from closetui.api.credentials import AuthKind
from closetui.api.query import ORDER_FIELDS, check_order_by
from closetui.config.checks import (
    DEFAULT_POLL_SECONDS,
    check_base_url,
    check_poll_seconds,
    check_tz_offset,
    looks_like_key,
)
from closetui.edits.fields import FieldProblem
from closetui.edits.parse import parse_date
from closetui.web_links import DEFAULT_WEB_URL

NAME_EXPECTED = "expected a profile name of letters, digits, - and _"
COMMAND_EXPECTED = 'expected a command line like "pass show close/acme" or a list of words'
ENV_EXPECTED = (
    "not a variable name (expected one like CLOSE_API_KEY; the value is not shown: it may be a key)"
)
COMMAND_KEYISH = "not a command: it looks like a key (the value is not shown); use api_key instead"
SOURCE_KEYS = ("api_key_env", "api_key_command", "api_key_keyring", "api_key")
"""The key sources, in the order a user would prefer them."""

VIEW_NAME_EXPECTED = (
    "expected a view name of 1 to 60 characters without control characters or spaces at either end"
)
WORDS_EXPECTED = 'expected a string like "Won" or a list of strings like ["Won", "Lost"]'
DATE_WORD_EXPECTED = (
    "expected a date like 2026-11-01, today, yesterday, tomorrow or a shift like -1w, -1m, +1y"
)
STATUS_TYPE_WORDS = ("active", "won", "lost")

T = TypeVar("T")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_profile_name(name: str) -> str:
    """``name`` if it can name a profile (and a keyring entry); else ValueError."""
    if not _NAME.fullmatch(name):
        raise ValueError(NAME_EXPECTED)
    return name


def command_argv(command: object) -> list[str]:
    """The argv of an ``api_key_command``: a string is split as a shell would, but no shell runs."""
    if isinstance(command, str):
        try:
            argv = shlex.split(command)
        except ValueError:  # unbalanced quotes
            raise ValueError(COMMAND_EXPECTED) from None
    elif isinstance(command, list) and all(isinstance(word, str) for word in command):
        argv = list(command)
    else:
        raise ValueError(COMMAND_EXPECTED)
    if not argv or not argv[0]:
        raise ValueError(COMMAND_EXPECTED)
    if looks_like_key(argv[0]):
        raise ValueError(COMMAND_KEYISH)
    return argv


def _custom(check: Callable[[Any], T], value: Any) -> T:
    """Run a ValueError-raising check, reporting its message as the pydantic error."""
    try:
        return check(value)
    except ValueError as exc:
        raise PydanticCustomError("closetui", str(exc)) from None


def _valid_name(name: str) -> str:
    _custom(check_profile_name, name)
    return name


ProfileName = Annotated[str, AfterValidator(_valid_name)]


def check_view_name(name: str) -> str:
    """``name`` if it can name a view (a TOML key shown in the palette); else ValueError."""
    if not 1 <= len(name) <= 60 or name != name.strip() or not name.isprintable():
        raise ValueError(VIEW_NAME_EXPECTED)
    return name


def _valid_view_name(name: str) -> str:
    _custom(check_view_name, name)
    return name


ViewName = Annotated[str, AfterValidator(_valid_view_name)]


def _words(value: object) -> tuple[str, ...]:
    """A string or a list of non-blank strings, as a tuple."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise PydanticCustomError("closetui", WORDS_EXPECTED)
    return tuple(value)


class View(BaseModel):
    """A named filter: org-level words (labels, names, date words) resolved when applied.

    ``[views."Won this month"]`` (every profile) or ``[profiles.NAME.views."..."]``.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    pipeline: str | None = None
    """A pipeline name (or id): its statuses become ``status_id__in``."""
    status: tuple[str, ...] = ()
    """Status labels, ``Pipeline/Label`` or ids (a label shared by pipelines means all)."""
    status_type: tuple[str, ...] = ()
    """``active``, ``won`` and/or ``lost``."""
    owner: tuple[str, ...] = ()
    """Owners by full name, email or id."""
    date_won_from: str | None = None
    """``date_won`` on or after: ``2026-11-01``, ``today``, ``-1m``... (at the profile's offset)."""
    date_won_to: str | None = None
    """``date_won`` on or before, in the same words."""
    query: str | None = None
    """Close's search text, e.g. ``note:renewal``."""
    order_by: str | None = None
    """A sort to switch to, e.g. ``-date_won``."""

    @field_validator("status", "owner", mode="before")
    @classmethod
    def _word_list(cls, value: object) -> tuple[str, ...]:
        return _words(value)

    @field_validator("status_type", mode="before")
    @classmethod
    def _status_types(cls, value: object) -> tuple[str, ...]:
        words = _words(value)
        for word in (part.strip() for w in words for part in w.split(",")):
            if word not in STATUS_TYPE_WORDS:
                close = difflib.get_close_matches(word.lower(), STATUS_TYPE_WORDS, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise PydanticCustomError(
                    "closetui", f'expected "active", "won" or "lost", got {json.dumps(word)}{hint}'
                )
        return words

    @field_validator("date_won_from", "date_won_to")
    @classmethod
    def _date_word(cls, value: str | None) -> str | None:
        if value is not None and isinstance(parse_date(value, date(2000, 1, 15)), FieldProblem):
            raise PydanticCustomError("closetui", f"{DATE_WORD_EXPECTED}, got {json.dumps(value)}")
        return value

    @field_validator("order_by")
    @classmethod
    def _order_by(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                check_order_by(value)
            except ValueError as exc:
                close = difflib.get_close_matches(value.lstrip("-"), ORDER_FIELDS, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise PydanticCustomError(
                    "closetui", f"{exc}, got {json.dumps(value)}{hint}"
                ) from None
        return value


class Profile(BaseModel):
    """One connection profile: where to connect, how to authenticate, how to behave."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    base_url: str = DEFAULT_BASE_URL
    """The API root; ``https://``, or ``http://`` for loopback hosts only."""
    auth: AuthKind = "api_key"
    """``api_key`` (sent as Basic auth) or ``oauth`` (an access token sent as Bearer)."""
    api_key_env: str | None = None
    """Key source 1: the name of an environment variable holding the key."""
    api_key_command: str | list[str] | None = None
    """Key source 2: a command whose first line of output is the key; run without a shell."""
    api_key_keyring: bool = False
    """Key source 3: the OS keyring (service ``closetui``, username = the profile name)."""
    api_key: SecretStr | None = None
    """Key source 4, the last resort: the key itself, in this file."""
    tz_offset: float | None = None
    """UTC offset in hours sent as ``X-TZ-Offset``; unset means this machine's zone."""
    read_only: bool = False
    """Never send changes with this profile."""
    theme: str | None = None
    """A theme for this profile, overriding the top-level ``theme``."""
    views: dict[ViewName, View] = Field(default_factory=dict)
    """Named filters for this profile's organisation (they win over global ones)."""
    web_url: str = DEFAULT_WEB_URL
    """The Close web app, where "open in Close" links to (``https://``, or ``http://`` for
    loopback hosts only)."""
    poll_seconds: float = DEFAULT_POLL_SECONDS
    """How often the list asks the server what others changed; 0 turns it off."""

    @field_validator("poll_seconds", mode="before")
    @classmethod
    def _poll_seconds(cls, value: object) -> object:
        return _custom(check_poll_seconds, value)

    board_move: Literal["draft", "send"] = "draft"
    """What moving a card on the board does: ``draft`` waits for a send (ctrl+r);
    ``send`` sends the move at once (``u`` undoes it)."""

    @field_validator("base_url", "web_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        return str(_custom(check_base_url, value))

    @field_validator("tz_offset", mode="before")
    @classmethod
    def _tz_offset(cls, value: object) -> object:
        return None if value is None else _custom(check_tz_offset, value)

    @field_validator("api_key_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        if value is not None and (not _ENV_NAME.fullmatch(value) or looks_like_key(value)):
            raise PydanticCustomError("closetui", ENV_EXPECTED)
        return value

    @field_validator("api_key_command", mode="before")
    @classmethod
    def _command(cls, value: object) -> object:
        if value is not None:
            _custom(command_argv, value)
        return value

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        found = self.sources()
        if len(found) != 1:
            raise PydanticCustomError(
                "closetui",
                "expected exactly one key source (api_key_env, api_key_command, "
                "api_key_keyring = true or api_key), found " + (" and ".join(found) or "none"),
            )
        return self

    def sources(self) -> tuple[str, ...]:
        """The key sources this profile sets (valid profiles set exactly one)."""
        present = {
            "api_key_env": self.api_key_env is not None,
            "api_key_command": self.api_key_command is not None,
            "api_key_keyring": self.api_key_keyring,
            "api_key": self.api_key is not None,
        }
        return tuple(key for key in SOURCE_KEYS if present[key])


class Config(BaseModel):
    """The whole ``config.toml``."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    default_profile: str | None = None
    """The profile used when neither ``--demo``, ``--base-url`` nor ``--profile`` is given."""
    theme: str | None = None
    """The colour theme (a built-in name, or a file in ``<config dir>/themes/``)."""
    keymap: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys, e.g. ``send = "ctrl+s,f5"`` (comma-separated)."""
    profiles: dict[ProfileName, Profile] = Field(default_factory=dict)
    """The connection profiles, by name."""
    views: dict[ViewName, View] = Field(default_factory=dict)
    """Named filters offered with every profile, resolved against the org when applied."""

    def views_for(self, profile: str | None) -> dict[str, View]:
        """The views offered with ``profile``: the global ones, then the profile's own
        (a profile's view replaces a global one of the same name)."""
        found = self.profiles.get(profile) if profile is not None else None
        return {**self.views, **(found.views if found is not None else {})}
