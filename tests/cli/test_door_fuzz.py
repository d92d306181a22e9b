"""Every CLI option and every config key fed arbitrary text and bytes, in process: no
traceback ever, and every refusal (exit 2) names the option, the key or the file."""

from __future__ import annotations

import io
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import closetui.sandbox.server as sandbox_server
import closetui.ui.app as app_module
from closetui.cli.exit_codes import EXIT_USAGE
from closetui.cli.main import main
from closetui.config import Config, Profile, View

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

ARG = st.one_of(
    st.text(max_size=40),
    # What the OS hands over for bytes that are not UTF-8 (Python decodes argv so).
    st.binary(max_size=40).map(lambda raw: raw.decode("utf-8", "surrogateescape")),
    st.sampled_from(["", " ", "-", "--", "-5", "1e400", "nan", "0", "99999999999999999999"]),
    # Plausible values, so that the paths past the checks run too.
    st.sampled_from(
        [
            "Won",
            "today",
            "-1w",
            "1,250",
            "oppo_1",
            "Ann Lee",
            "closetui-dark",
            "acme",
            "json",
            "http://127.0.0.1:9/api/v1/",
            "note=x",
            "value=5",
            "Deal Source",
            "-date_updated",
        ]
    ),
).filter(lambda text: "\0" not in text)  # argv cannot hold NUL
"""Arbitrary text and bytes, as an option's value could arrive."""

CONNECTION = ["--base-url", "--profile", "--tz-offset"]
NETWORK = ["--timeout", "--retries"]
OPTIONS: dict[str, list[str]] = {
    "": [*CONNECTION, "--theme"],  # opening the app
    "list": [
        *CONNECTION, "--view", "--pipeline", "--status", "--status-type", "--owner", "--lead",
        "--query", "--won-after", "--won-before", "--order-by", "--limit", "--format",
        *NETWORK,
    ],
    "get": [*CONNECTION, "OPP_ID", *NETWORK],
    "update": [
        *CONNECTION, *NETWORK, "OPP_ID", "--status", "--date-won", "--set", "--add", "--remove",
        "--clear", "--value", "--value-period", "--confidence", "--owner", "--contact",
        "--note", "--format",
    ],
    "profile add": ["NAME", "--base-url", "--api-key-env", "--api-key-command", "--tz-offset",
                    "--theme"],
    "profile remove": ["NAME"],
    "profile default": ["NAME"],
    "profile test": ["NAME"],
    "sandbox": ["--port", "--api-key", "--opportunities", "--rate-limit",
                "--rate-limit-separator", "--seed"],
}  # fmt: skip
"""Every option that takes a value, per command (checked against ``--help`` below)."""

NAMED_BY = {
    # ``--opt --``: "'--' after --opt".
    "--profile": ("--profile", "profile"),
    "NAME": ("NAME", "profile name", "profile", "argument ", "'--'"),
    "OPP_ID": ("OPP_ID", "argument ", "'--'"),
}
"""Words a refusal may name an option by, besides the option itself."""

DEMO_OPP = "oppo_1"
"""Any id: ``update --dry-run`` on a missing one is a 404 (exit 3), never a crash."""


def _flags(command: str, capsys: pytest.CaptureFixture[str]) -> set[str]:
    with pytest.raises(SystemExit):
        main([*command.split(), "--help"])
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", capsys.readouterr().out))


FLAGS_WITHOUT_VALUE = {
    "--help", "--demo", "--json", "--version", "--dry-run", "--clear-date-won", "--oauth",
    "--keyring", "--read-only", "--default", "--force", "--config", "--all", "--debug",
}  # fmt: skip


