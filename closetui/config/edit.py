"""Writing ``config.toml`` with tomlkit: the user's comments and order survive every edit."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Item, Key, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from closetui.config.errors import ConfigError
from closetui.config.load import validate_config
from closetui.config.model import Profile, View, check_view_name
from closetui.config.paths import display_path
from closetui.private_files import write_atomic
from closetui.text_files import read_problem, read_small_text

P = ParamSpec("P")
R = TypeVar("R")
C = TypeVar("C", bound=Container)
Entry = tuple[Key | None, Item]
"""One part of a table or document as tomlkit reads it: a key and its value, a table,
or (with no key) a comment or a blank line."""

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
        text = read_small_text(path)
    except FileNotFoundError:
        document = tomlkit.document()
        for line in HEADER:
            document.add(tomlkit.comment(line))
        document.add(tomlkit.nl())
        return document
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{display_path(path)}: {read_problem(exc)}") from None
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(
            f"{display_path(path)}: not valid TOML (line {exc.line}, column {exc.col})"
        ) from None
    except RecursionError:
        raise ConfigError(f"{display_path(path)}: not valid TOML: nested too deeply") from None
    except Exception as exc:  # any other parser failure is a bad file, never a crash
        raise ConfigError(f"{display_path(path)}: not valid TOML ({type(exc).__name__})") from None
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
        document = _set_top_level(document, "default_profile", name)
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
    save(path, _set_top_level(document, "default_profile", name))


@forget_locals_on_error
def set_theme(path: Path, name: str, *, profile: str | None = None) -> None:
    """Remember a theme: the top-level ``theme``, or ``profile``'s own ``theme`` when given.

    Comments and order are kept; a missing file is created (with the usual header).
    """
    document = read_document(path)
    if profile is None:
        document = _set_top_level(document, "theme", name)
    else:
        profiles = document.get("profiles")
        if profiles is None or profile not in profiles:
            raise ConfigError(f"no profile {profile!r} in {display_path(path)}")
        profiles[profile]["theme"] = name
    save(path, document)


def view_table(view: View, *, blank_line: bool = True) -> Table:
    """A ``[views.NAME]`` table: the view's words, one key per filter that is set, and
    (``blank_line``) a blank line to end it."""
    table = tomlkit.table()
    for key in View.model_fields:
        value = getattr(view, key)
        if isinstance(value, tuple):
            if value:
                table[key] = value[0] if len(value) == 1 else list(value)
        elif value is not None:
            table[key] = value
    if blank_line:
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
    # ``parent`` holds (or will hold) the views; ``holder`` holds ``parent``.
    holder: Table | TOMLDocument = document
    parent: Table | TOMLDocument = document
    if profile is not None:
        profiles = document.get("profiles")
        if profiles is None or profile not in profiles:
            raise ConfigError(f"no profile {profile!r} in {display_path(path)}")
        holder, parent = profiles, profiles[profile]
    views = parent.get("views")
    replaced = views is not None and name in views
    # Comments that end the table the new one goes after usually head what follows it in
    # the file (tomlkit keeps them inside that table): they move to after the new table.
    trailing: list[Item] = []
    if views is not None and not replaced:
        trailing = _detach_trailing_trivia(parent, "views")
        views = parent["views"]  # rebuilt, when it ended with comments of its own
    elif views is None and profile is not None:
        trailing = _detach_trailing_trivia(holder, profile)
        parent = holder[profile]
    elif views is None and document.body:
        # A document's own comments (a new file's header) come before any table: they stay.
        last_key, last_item = document.body[-1]
        if last_key is not None and isinstance(last_item, Table):
            trailing = _detach_trailing_trivia(document, last_key.key)
    if views is None:
        views = tomlkit.table(is_super_table=True)
        parent["views"] = views
    table = view_table(view, blank_line=not (trailing and isinstance(trailing[0], Whitespace)))
    views[name] = table
    for item in trailing:
        table.raw_append(None, item)
    save(path, document)
    return replaced


def _is_trivia(entry: Entry) -> bool:
    key, item = entry
    return key is None and isinstance(item, Comment | Whitespace)


def _detach_trailing_trivia(holder: TOMLDocument | Table, key: str) -> list[Item]:
    """Remove and return the comments and blank lines that end the table ``holder[key]``
    (or, when it ends with a sub-table, that one's, and so on down).

    tomlkit has no call to remove a comment, so the table is rebuilt without them and
    put back in its place. A table split across the file (``[a.x]``, ``[b]``, ``[a.y]``)
    is left as it is.
    """
    table = holder.get(key)
    if not isinstance(table, Table):
        return []
    body = table.value.body
    last_key, last_item = body[-1] if body else (None, None)
    if last_key is not None and isinstance(last_item, Table):
        return _detach_trailing_trivia(table, last_key.key)
    cut = len(body)
    while cut and _is_trivia(body[cut - 1]):
        cut -= 1
    if cut == len(body):
        return []
    holder[key] = _table_of(table, body[:cut])
    return [item for _, item in body[cut:]]


def _filled(container: C, entries: Sequence[Entry]) -> C:
    """``container`` (made in parsing mode, as ``tomlkit.parse`` makes one) holding
    ``entries``, each with the layout it was read with."""
    for key, item in entries:
        container.append(key, item)
    container.parsing(False)
    return container


def _table_of(table: Table, entries: Sequence[Entry]) -> Table:
    """A table like ``table`` (same header, same name) holding ``entries``."""
    return Table(
        _filled(Container(True), entries),
        table.trivia,
        table.is_aot_element(),
        table.is_super_table(),
        table.name,
        table.display_name,
    )


def _set_top_level(document: TOMLDocument, name: str, value: str) -> TOMLDocument:
    """The document with the top-level key ``name`` set: in place when it is there, else
    a new key after the last top-level one (the document is rebuilt around it)."""
    if name in document:
        document[name] = value
        return document
    # Top-level keys come before the first table. tomlkit would add the key just before
    # that table, under the comments that head it; it goes after the last key instead.
    entries = list(document.body)
    after_last_key = 0
    for index, (key, item) in enumerate(entries):
        if isinstance(item, Table | AoT):
            break
        if key is not None:
            after_last_key = index + 1
    if after_last_key in (0, len(entries)):
        document[name] = value  # no key yet (before the first table), or the file's end
        return document
    entries.insert(after_last_key, (tomlkit.key(name), tomlkit.item(value)))
    return _filled(TOMLDocument(True), entries)


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
