"""Around a command: the debug log it asks for, and a stdout the reader closed early."""

from __future__ import annotations

import argparse
import os
import sys

from closetui import version
from closetui.cli.output import print_error


def quiet_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit cannot fail on the closed pipe again
    (the Python docs' recipe for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def start_debug_log(args: argparse.Namespace) -> None:
    """``--debug`` / ``$CLOSETUI_LOG``: start the log and say where it is, on stderr."""
    from closetui.debug_log import log_target

    target = log_target(bool(getattr(args, "debug", False)))
    if target is None:
        return
    import logging
    import platform

    from closetui.cli.tui import known_secrets
    from closetui.config.paths import display_path
    from closetui.debug_log import start_logging

    try:
        start_logging(target, known_secrets(args, None) if "config" in args else [])
    except OSError as exc:
        print_error(f"warning: no debug log: {display_path(target)}: {exc.strerror or exc}")
        return
    print_error(f"debug log: {display_path(target)}")
    logging.getLogger("closetui.cli").info(
        "closetui %s on Python %s (%s): %s",
        version(),
        platform.python_version(),
        platform.platform(),
        args.command or "the app",
    )
