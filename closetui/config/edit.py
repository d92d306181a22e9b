"""Writing ``config.toml`` with tomlkit: the user's comments and order survive every edit."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import tomlkit
from tomlkit.items import AoT, Comment, Item, Key, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from closetui.config.errors import ConfigError
from closetui.config.load import validate_config
from closetui.config.model import Profile, View, check_view_name
from closetui.config.paths import display_path
from closetui.files import write_atomic

P = ParamSpec("P")
R = TypeVar("R")

FILE_MODE = 0o600
"""Mode of a new config file: it may hold API keys."""
DIR_MODE = 0o700
"""Mode of a new config directory."""
HEADER = (
    "closetui settings: a [profiles.NAME] table per Close account, plus theme and [keymap].",
    "Edit by hand or with `closetui profile add|remove|default`; comments are kept.",
)


def forget_locals_on_error(function: Callable[P, R]) -> Callable[P, R]:
    """Clear the local variables of the frames an exception leaves behind.

    The document, its tables and the text written all hold the file's keys; crash
    reports (Textual's, Rich's) print every frame's locals. Deliberate ConfigErrors keep
    their messages; only the frames below the decorated function lose their locals.
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except BaseException as exc:
            traceback.clear_frames(exc.__traceback__)  # skips frames still running (ours)
            raise

    return wrapper


@forget_locals_on_error
def read_document(path: Path) -> TOMLDocument:
    """The file as an editable document (a fresh one with a header when there is no file).

    A file that is not valid TOML or not a valid config is refused, so an edit never
    builds on a broken file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        document = tomlkit.document()
        for line in HEADER:
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())
        return document
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "expected UTF-8 text"
        raise ConfigError(f"{display_path(path)}: cannot read it: {reason}") from None
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(
            f"{display_path(path)}: not valid TOML (line {exc.line}, column {exc.col})"
        ) from None
    problem = _problem(document, path)
    if problem is not None:
        del text, document  # keep keys out of the traceback's locals
        raise problem
    return document


def profile_table(profile: Profile) -> Table:
    """A ``[profiles.NAME]`` table with the profile's settings (defaults left out)."""
    table = tomlkit.table()
    table["base_url"] = profile.base_url
    table["auth"] = profile.auth
    if profile.api_key_env is not None:
        table["api_key_env"] = profile.api_key_env
    elif profile.api_key_command is not None:
        table["api_key_command"] = profile.api_key_command
    elif profile.api_key_keyring:
        table["api_key_keyring"] = True
    elif profile.api_key is not None:
        table["api_key"] = profile.api_key.get_secret_value()
    if profile.tz_offset is not None:
        hours = profile.tz_offset
        table["tz_offset"] = int(hours) if hours.is_integer() else hours
    if profile.read_only:
        table["read_only"] = True
    if profile.theme is not None:
        table["theme"] = profile.theme
    table.add(tomlkit.nl())
    return table


@forget_locals_on_error
def add_profile(
    path: Path, name: str, profile: Profile, *, make_default: bool = False, force: bool = False
) -> bool:
    """Add (or with ``force`` replace) a profile; True when it is now the default.

    With no default profile yet, the new profile becomes the default. Replacing keeps
    the profile's views and the comments in its table: only the settings change.
    """
    document = read_document(path)
    profiles = document.get("profiles")
    if profiles is None:
        profiles = tomlkit.table(is_super_table=True)
        document["profiles"] = profiles
    elif name in profiles and not force:
        raise ConfigError(
            f"profile {name!r} already exists in {display_path(path)}; add --force to replace it"
        )
    settings = profile_table(profile)
    existing = profiles.get(name)
    if isinstance(existing, Table):
        _replace_settings(existing, settings)
    else:
        profiles[name] = settings
    becomes_default = make_default or not document.get("default_profile")
    if becomes_default:
        _set_default(document, name)
    save(path, document)
    return becomes_default


def _replace_settings(table: Table, settings: Table) -> None:
    """``table``'s settings become ``settings``'s, in place: settings the new profile
    does not have are removed, sub-tables (its views) and comments stay."""
    for key in list(table.keys()):
        if key not in settings and not isinstance(table[key], Table):
            del table[key]
    for key, value in settings.items():
        table[key] = value


@forget_locals_on_error
def remove_profile(path: Path, name: str) -> bool:
    """Remove a profile; True when it was the default (``default_profile`` is removed too)."""
    document = read_document(path)
    profiles = document.get("profiles")
    if profiles is None or name not in profiles:
        raise ConfigError(f"no profile {name!r} in {display_path(path)}")
    del profiles[name]
    if not profiles:
        del document["profiles"]
    was_default = document.get("default_profile") == name
    if was_default:
        del document["default_profile"]
    save(path, document)
    return was_default


@forget_locals_on_error
def remove_view(path: Path, name: str, *, profile: str | None = None) -> str:
    """Remove a view (global, or ``profile``'s own); returns the table it was in.

    An emptied ``views`` table goes too; comments and order elsewhere are kept.
    """
    document = read_document(path)
    parent: Table | TOMLDocument = document
    table = "views"
    if profile is not None:
        profiles = document.get("profiles")
        if profiles is None or profile not in profiles:
            raise ConfigError(f"no profile {profile!r} in {display_path(path)}")
        parent = profiles[profile]
        table = f"profiles.{profile}.views"
    views = parent.get("views")
    if views is None or name not in views:
        raise ConfigError(f"no view {name!r} in {display_path(path)} [{table}]")
    del views[name]
    if not views:
        del parent["views"]
    save(path, document)
    return table


