"""Arguments that are not text, ``--`` and empty names are refused before anything runs."""

from __future__ import annotations

import pytest

from closetui.cli.exit_codes import EXIT_USAGE
from closetui.cli.main import main

NOT_UTF8 = b"caf\xe9".decode("utf-8", "surrogateescape")
"""``café`` in Latin-1, as Python hands it over in argv on a UTF-8 system."""


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    assert code == EXIT_USAGE
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["update", "--demo", "oppo_1", "--note", NOT_UTF8], "--note: not UTF-8 text"),
        (["update", "--demo", "oppo_1", f"--note={NOT_UTF8}"], "--note: not UTF-8 text"),
        (["list", "--demo", "--query", NOT_UTF8], "--query: not UTF-8 text"),
        (["profile", "remove", NOT_UTF8], "NAME: not UTF-8 text"),
        (["--demo", "--theme", NOT_UTF8], "--theme: not UTF-8 text"),
    ],
)
def test_bytes_that_are_not_utf8_name_their_option(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert message in _refused(argv, capsys)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["list", "--demo", "--tz-offset", "--"], "'--' after --tz-offset"),
        (["list", "--demo", "--status=--"], "--status: '--' cannot be a value"),
        (["get", "--demo", "--", "oppo_1"], "closetui takes no '--'"),
    ],
)
def test_double_dash_is_never_a_value(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert message in _refused(argv, capsys)


@pytest.mark.parametrize("option", ["--base-url", "--profile", "--config"])
def test_an_empty_connection_option_is_not_silently_dropped(
    option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert f"argument {option}: empty value" in _refused(["list", option, ""], capsys)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "argument --port: expected 0 to 65535"),
        (["--opportunities", "-1"], "argument --opportunities: expected 0 to 1e+06"),
        (["--rate-limit", "nan"], "argument --rate-limit: expected 0.01 to 1e+06"),
        (["--rate-limit", "-2"], "argument --rate-limit: expected 0.01 to 1e+06"),
        (["--port", "\uff18\uff10"], "argument --port: expected a number"),
    ],
)
def test_sandbox_numbers_are_bounded_before_anything_starts(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert message in _refused(["sandbox", *args], capsys)
