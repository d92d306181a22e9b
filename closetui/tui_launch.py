"""Launching the app from the command line: connection or setup, themes, ``--theme``."""

from __future__ import annotations

import argparse

from closetui.cli import EXIT_OK, EXIT_USAGE
from closetui.commands import open_connection, print_error
from closetui.connect import Connection, Connector, needs_setup


def run_tui(args: argparse.Namespace) -> int:
    """Open the app: the asked-for connection, else the setup screen when there is no
    profile yet. Theme problems go to stderr (and the app shows them); a ``--theme``
    nobody knows is a usage error."""
    from closetui.themes import user_theme_dir

    connector = Connector(config=args.config, tz_offset=args.tz_offset)
    connection: Connection | None = None
    if args.demo or args.base_url or args.profile or not needs_setup(args.config):
        try:
            # The demo comes from the connector, so switching away and back finds the
            # same sandbox (with the changes sent to it).
            connection = connector.demo() if args.demo else open_connection(args)
        except Exception as exc:  # shown to the user, never a traceback
            print_error(str(exc))
            return EXIT_USAGE
    from closetui.ui.app import make_app
    from closetui.ui.themes import load_app_themes

    themes = load_app_themes(user_theme_dir(connector.path))
    for problem in themes.problems:
        print_error(f"warning: {problem}")
    if args.theme is not None:
        known = themes.names()
        if args.theme not in known:
            print_error(f"--theme {args.theme}: no such theme; themes: {', '.join(known)}")
            return EXIT_USAGE
    make_app(connection, connector=connector, theme=args.theme, themes=themes).run()
    return EXIT_OK