@forget_locals_on_error
def set_default_profile(path: Path, name: str) -> None:
    """Make ``name`` the default profile; ConfigError when there is no such profile."""
    document = read_document(path)
    profiles = document.get("profiles")
    if profiles is None or name not in profiles:
        names = ", ".join(profiles or ())
        there = f"profiles there: {names}" if names else "it has no profiles yet"
        raise ConfigError(f"no profile {name!r} in {display_path(path)}; {there}")
    _set_default(document, name)
    save(path, document)


@forget_locals_on_error
def set_theme(path: Path, name: str, *, profile: str | None = None) -> None:
    """Remember a theme: the top-level ``theme``, or ``profile``'s own ``theme`` when given.

    Comments and order are kept; a missing file is created (with the usual header).
    """
    document = read_document(path)
    if profile is None:
        _set_top_level(document, "theme", name)
    else:
        profiles = document.get("profiles")
        if profiles is None or profile not in profiles:
            raise ConfigError(f"no profile {profile!r} in {display_path(path)}")
        profiles[profile]["theme"] = name
    save(path, document)


def view_table(view: View) -> Table:
    """A ``[views.NAME]`` table: the view's words, one key per filter that is set."""
    table = tomlkit.table()
    for key in View.model_fields:
        value = getattr(view, key)
        if isinstance(value, tuple):
            if value:
                table[key] = value[0] if len(value) == 1 else list(value)
        elif value is not None:
            table[key] = value
    table.add(tomlkit.nl())
    return table


@forget_locals_on_error
def save_view(path: Path, name: str, view: View, *, profile: str | None = None) -> bool:
    """Save a named view (global, or ``profile``'s own); True when it replaced one.

    Comments and order are kept; a missing file is created (mode 0600).
    """
    try:
        check_view_name(name)
    except ValueError as exc:
        raise ConfigError(f"view {name!r}: {exc}") from None
    document = read_document(path)
    parent: Table | TOMLDocument = document
    if profile is not None:
        profiles = document.get("profiles")
        if profiles is None or profile not in profiles:
            raise ConfigError(f"no profile {profile!r} in {display_path(path)}")
        parent = profiles[profile]
    views = parent.get("views")
    replaced = views is not None and name in views
    # Comments that end the table the new one goes after usually head what follows it in
    # the file (tomlkit keeps them inside that table): they move to after the new table.
    if views is None:
        # A document's own comments (a new file's header) come before any table: they stay.
        trailing = _take_trailing_trivia(_body(parent), own=isinstance(parent, Table))
        views = tomlkit.table(is_super_table=True)
        parent["views"] = views
    else:
        trailing = (
            []
            if replaced or not isinstance(views, Table)
            else _take_trailing_trivia(views.value.body)
        )
    table = view_table(view)
    views[name] = table
    if trailing and isinstance(trailing[0], Whitespace):
        table.value.body.pop()  # the blank line view_table ends with: one is enough
    table.value.body.extend((None, item) for item in trailing)
    save(path, document)
    return replaced


def _body(parent: Table | TOMLDocument) -> list[tuple[Key | None, Item]]:
    return parent.value.body if isinstance(parent, Table) else parent.body


def _take_trailing_trivia(body: list[tuple[Key | None, Item]], *, own: bool = True) -> list[Item]:
    """Remove and return the comments and blank lines that end ``body``'s last table
    (``own``: or ``body`` itself)."""
    if body and isinstance(body[-1][1], Table):
        return _take_trailing_trivia(body[-1][1].value.body)
    taken: list[Item] = []
    if not own:
        return taken
    while body and body[-1][0] is None and isinstance(body[-1][1], Comment | Whitespace):
        taken.append(body.pop()[1])
    return taken[::-1]


def _set_default(document: TOMLDocument, name: str) -> None:
    _set_top_level(document, "default_profile", name)


def _set_top_level(document: TOMLDocument, name: str, value: str) -> None:
    if name in document:
        document[name] = value
        return
    # Top-level keys must come before the first table; put it after the last of them.
    last_key = None
    for key, item in document.body:
        if isinstance(item, Table | AoT):
            break
        if key is not None:
            last_key = key.key
    if last_key is None:
        document[name] = value  # tomlkit places it before the first table
    else:
        document._insert_after(last_key, name, value)


@forget_locals_on_error
def save(path: Path, document: TOMLDocument) -> None:
    """Validate and write the document atomically: mode 0600 when new, else kept as it was.

    A symlinked config (dotfiles) is written through the link, which stays a link.
    """
    problem = _problem(document, path)
    if problem is not None:
        del document
        raise problem
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = FILE_MODE
    try:
        target.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        write_atomic(target, tomlkit.dumps(document).encode("utf-8"), mode)
    except OSError as exc:
        raise ConfigError(
            f"{display_path(path)}: cannot write it: {exc.strerror or 'error'}"
        ) from None


def _problem(document: TOMLDocument, path: Path) -> ConfigError | None:
    """Why the document is not a valid config, as an exception with no frames attached."""
    try:
        validate_config(document.unwrap(), path)
    except ConfigError as exc:
        del document
        return exc.with_traceback(None)
    return None
