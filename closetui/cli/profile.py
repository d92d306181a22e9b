"""``closetui profile``: add, list, remove, pick and test connection profiles."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from closetui.cli.args import hours_option
from closetui.cli.exit_codes import EXIT_API, EXIT_NETWORK, EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from pydantic import SecretStr

    from closetui.api.models import Me
    from closetui.config import LoadedConfig, Profile
    from closetui.connect import Connection

# Which option set which profile field, for error messages about options.
_OPTIONS = {
    "base_url": "--base-url",
    "api_key_env": "--api-key-env",
    "api_key_command": "--api-key-command",
    "tz_offset": "--tz-offset",
    "theme": "--theme",
}


def add_profile_parser(
    add_parser: Callable[..., argparse.ArgumentParser], config: argparse.ArgumentParser
) -> dict[str, argparse.ArgumentParser]:
    """The ``profile`` command and its actions (returned by name): ``add_parser`` is the
    ``add_parser`` of the commands' ``add_subparsers()``; ``config`` carries ``--config``."""
    profile = add_parser(
        "profile",
        parents=[config],
        help="add, list, remove, pick and test connection profiles",
        description="Connection profiles live in config.toml: one [profiles.NAME] table each.",
    )
    actions = profile.add_subparsers(dest="profile_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add", parents=[config], help="add a profile; asks for the key unless a source is given"
    )
    add.add_argument("name", metavar="NAME", help="letters, digits, - and _")
    add.add_argument("--base-url", dest="new_base_url", metavar="URL", help="default: Close's API")
    add.add_argument("--oauth", action="store_true", help="the key is an OAuth access token")
    source = add.add_argument_group("key source (default: ask, and store the key in the file)")
    one = source.add_mutually_exclusive_group()
    one.add_argument("--api-key-env", metavar="VAR", help="read the key from $VAR")
    one.add_argument(
        "--api-key-command", metavar="CMD", help="run CMD (no shell); its first line is the key"
    )
    one.add_argument("--keyring", action="store_true", help="ask, and keep it in the OS keyring")
    add.add_argument(
        "--tz-offset", dest="new_tz_offset", type=hours_option, metavar="HOURS",
        help="default: this machine's zone when used",
    )  # fmt: skip
    add.add_argument("--read-only", action="store_true", help="never send changes")
    add.add_argument("--theme", metavar="NAME", help="theme for this profile")
    add.add_argument("--default", dest="make_default", action="store_true", help="make default")
    add.add_argument("--force", action="store_true", help="replace an existing profile")

    listing = actions.add_parser("list", parents=[config], help="the profiles (never their keys)")
    remove = actions.add_parser("remove", parents=[config], help="remove a profile")
    remove.add_argument("name", metavar="NAME")
    default = actions.add_parser("default", parents=[config], help="set the default profile")
    default.add_argument("name", metavar="NAME")
    test = actions.add_parser("test", parents=[config], help="call /me/ with a profile")
    test.add_argument("name", metavar="NAME", nargs="?", help="default: the default profile")
    return {"add": add, "list": listing, "remove": remove, "default": default, "test": test}


def run_profile(args: argparse.Namespace) -> int:
    """Run one ``profile`` action; 0 ok, 2 usage/config, 3 API refused, 4 network."""
    from closetui.config import ConfigError

    handler = {
        "add": _add,
        "list": _list,
        "remove": _remove,
        "default": _default,
        "test": _test,
    }[args.profile_command]
    try:
        return handler(args)
    except ConfigError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _say(message: str) -> None:
    for line in message.splitlines():
        print(f"closetui: {line}", file=sys.stderr)


def _loaded(args: argparse.Namespace) -> LoadedConfig:
    from closetui.config import load_config

    loaded = load_config(getattr(args, "config", None))
    for warning in loaded.warnings:
        _say(f"warning: {warning}")
    return loaded


def _add(args: argparse.Namespace) -> int:
    from closetui.config import (
        ConfigError,
        add_profile,
        check_profile_name,
        display_path,
        keyring_module,
        permission_warning,
        store_in_keyring,
    )

    name = args.name
    try:
        check_profile_name(name)
    except ValueError as exc:
        from closetui.config.checks import looks_like_key

        shown = "" if looks_like_key(name) else f" {name!r}"  # a key pasted as the name
        raise ConfigError(f"profile name{shown}: {exc}") from None
    loaded = _loaded(args)
    if name in loaded.config.profiles and not args.force:
        raise ConfigError(f"profile {name!r} already exists in {loaded.shown_path}; add --force")
    fields: dict[str, Any] = {
        "auth": "oauth" if args.oauth else "api_key",
        "base_url": args.new_base_url,
        "tz_offset": args.new_tz_offset,
        "read_only": args.read_only or None,
        "theme": args.theme,
        "api_key_env": args.api_key_env,
        "api_key_command": args.api_key_command,
        "api_key_keyring": args.keyring or None,
    }
    fields = {key: value for key, value in fields.items() if value is not None}
    _build(fields)  # options checked before the key is asked for
    if args.keyring:
        keyring_module()  # says how to install it, before anything is typed
    if not (args.api_key_env or args.api_key_command):
        secret = _ask_key(name, oauth=args.oauth)
        if args.keyring:
            store_in_keyring(name, secret)
        else:
            fields["api_key"] = secret
    profile = _build(fields)
    is_default = add_profile(
        loaded.path, name, profile, make_default=args.make_default, force=args.force
    )
    print(
        f"saved profile {name} in {display_path(loaded.path)}"
        + (" (default)" if is_default else "")
    )
    if profile.api_key is not None:
        _say(
            "note: the key is stored as plain text in the file; --api-key-env, "
            "--api-key-command or --keyring keep it out"
        )
    if profile.api_key_env and profile.api_key_env not in os.environ:
        _say(f"note: {profile.api_key_env} is not set in this environment")
    warning = permission_warning(loaded.path)
    if warning:
        _say(f"warning: {warning}")
    print(f"check it with: closetui profile test {name}")
    return EXIT_OK


