"""Command line: argument parsing and dispatch; heavy imports happen per command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from closetui import version
from closetui.cli.args import (
    as_text,
    double_dash,
    hours_option,
    join_dash_values,
    nonempty_option,
    not_text,
    number_option,
    opportunity_id_option,
    set_value_option,
)
from closetui.cli.exit_codes import EXIT_CODES_HELP, EXIT_PIPE, EXIT_USAGE
from closetui.cli.output import print_error
from closetui.cli.process import quiet_stdout, start_debug_log

DATE_FORMS = "YYYY-MM-DD, today, yesterday, +3d, -1w, -1m"

COMPLETION_EPILOG = """\
install:
  bash  eval "$(closetui completion bash)"    in ~/.bashrc
  zsh   eval "$(closetui completion zsh)"     in ~/.zshrc, after compinit
  fish  closetui completion fish > ~/.config/fish/completions/closetui.fish"""


def _debug_option(*, top: bool) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(
        add_help=False, argument_default=False if top else argparse.SUPPRESS
    )
    parent.add_argument(
        "--debug",
        action="store_true",
        help="log requests and events (never a key) to a file in the log dir; "
        "$CLOSETUI_LOG=1 or =PATH does the same",
    )
    return parent


def _config_option(*, top: bool) -> argparse.ArgumentParser:
    # Subcommands repeat the option with a suppressed default, so that a value given
    # before the subcommand (closetui --config X list) is not reset by the subparser.
    parent = argparse.ArgumentParser(
        add_help=False,
        parents=[_debug_option(top=top)],
        argument_default=None if top else argparse.SUPPRESS,
    )
    parent.add_argument(
        "--config",
        metavar="PATH",
        type=nonempty_option,
        help="config file (default: $CLOSETUI_CONFIG, else config.toml in the config dir)",
    )
    return parent


def _connection_options(*, top: bool) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(
        add_help=False,
        parents=[_config_option(top=top)],
        argument_default=None if top else argparse.SUPPRESS,
    )
    where = parent.add_argument_group("connection")
    pick = where.add_mutually_exclusive_group()
    pick.add_argument("--demo", action="store_true", help="use the built-in in-process sandbox")
    pick.add_argument(
        "--base-url",
        metavar="URL",
        type=nonempty_option,
        help="any Close-compatible API; key from CLOSE_API_KEY",
    )
    pick.add_argument(
        "--profile",
        metavar="NAME",
        type=nonempty_option,
        help="a configured profile (default: default_profile)",
    )
    where.add_argument(
        "--tz-offset",
        type=hours_option,
        metavar="HOURS",
        help="UTC offset sent as X-TZ-Offset (default: the profile's, else this machine's)",
    )
    return parent


def _network_options() -> argparse.ArgumentParser:
    """``--timeout`` and ``--retries``, on the commands that talk to the API."""
    parent = argparse.ArgumentParser(add_help=False)
    network = parent.add_argument_group("network")
    network.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=number_option(float, 0.1, 600),
        default=30.0,
        help="give up on one request after SECONDS (default 30)",
    )
    network.add_argument(
        "--retries",
        metavar="N",
        type=number_option(int, 0, 10),
        default=4,
        help="retries after a refused connection, a 429, a 503, or a 502/504 on a read, "
        "each wait said on stderr (default 4; 0: fail at once)",
    )
    return parent


LIST_FORMATS_HELP = (
    "table (default): aligned columns for reading; csv: a header, then the columns id, "
    "lead_name, status, status_type, value (in cents), value_currency, "
    "value_period, confidence, owner, date_won, date_updated (a flat file holds no custom "
    "fields); json / ndjson: every opportunity in full as the API sent it, custom fields "
    "included, as a JSON list or one object per line"
)
"""Kept in step with :data:`closetui.export.COLUMNS` by a test (not imported: the parser
loads nothing a command does not need)."""


def _theme_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="colour theme for this run (default: the profile's, else the config's); "
        "built-ins: closetui-dark, closetui-light, closetui-high-contrast, closetui-ansi",
    )


class _VersionAction(argparse.Action):
    """``--version``: prints ``closetui X.Y.Z`` and exits; importlib.metadata loads only
    when asked, not on every start."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        print(f"closetui {version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """The full parser: its help ends with the version."""

    def format_help(self) -> str:
        return f"{super().format_help()}\nclosetui {version()}\n"


def _top_parser(parser_class: type[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = parser_class(
        prog="closetui",
        parents=[_connection_options(top=True)],
        description="Browse and edit Close opportunities from the terminal. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    _theme_option(parser)
    return parser


class _NotTheApp(Exception):
    """The light parse found a command, ``--help`` or an error: the full parser decides."""


class _AppParser(argparse.ArgumentParser):
    """The top-level options only: opening the app need not build every command's parser."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(add_help=False, **kwargs)
        self.add_argument("command", nargs="?")

    def error(self, message: str) -> NoReturn:
        raise _NotTheApp(message)


def app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options for opening the app, or None when ``argv`` names a command, asks for
    help or has an error (:func:`build_parser` then parses it, with its messages)."""
    try:
        args, rest = _top_parser(_AppParser).parse_known_args(argv)
    except _NotTheApp:
        return None
    return args if args.command is None and not rest else None


def build_parser() -> argparse.ArgumentParser:
    """The full ``closetui`` parser."""
    return _build()[0]


def command_parsers() -> dict[str, argparse.ArgumentParser]:
    """Every command's parser by its words (``""`` the top, ``list``, ``profile add``...),
    which ``closetui completion`` reads the options from."""
    return _build()[1]


def _build() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = _top_parser(_Parser)
    conn = _connection_options(top=False)
    network = _network_options()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sandbox = sub.add_parser(
        "sandbox",
        parents=[_debug_option(top=False)],
        help="serve the Close-compatible sandbox on 127.0.0.1",
    )
    sandbox.add_argument(
        "--port",
        type=number_option(int, 0, 65535),
        default=8765,
        help="port (0 picks a free one)",
    )
    sandbox.add_argument("--api-key", type=nonempty_option, help="API key of the main sandbox user")
    sandbox.add_argument(
        "--opportunities", type=number_option(int, 0, 1_000_000), default=300, metavar="N"
    )
    sandbox.add_argument(
        "--rate-limit",
        type=number_option(float, 0.01, 1e6),
        metavar="RPS",
        help="requests/s per key",
    )
    sandbox.add_argument("--rate-limit-separator", choices=[",", ";"], default=",")
    sandbox.add_argument("--seed", type=int, default=0)

    listing = sub.add_parser(
        "list",
        parents=[conn, network],
        help="list opportunities",
        epilog="When more match than are shown, stderr says so: use --all or --limit N.",
    )
    listing.add_argument(
        "--view", metavar="NAME", type=nonempty_option, help="a view from the config file"
    )
    listing.add_argument("--pipeline", metavar="NAME_OR_ID", help="that pipeline's statuses")
    listing.add_argument("--status", action="append", metavar="LABEL_OR_ID", default=[])
    listing.add_argument("--status-type", action="append", choices=["active", "won", "lost"])
    listing.add_argument("--owner", action="append", metavar="USER", default=[])
    listing.add_argument("--lead", metavar="LEAD_ID")
    listing.add_argument("--query", metavar="TEXT", help="Close search text, e.g. note:renewal")
    listing.add_argument(
        "--won-after", metavar="DATE", help=f"date_won on or after DATE ({DATE_FORMS})"
    )
    listing.add_argument(
        "--won-before", metavar="DATE", help="date_won on or before DATE, in the same forms"
    )
    listing.add_argument(
        "--order-by", metavar="FIELD", help="e.g. value, or -date_updated (- for descending)"
    )
    shown = listing.add_mutually_exclusive_group()
    shown.add_argument(
        "--limit",
        metavar="N",
        type=number_option(int, 1, 1_000_000),
        default=100,
        help="at most N rows (default 100)",
    )
    shown.add_argument(
        "--all", action="store_true", help="every match, page by page (progress on stderr)"
    )
    listing.add_argument(
        "--format", choices=["table", "csv", "ndjson", "json"], help=LIST_FORMATS_HELP
    )
    listing.add_argument("--json", action="store_true", help="the same as --format json")

    get = sub.add_parser("get", parents=[conn, network], help="show one opportunity")
    get.add_argument("opportunity_id", metavar="OPP_ID", type=opportunity_id_option)
    get.add_argument(
        "--json",
        action="store_true",
        help="print the opportunity as JSON, exactly as the API sent it (the web URL is "
        "in the text output only)",
    )

    update = sub.add_parser(
        "update",
        parents=[conn, network],
        help="change one opportunity",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    update.add_argument("opportunity_id", metavar="OPP_ID", type=opportunity_id_option)
    update.add_argument("--status", metavar="LABEL_OR_ID", type=set_value_option)
    won = update.add_mutually_exclusive_group()
    won.add_argument(
        "--date-won",
        metavar="DATE",
        type=set_value_option,
        help=DATE_FORMS,
    )
    won.add_argument("--clear-date-won", action="store_true")
    update.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    update.add_argument("--add", action="append", default=[], metavar="FIELD=VALUE")
    update.add_argument("--remove", action="append", default=[], metavar="FIELD=VALUE")
    update.add_argument("--clear", action="append", default=[], metavar="FIELD")
    update.add_argument(
        "--value", metavar="AMOUNT", type=set_value_option, help="in currency units, e.g. 1,250.50"
    )
    update.add_argument("--value-period", choices=["one_time", "monthly", "annual"])
    update.add_argument("--confidence", metavar="N", type=set_value_option)
    update.add_argument(
        "--owner", metavar="USER", type=set_value_option, help="user id, name or email"
    )
    update.add_argument("--contact", metavar="CONTACT_ID", type=set_value_option)
    update.add_argument("--note", metavar="TEXT", type=set_value_option)
    update.add_argument("--dry-run", action="store_true", help="print the request, send nothing")
    update.add_argument(
        "--format",
        choices=["json", "http", "curl", "httpie"],
        default="json",
        help="with --dry-run: the body as JSON (default), the HTTP request, or a command",
    )
    update.add_argument("--json", action="store_true", help="print the result as JSON")

    from closetui.cli.profile import add_profile_parser

    profiles = add_profile_parser(sub.add_parser, _config_option(top=False))
    from closetui.cli.config_cmd import add_config_parser

    configs = add_config_parser(sub.add_parser, _config_option(top=False))
    completion = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description="Completes commands, options, and field, status and owner names of the "
        "organisations the app or a command has loaded (kept in the cache dir).",
        epilog=COMPLETION_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    completion.add_argument("shell", choices=["bash", "zsh", "fish"])
    nested = {f"profile {k}": v for k, v in profiles.items()}
    nested |= {f"config {k}": v for k, v in configs.items()}
    return parser, {"": parser, **sub.choices, **nested}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``closetui``; returns the process exit code."""
    given = sys.argv[1:] if argv is None else argv
    argv = [as_text(word) for word in given]
    refused = double_dash(argv)
    if refused is not None:
        print_error(refused)
        return EXIT_USAGE
    words = join_dash_values(argv)
    args = app_args(words) or build_parser().parse_args(words)
    if argv != list(given):
        print_error(f"{not_text(args)}: not UTF-8 text; closetui takes UTF-8 only")
        return EXIT_USAGE
    start_debug_log(args)
    if args.command == "sandbox":
        from closetui.cli.sandbox import run_sandbox

        return run_sandbox(args)
    if args.command == "profile":
        from closetui.cli.profile import run_profile

        return run_profile(args)
    if args.command == "completion":
        from closetui.cli.completion import run_completion

        return run_completion(args, command_parsers())
    if args.command == "config":
        from closetui.cli.config_cmd import run_config

        return run_config(args)
    if args.command in ("list", "get", "update"):
        from closetui.cli.run import run_command

        try:
            return run_command(args)
        except BrokenPipeError:  # `closetui list --all | head`: the reader had enough
            quiet_stdout()
            return EXIT_PIPE
    from closetui.cli.tui import run_tui

    return run_tui(args)


if __name__ == "__main__":
    sys.exit(main())