@pytest.mark.parametrize("command", list(OPTIONS))
def test_the_fuzzed_options_are_every_option(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = {option for option in OPTIONS[command] if option.startswith("--")}
    assert _flags(command, capsys) - FLAGS_WITHOUT_VALUE == listed


@contextmanager
def _no_app_no_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The app and the sandbox server replaced by recorders: what reaches them is checked
    by the other tests; here only what the CLI does before them."""
    started: list[str] = []

    class App:
        return_code = 0
        error_console = type("Console", (), {"file": None})()

        def run(self) -> None:
            started.append("app")

    def serve(*args: Any, **kwargs: Any) -> None:
        started.append("sandbox")

    with monkeypatch.context() as patch:
        patch.setattr(app_module, "make_app", lambda *a, **k: App())
        patch.setattr(sandbox_server, "serve", serve)
        patch.setattr(sys, "stdin", io.StringIO(""))  # profile add never waits for a key
        yield started


def _argv(command: str, option: str, value: str, config: Path, joined: bool) -> list[str]:
    words = command.split()
    given = [value] if option.isupper() else ([f"{option}={value}"] if joined else [option, value])
    base: list[str] = ["--config", str(config)] if command != "sandbox" else []
    if command in ("list", "get", "update", "") and option not in ("--base-url", "--profile"):
        base.append("--demo")
    if command in ("get", "update") and option != "OPP_ID":
        base.append(DEMO_OPP)
    if command == "update":
        base.append("--dry-run")
    if command == "profile add":
        if option != "NAME":
            base.append("acme")
        if option not in ("--api-key-env", "--api-key-command"):
            base += ["--api-key-env", "ACME_KEY"]
    return [*words, *base, *given]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's refusals and --help
        code = exc.code if isinstance(exc.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.err


@FUZZ
@given(data=st.data(), value=ARG, joined=st.booleans())
def test_every_option_refuses_bad_text_by_name(
    data: st.DataObject,
    value: str,
    joined: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    command = data.draw(st.sampled_from(list(OPTIONS)), label="command")
    option = data.draw(st.sampled_from(OPTIONS[command]), label="option")
    with tempfile.TemporaryDirectory() as home, _no_app_no_server(monkeypatch):
        argv = _argv(command, option, value, Path(home) / "config.toml", joined)
        code, err = _run(argv, capsys)  # any exception fails the test: a traceback
    event(f"exit {code}")
    assert code in (0, 2, 3, 4), (argv, code, err)
    assert "Traceback" not in err
    if code == EXIT_USAGE:
        names = NAMED_BY.get(option, (option,))
        assert any(name in err for name in names), (argv, err)


# -- config keys --------------------------------------------------------------------------

TOML_VALUE = st.recursive(
    st.one_of(
        st.text(max_size=30),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.dates(),
        st.sampled_from(["", "Won", "-1m", "today", "stat_1", "closetui-dark", "CLOSE_KEY"]),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _config_keys() -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = [(key,) for key in Config.model_fields]
    keys += [("keymap", "send"), ("keymap", "list.status")]
    keys += [("profiles", "p", key) for key in Profile.model_fields]
    keys += [("views", "v", key) for key in View.model_fields]
    keys += [("profiles", "p", "views", "v", key) for key in View.model_fields]
    return keys


KEYS = _config_keys()


def _document(key: tuple[str, ...], value: Any) -> dict[str, Any]:
    """A config with a valid profile ``p`` and view ``v``, and ``key`` set to ``value``."""
    doc: dict[str, Any] = {
        "profiles": {"p": {"api_key_env": "P_KEY", "views": {"v": {"status_type": "won"}}}},
        "views": {"v": {"status_type": "won"}},
    }
    table = doc
    for part in key[:-1]:
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            return doc
    table[key[-1]] = value
    return doc


def _dotted(key: tuple[str, ...]) -> str:
    return ".".join(key)


@FUZZ
@given(
    key=st.sampled_from(KEYS),
    value=TOML_VALUE,
    raw=st.none() | st.binary(max_size=60),
    whole=st.none() | st.binary(max_size=200),
)
def test_every_config_key_refuses_bad_values_by_name(
    key: tuple[str, ...],
    value: Any,
    raw: bytes | None,
    whole: bytes | None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with tempfile.TemporaryDirectory() as home, _no_app_no_server(monkeypatch):
        path = Path(home) / "config.toml"
        if whole is not None:
            path.write_bytes(whole)
        elif raw is not None:
            # Bytes where the value goes, in the key's own table: what a bad edit leaves.
            table, name = key[:-1], key[-1]
            header = f"[{'.'.join(json.dumps(p) for p in table)}]\n" if table else ""
            path.write_bytes(header.encode() + json.dumps(name).encode() + b" = " + raw + b"\n")
        else:
            path.write_text(tomlkit.dumps(_document(key, value)))
        path.chmod(0o600)
        results = [
            _run(["profile", "list", "--config", str(path)], capsys),
            _run(["list", "--demo", "--config", str(path), "--view", "v", "--limit", "1"], capsys),
            _run(["--demo", "--config", str(path)], capsys),
        ]
    for code, err in results:
        event(f"exit {code}")
        assert code in (0, 2, 3), (key, code, err)
        assert "Traceback" not in err
        if code != EXIT_USAGE:
            continue
        # A file that is not TOML is named by its path; a bad value by its key, or by the
        # table it is in (two key sources: the profile); a view that resolves to nothing
        # in the organisation by the option that asked for it.
        names = [str(path)] if whole is not None or raw is not None else []
        names += [_dotted(key), _dotted(key[:-1] or key), "--view v:"]
        assert any(name in err for name in names), (key, err)
