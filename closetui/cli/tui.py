"""Launching the app from the command line: connection or setup, themes, ``--theme``."""

from __future__ import annotations

import argparse
import gc
import io
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

from closetui.cli.connection import open_connection
from closetui.cli.exit_codes import EXIT_OK, EXIT_USAGE
from closetui.cli.output import print_error

if TYPE_CHECKING:
    from closetui.connect import Connection
    from closetui.ui.app import CloseTUI


def run_tui(args: argparse.Namespace) -> int:
    """Open the app: the asked-for connection, else the setup screen when there is no
    profile yet. Theme problems go to stderr (and the app shows them); a ``--theme``
    nobody knows is a usage error."""
    # Start-up imports and builds objects that live as long as the app; the cyclic
    # collector's passes would rescan them again and again while the app starts.
    # Paused while they are made, then frozen (never scanned again) before the run.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        built = _build_app(args)
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
    if isinstance(built, int):
        return built
    app, connection = built
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, on_hang_up)
    # Textual prints a crash's traceback, with every frame's locals, on its error console
    # as the app ends: into a buffer, so that only the redacted report is shown and kept.
    crash_output = io.StringIO()
    app.error_console.file = crash_output
    app.run()
    logging.getLogger("closetui.cli").info("the app ended (exit code %s)", app.return_code)
    if crash_output.getvalue().strip():
        report_crash(crash_output.getvalue(), args, connection)
    return app.return_code or EXIT_OK


def report_crash(report: str, args: argparse.Namespace, connection: Connection | None) -> None:
    """Show the crash's report without its secrets on stderr, and leave it in the state
    dir; the last line says where."""
    from closetui.cli.crash_report import redact, write_crash_report
    from closetui.config.paths import display_path
    from closetui.debug_log import active_log_path

    log = active_log_path()
    if log is not None:
        report = f"{report.rstrip()}\n\ndebug log: {display_path(log)}\n"
    redacted = redact(report, known_secrets(args, connection))
    sys.stderr.write(redacted)
    try:
        path = write_crash_report(redacted)
    except OSError as exc:
        print_error(f"the app crashed; no report could be written: {exc.strerror or exc}")
        return
    print_error(f"the app crashed; this report (secrets taken out) is in {display_path(path)}")
    if log is not None:
        logging.getLogger("closetui.cli").info("the app crashed; report in %s", path)
        print_error(f"the debug log of this run is {display_path(log)}")


def known_secrets(args: argparse.Namespace, connection: Connection | None) -> list[str]:
    """The keys a report must not show: the one the app started with, ``CLOSE_API_KEY``
    and the config's keys (literal or from an environment variable; a command or the
    keyring is not asked again)."""
    from closetui.config import ConfigError, load_config

    secrets = [os.environ.get("CLOSE_API_KEY", "")]
    if connection is not None:
        secrets.append(connection.credential.secret.get_secret_value())
    try:
        profiles = list(load_config(args.config).config.profiles.values())
    except ConfigError:
        profiles = []
    for profile in profiles:
        if profile.api_key is not None:
            secrets.append(profile.api_key.get_secret_value())
        if profile.api_key_env:
            secrets.append(os.environ.get(profile.api_key_env, ""))
    return [secret for secret in secrets if secret]


def on_hang_up(signum: int, frame: object) -> None:
    """The terminal went away (a dropped SSH session): a hang-up ends the process
    without its exit handlers, so the drafts still waiting to be written (the writer
    waits for keys to pause) are written first; then the process ends as a hang-up
    ends it."""
    from closetui.state.draft_writer import flush_all

    flush_all(HANG_UP_TIMEOUT)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGHUP)


HANG_UP_TIMEOUT = 5.0
"""Seconds a hang-up waits at most for the disk."""


def _build_app(args: argparse.Namespace) -> tuple[CloseTUI, Connection | None] | int:
    """The app to run and the connection it starts with (None: the setup screen), or the
    exit code of a problem already reported on stderr."""
    from closetui.connect import Connector, needs_setup
    from closetui.theme_files import user_theme_dir

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
    app = make_app(connection, connector=connector, theme=args.theme, themes=themes)
    return app, connection
