"""The connection the command-line options ask for (shared by the app and the commands)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from closetui.cli.output import print_error

if TYPE_CHECKING:
    from closetui.connect import Connection


def open_connection(args: argparse.Namespace) -> Connection:
    """The connection the options ask for: --demo > --base-url > --profile > default profile.

    Warnings (e.g. a config file others can read) go to stderr and stay on the connection
    for the TUI. A read-only profile refuses ``update`` unless it is a ``--dry-run``.
    (Its own module, not with the scripting commands: the app needs it at start-up, they
    load more.)
    """
    from closetui.connect import ConnectError, resolve_connection

    connection = resolve_connection(
        demo=args.demo,
        base_url=args.base_url,
        profile=args.profile,
        config=getattr(args, "config", None),
        tz_offset=args.tz_offset,
    )
    for warning in connection.warnings:
        print_error(f"warning: {warning}")
    if connection.read_only and args.command == "update" and not args.dry_run:
        raise ConnectError(
            f"profile {connection.name} is read-only: nothing was sent "
            "(--dry-run shows the request)"
        )
    return connection