def _build(fields: dict[str, Any]) -> Profile:
    """The Profile for the options; a ConfigError naming the option when one is wrong."""
    from pydantic import ValidationError

    from closetui.config import ConfigError, Profile
    from closetui.config.load import describe_errors

    probe = dict(fields)
    if not any(key.startswith("api_key") for key in probe):
        probe["api_key_keyring"] = True  # the key is asked for later; check the rest now
    try:
        return Profile.model_validate(probe)
    except ValidationError as exc:
        problems = describe_errors(exc)
    del probe, fields
    lines = [f"{_OPTIONS.get(p.key, p.key) or 'profile'}: {p.message}" for p in problems]
    raise ConfigError("\n".join(lines))


def _ask_key(name: str, *, oauth: bool) -> SecretStr:
    """The key, typed without echo (or read from a pipe: ``... < key.txt``)."""
    from pydantic import SecretStr

    from closetui.config import ConfigError

    what = "OAuth access token" if oauth else "API key"
    try:
        if sys.stdin is not None and sys.stdin.isatty():
            secret = SecretStr(getpass.getpass(f"{what} for {name} (input hidden): ").strip())
        else:
            secret = SecretStr((sys.stdin.readline() if sys.stdin else "").strip())
    except EOFError:
        secret = SecretStr("")
    if not secret.get_secret_value():
        raise ConfigError(f"no {what} given; nothing was saved")
    return secret


def _list(args: argparse.Namespace) -> int:
    from closetui.config import describe_source

    loaded = _loaded(args)
    settings = loaded.config
    if not settings.profiles:
        _say(f"no profiles in {loaded.shown_path}: add one with `closetui profile add NAME`")
        return EXIT_OK
    rows = [["  NAME", "BASE URL", "AUTH", "KEY SOURCE", "TZ", "READ-ONLY", "LIVE", "MOVE"]]
    for name, profile in settings.profiles.items():
        marker = "* " if name == settings.default_profile else "  "
        tz = "local" if profile.tz_offset is None else f"{profile.tz_offset:+g}"
        source = describe_source(profile)
        read_only = "yes" if profile.read_only else "no"
        live = f"{profile.poll_seconds:g}s" if profile.poll_seconds else "off"
        row = [marker + name, profile.base_url, profile.auth, source, tz, read_only]
        rows.append([*row, live, profile.board_move])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if settings.default_profile:
        print(f"(* default; from {loaded.shown_path})")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    from closetui.config import KEYRING_SERVICE, remove_profile

    loaded = _loaded(args)
    profile = loaded.profile(args.name)
    was_default = remove_profile(loaded.path, args.name)
    print(f"removed profile {args.name} from {loaded.shown_path}")
    if was_default:
        _say("note: it was the default; pick another with `closetui profile default NAME`")
    if profile.api_key_keyring:
        _say(
            f"note: its key stays in the OS keyring (service {KEYRING_SERVICE}, "
            f"username {args.name}); remove it with: keyring del {KEYRING_SERVICE} {args.name}"
        )
    return EXIT_OK


def _default(args: argparse.Namespace) -> int:
    from closetui.config import set_default_profile

    loaded = _loaded(args)
    set_default_profile(loaded.path, args.name)
    print(f"default profile: {args.name}")
    return EXIT_OK


def _test(args: argparse.Namespace) -> int:
    import asyncio

    from closetui.api.errors import ApiError, AuthError, CloseError, TransportError
    from closetui.config import ConfigError, describe_source
    from closetui.connect import NO_PROFILE, profile_connection

    loaded = _loaded(args)
    name = args.name or loaded.config.default_profile
    if not name:
        raise ConfigError(NO_PROFILE)
    profile = loaded.profile(name)
    connection = profile_connection(loaded, name)
    where = connection.base_url
    try:
        me = asyncio.run(_me(connection))
    except AuthError as exc:
        if exc.status == 403:
            _say(f"{name}: the key was accepted but may not read {where}me/ (HTTP 403)")
        else:
            _say(
                f"{name}: the key was refused (HTTP {exc.status}) by {where}; "
                f"check the key from {describe_source(profile)}"
            )
        return EXIT_API
    except ApiError as exc:
        _say(f"{name}: {where} refused the request: {exc}")
        return EXIT_API
    except TransportError as exc:
        _say(f"{name}: could not reach {where}: {exc}")
        return EXIT_NETWORK
    except CloseError as exc:
        _say(f"{name}: {exc}")
        return EXIT_API
    orgs = ", ".join(f'"{org.name}" (role {me.role_in(org.id) or "?"})' for org in me.organizations)
    label = "organization" if len(me.organizations) == 1 else "organizations"
    who = f"{me.full_name} <{me.email}>" if me.email else me.full_name
    print(f"{name}: OK — {who}, {label} {orgs or '(none)'}")
    return EXIT_OK


async def _me(connection: Connection) -> Me:
    async with connection.client(max_attempts=1, timeout=15.0) as client:
        return await client.me()
