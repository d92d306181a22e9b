"""``closetui config path`` and ``closetui config edit``: find the file, edit it safely."""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from closetui.cli.exit_codes import EXIT_OK, EXIT_USAGE
from closetui.cli.output import print_error


def add_config_parser(
    add_parser: Callable[..., argparse.ArgumentParser], config: argparse.ArgumentParser
) -> dict[str, argparse.ArgumentParser]:
    """The ``config`` command and its actions (returned by name): ``add_parser`` is the
    commands' ``add_parser``; ``config`` carries ``--config``."""
    command = add_parser(
        "config",
        parents=[config],
        help="where config.toml is; edit it with validation",
        description="The config file: --config, else $CLOSETUI_CONFIG, else config.toml in "
        "the platform's config dir. Every key: docs/config.md.",
    )
    actions = command.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    path = actions.add_parser(
        "path", parents=[config], help="print the config file's path (and whether it exists)"
    )
    edit = actions.add_parser(
        "edit",
        parents=[config],
        help="open a copy in $VISUAL/$EDITOR; saved only when it is valid",
    )
    return {"path": path, "edit": edit}


def run_config(args: argparse.Namespace) -> int:
    """Run one ``config`` action; 0 done, 2 nothing saved (invalid, editor failed)."""
    from closetui.config import config_path

    path = config_path(args.config)
    if args.config_command == "path":
        print(path)
        there = "exists" if path.is_file() else "does not exist yet; config edit creates it"
        print(f"({there})", file=sys.stderr)
        return EXIT_OK
    return edit_config(path)


def problems_in(text: str, path: Path) -> list[str]:
    """What is wrong with ``text`` as ``path``'s config, read as the app reads it (one
    line each, with the line of the key when it can be found); empty when valid."""
    from closetui.config import ConfigError, validate_config
    from closetui.config.paths import display_path
    from closetui.text_files import BadToml, load_toml

    shown = display_path(path)
    try:
        validate_config(load_toml(text), path)
    except BadToml as exc:  # its message carries the line and column
        return [f"{shown}: {exc}"]
    except ConfigError as exc:
        found = []
        for problem in exc.problems:
            line = key_line(text, problem.key)
            where = f"{shown}, line {line}" if line else shown
            key = f"{problem.key}: " if problem.key else ""
            found.append(f"{where}: {key}{problem.message}")
        return found or [str(exc)]
    return []


_HEADER = re.compile(r"\s*\[+\s*([^\]]+?)\s*\]+\s*(#.*)?")


def _parts(dotted: str) -> list[str]:
    """``profiles."my view".x`` as its parts, quotes taken off."""
    return [a or b for a, b in re.findall(r'"([^"]*)"|([^.\s"]+)', dotted)]


def key_line(text: str, key: str) -> int | None:
    """The 1-based line of the dotted ``key`` in TOML ``text``: its own line, else its
    table's header; None when neither is found (a best effort for messages)."""
    parts = _parts(key)
    if not parts:
        return None
    table: list[str] = []
    header_of: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.fullmatch(line)
        if header:
            table = _parts(header.group(1))
            header_of.setdefault(tuple(table), number)
            continue
        name, sep, _ = line.partition("=")
        if sep and table + _parts(name.strip()) == parts:
            return number
    for size in range(len(parts), 0, -1):
        if tuple(parts[:size]) in header_of:
            return header_of[tuple(parts[:size])]
    return None


@contextlib.contextmanager
def _private_copy(text: str, name: str) -> Iterator[Path]:
    """``text`` in a file called ``name`` in a fresh 0700 folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="closetui-config-") as folder:
        copy = Path(folder) / name
        copy.touch(mode=0o600)
        copy.write_text(text, encoding="utf-8")
        yield copy


def _again() -> bool:
    """Ask (on stderr) whether to edit again; end of input means no."""
    print("Edit again? [Y/n] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return bool(answer) and answer.strip().lower() in ("", "y", "yes")


def edit_config(path: Path) -> int:
    """Edit a copy of the config in the user's editor; the file is replaced (atomically,
    its mode kept) only by a copy the app's loader accepts."""
    from closetui.config.paths import display_path
    from closetui.external_editor import EditorMissing, run_editor
    from closetui.private_files import write_atomic
    from closetui.text_files import read_problem, read_small_text

    shown = display_path(path)
    try:
        original = read_small_text(path) if path.exists() else ""
    except (OSError, ValueError) as exc:
        print_error(f"{shown}: {read_problem(exc)}")
        return EXIT_USAGE
    with _private_copy(original, path.name) as copy:
        while True:
            try:
                code = run_editor(copy)
            except EditorMissing as exc:
                print_error(f"{exc}; set $EDITOR")
                return EXIT_USAGE
            if code != 0:
                print_error(f"the editor exited with {code}; {shown} is unchanged")
                return EXIT_USAGE
            edited = copy.read_text(encoding="utf-8", errors="replace")
            if edited == original:
                print(f"no change; {shown} is unchanged", file=sys.stderr)
                return EXIT_OK
            problems = problems_in(edited, path)
            if not problems:
                break
            for problem in problems:
                print_error(problem)
            if not _again():
                print_error(f"{shown} is unchanged")
                return EXIT_USAGE
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    write_atomic(path, edited.encode("utf-8"), mode=mode)
    print(f"saved {shown}", file=sys.stderr)
    return EXIT_OK
