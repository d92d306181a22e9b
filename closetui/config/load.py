"""Finding, reading and validating ``config.toml``, with messages that name file and key."""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic import ValidationError as PydanticError

from closetui.config.checks import looks_like_key
from closetui.config.errors import ConfigError, Problem
from closetui.config.model import Config, Profile, View
from closetui.config.paths import config_path, display_path
from closetui.text_files import load_toml, read_problem, read_small_text

# Values of these keys may be shown back in an error ("got ..."): none of them can be a key
# (api_key_env is a name, but a key pasted into it is the mistake its error reports).
_SHOWN = {"base_url", "tz_offset", "auth", "read_only", "api_key_keyring", "theme"}
_SHOWN_TOP = {"default_profile", "theme", "keymap"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class LoadedConfig:
    """A validated config and where it came from."""

    path: Path
    """The file read (or that would be created)."""
    config: Config
    """The parsed settings; empty when the file does not exist."""
    exists: bool = False
    """False when there is no file yet."""
    warnings: tuple[str, ...] = ()
    """Things to tell the user without refusing, e.g. a file readable by others."""

    @property
    def shown_path(self) -> str:
        """The path as messages show it."""
        return display_path(self.path)

    def profile(self, name: str) -> Profile:
        """The named profile; ConfigError (listing the names there are) when missing."""
        found = self.config.profiles.get(name)
        if found is not None:
            return found
        names = ", ".join(self.config.profiles)
        there = f"profiles there: {names}" if names else f"add it: closetui profile add {name}"
        raise ConfigError(f"no profile {name!r} in {self.shown_path}; {there}")


def load_config(path: str | os.PathLike[str] | None = None) -> LoadedConfig:
    """Read and validate the config (see :func:`config_path`); a missing file is empty."""
    where = config_path(path)
    # The raw data goes straight into validate_config: no frame here ever holds it.
    config = validate_config(_read(where), where)
    if not where.exists():
        return LoadedConfig(where, config)
    warning = permission_warning(where)
    return LoadedConfig(where, config, exists=True, warnings=(warning,) if warning else ())


def permission_warning(path: Path) -> str | None:
    """A warning when others may read (or write) the file; None when it is private."""
    if os.name == "nt":
        return None
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return None
    if not mode & 0o077:
        return None
    who = "readable by other users" if mode & 0o044 else "open to other users"
    shown = display_path(path)
    return f"{shown} is {who} (mode {mode:04o}) and may hold API keys; fix: chmod 600 {shown}"


def validate_config(data: dict[str, Any] | None, path: Path) -> Config:
    """The :class:`Config` for parsed TOML (None: no file, an empty config).

    Raises ConfigError naming the file and each bad key; the data is dropped first, so
    the traceback's locals never hold a key.
    """
    if data is None:
        return Config()
    try:
        return Config.model_validate(guard_secrets(data))
    except PydanticError as exc:
        problems = describe_errors(exc)
    # Raised outside the except block so the error carries no pydantic context (and no input).
    del data
    shown = display_path(path)
    lines = [
        f"{shown}: {p.key}: {p.message}" if p.key else f"{shown}: {p.message}" for p in problems
    ]
    raise ConfigError("\n".join(lines), problems=problems)


def guard_secrets(data: dict[str, Any]) -> dict[str, Any]:
    """A copy with every string that could be a key (literal or unknown keys) as SecretStr."""
    top = set(Config.model_fields)
    safe = set(Profile.model_fields) - {"api_key"}
    out = {key: value if key in top else _hide(value) for key, value in data.items()}
    profiles = out.get("profiles")
    if isinstance(profiles, dict):
        out["profiles"] = {
            name: {k: v if k in safe else _hide(v) for k, v in table.items()}
            if isinstance(table, dict)
            else _hide(table)
            for name, table in profiles.items()
        }
    return out


def _hide(value: Any) -> Any:
    if isinstance(value, str):
        return SecretStr(value)
    if isinstance(value, dict):
        return {key: _hide(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_hide(item) for item in value]
    return value


def _read(path: Path) -> dict[str, Any] | None:
    """The TOML data with secrets guarded, or None when the file does not exist."""
    failure = ""
    try:
        return guard_secrets(load_toml(read_small_text(path)))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        # ValueError: too large, not UTF-8, not TOML; RecursionError: data nested too deep.
        failure = read_problem(exc) if not isinstance(exc, RecursionError) else "nested too deeply"
    raise ConfigError(f"{display_path(path)}: {failure}", problems=(Problem("", failure),))


def describe_errors(exc: PydanticError) -> tuple[Problem, ...]:
    """pydantic's errors as problems: dotted key and expectation, secrets never echoed."""
    seen: dict[tuple[str, str], Problem] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        name_error = bool(loc) and loc[-1] == "[key]"
        parts = [str(p) for p in loc if p != "[key]"]
        key = _dotted(parts)
        message = _expected(error, parts)
        if not name_error and _may_show(error["type"], parts, error.get("input")):
            message += f", got {_shown(error['input'])}"
        seen.setdefault((key, message), Problem(key, message))
    return tuple(seen.values())


def _is_view_key(parts: list[str]) -> bool:
    """``views.NAME.KEY`` or ``profiles.P.views.NAME.KEY``: a view's setting (never secret)."""
    return (len(parts) == 3 and parts[0] == "views") or (
        len(parts) == 5 and parts[0] == "profiles" and parts[2] == "views"
    )


def _may_show(kind: str, parts: list[str], value: Any) -> bool:
    if kind == "extra_forbidden" or isinstance(value, SecretStr | dict):
        return False
    if _is_view_key(parts):
        return kind != "closetui"  # our own messages already quote the word
    if isinstance(value, str) and "@" in value:  # a URL with user:password@
        return False
    if isinstance(value, str) and looks_like_key(value):  # a key pasted into the wrong field
        return False
    if len(parts) == 1 or parts[0] == "keymap":
        return parts[0] in _SHOWN_TOP
    return len(parts) == 3 and parts[0] == "profiles" and parts[2] in _SHOWN


def _expected(error: Any, parts: list[str]) -> str:
    kind = error["type"]
    if kind == "closetui":
        return str(error["msg"])
    if kind == "extra_forbidden":
        return _unknown_key(parts)
    if kind == "literal_error":
        return "expected " + str(error["ctx"]["expected"]).replace("'", '"')
    if kind in ("model_type", "dict_type"):
        if parts == ["profiles"]:
            return "expected tables like [profiles.acme]"
        if parts[-1:] == ["views"]:
            return 'expected tables like [views."Won this month"]'
        return "expected a table"
    simple = {
        "bool_type": "expected true or false",
        "string_type": "expected a string in quotes",
        "float_type": "expected a number",
        "int_type": "expected a whole number",
        "list_type": "expected a list",
    }
    return simple.get(kind, str(error["msg"]))


def _unknown_key(parts: list[str]) -> str:
    name = parts[-1]
    if _is_view_key(parts):
        allowed = list(View.model_fields)
    elif len(parts) == 1:
        allowed = list(Config.model_fields)
        if name in Profile.model_fields:
            return "unknown key at the top level; profile settings go in a [profiles.NAME] table"
    else:
        allowed = list(Profile.model_fields)
    message = "unknown key, expected one of " + ", ".join(allowed)
    close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    return message + (f" (did you mean {close[0]}?)" if close else "")


def _dotted(parts: list[str]) -> str:
    return ".".join(p if _BARE_KEY.fullmatch(p) else json.dumps(p) for p in parts)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, list):
        return "a list"
    return str(value)
