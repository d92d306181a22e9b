"""Launching the app from the CLI: setup instead of an error, --theme, theme problems on stderr.

The app itself is replaced by a recorder: these tests check what the CLI hands to it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from rich.console import Console

import closetui.ui.app as app_module
from closetui.cli.exit_codes import EXIT_OK, EXIT_USAGE
from closetui.cli.main import main
from closetui.config import config_path

PROFILE = """\
default_profile = "acme"

[profiles.acme]
base_url = "https://api.close.com/api/v1/"
api_key_env = "ACME_KEY"
theme = "closetui-ansi"
"""


@dataclass
class Launched:
    """What ``make_app`` was called with (``run`` does nothing)."""

    calls: list[tuple[Any, dict[str, Any]]] = field(default_factory=list)
    return_code: int | None = 0
    error_console: Console = field(default_factory=lambda: Console(file=io.StringIO()))

    def __call__(self, connection: Any, **options: Any) -> Any:
        self.calls.append((connection, options))
        return self

    def run(self) -> None:
        pass


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> Launched:
    recorder = Launched()
    monkeypatch.setattr(app_module, "make_app", recorder)
    return recorder


def write_config(text: str) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)


def test_no_profile_opens_setup_but_scripting_still_exits_2(
    launched: Launched, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([]) == EXIT_OK
    ((connection, options),) = launched.calls
    assert connection is None  # the app starts on the setup screen
    assert options["connector"].path == config_path()
    assert capsys.readouterr().err == ""
    assert main(["list"]) == EXIT_USAGE
    assert "no profile yet" in capsys.readouterr().err


def test_the_default_profile_opens_directly(
    launched: Launched, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(PROFILE)
    monkeypatch.setenv("ACME_KEY", "k_123")
    assert main(["--tz-offset", "2"]) == EXIT_OK
    ((connection, options),) = launched.calls
    assert (connection.name, connection.theme, connection.tz_offset) == ("acme", "closetui-ansi", 2)
    assert options["theme"] is None
    assert options["connector"].tz_offset == 2


def test_a_broken_profile_is_still_an_error(
    launched: Launched, capsys: pytest.CaptureFixture[str]
) -> None:
    write_config(PROFILE)  # ACME_KEY is not set
    assert main([]) == EXIT_USAGE
    assert "ACME_KEY is not set" in capsys.readouterr().err
    assert not launched.calls


def test_theme_option(launched: Launched, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "--theme", "closetui-high-contrast"]) == EXIT_OK
    assert launched.calls[0][1]["theme"] == "closetui-high-contrast"
    assert main(["--demo", "--theme", "nord"]) == EXIT_OK  # Textual's own themes too
    assert main(["--demo", "--theme", "nope"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("closetui: --theme nope: no such theme; themes: ")
    assert "closetui-ansi" in err
    assert "textual-dark" in err
    assert len(launched.calls) == 2


def test_bad_theme_files_are_reported_on_stderr_and_the_app_starts(
    launched: Launched, capsys: pytest.CaptureFixture[str]
) -> None:
    themes = config_path().parent / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('primary = "#123456"\n[variables]\nstatus-won = 5\n')
    (themes / "good.toml").write_text('primary = "#123456"\n')
    assert main(["--demo", "--theme", "good"]) == EXIT_OK
    err = capsys.readouterr().err
    assert err == (
        "closetui: warning: theme ~/config/closetui/themes/mine.toml: variables.status-won: "
        "expected a string in quotes\n"
    )
    options = launched.calls[0][1]
    assert "good" in options["themes"].themes
    assert "mine" not in options["themes"].themes


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--demo", "--theme", "closetui-ansi", "--tz-offset", "5.5"],
        ["--profile", "list"],  # a profile named like a command
        ["--base-url", "http://127.0.0.1:1/api/v1/", "--config", "x.toml"],
    ],
)
def test_opening_the_app_parses_only_the_top_level_options(argv: list[str]) -> None:
    """The app's options come from the light parser, exactly as the full one reads them."""
    from closetui.cli.main import app_args, build_parser

    light = app_args(argv)
    assert light is not None
    assert vars(light) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--json"],
        ["--demo", "get", "oppo_1"],
        ["-h"],
        ["--demo", "--profile", "a"],  # not allowed together: the full parser says so
        ["--tz-offset", "abc"],
        ["--bogus"],
        ["--demo", "extra"],
    ],
)
def test_commands_help_and_errors_go_to_the_full_parser(argv: list[str]) -> None:
    from closetui.cli.main import app_args

    assert app_args(argv) is None


def test_a_bad_option_still_gets_the_full_parsers_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--demo", "--profile", "a"])
    assert exited.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "not allowed with argument" in err
    assert "COMMAND" in err  # the full parser's usage line, with the commands
