"""Profiles end to end: ``profile test`` and ``list`` run as subprocesses against the sandbox."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from closetui.sandbox import DEMO_API_KEY, OAUTH_TOKEN, Sandbox, SandboxConfig, ServerThread
from tests.cli.helpers import Run, run_closetui

WRONG_KEY = "api_wrongwrongwrongwrongwrong123"


@dataclass
class Live:
    url: str
    sandbox: Sandbox


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    server = ServerThread(SandboxConfig(opportunities=20))
    with server as url:
        yield Live(url, server.sandbox)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def config(tmp_path: Path, live: Live) -> Path:
    """A config file with a profile per case; CLOSETUI_CONFIG points at it in `closetui`."""
    path = tmp_path / "closetui.toml"
    path.write_text(
        f"""\
# profiles for the loopback sandbox
default_profile = "acme"

[profiles.acme]
base_url = "{live.url}"
api_key_env = "ACME_KEY"
tz_offset = 5.5

[profiles.token]
base_url = "{live.url}"
auth = "oauth"
api_key = "{OAUTH_TOKEN}"

[profiles.wrong]
base_url = "{live.url}"
api_key = "{WRONG_KEY}"

[profiles.down]
base_url = "http://127.0.0.1:{closed_port()}/api/v1/"
api_key = "{DEMO_API_KEY}"

[profiles.unset]
base_url = "{live.url}"
api_key_env = "NOT_SET_ANYWHERE"
"""
    )
    path.chmod(0o600)
    return path


def closetui(config: Path, *args: str, key: str | None = DEMO_API_KEY) -> Run:
    env = {k: v for k, v in os.environ.items() if k not in ("CLOSE_API_KEY", "ACME_KEY")}
    env["CLOSETUI_CONFIG"] = str(config)
    if key is not None:
        env["ACME_KEY"] = key
    done = run_closetui(args, env)
    for secret in (DEMO_API_KEY, OAUTH_TOKEN, WRONG_KEY):
        assert secret not in done.out + done.err
    return done


def test_profile_test_ok(config: Path) -> None:
    done = closetui(config, "profile", "test", "acme")
    assert (done.code, done.err) == (0, "")
    assert done.out == (
        'acme: OK — Alex Morgan <alex.morgan@sandbox.example>, organization "Sandbox Sales Co." '
        "(role admin)\n"
    )
    default = closetui(config, "profile", "test")  # the default profile
    assert default.out.startswith("acme: OK — Alex Morgan")
    oauth = closetui(config, "profile", "test", "token")
    assert oauth.code == 0, oauth.err
    assert oauth.out.startswith("token: OK — ")
    assert "(role user)" in oauth.out


def test_profile_test_refused_key_exits_3(config: Path) -> None:
    done = closetui(config, "profile", "test", "wrong")
    assert done.code == 3
    assert done.out == ""
    assert "wrong: the key was refused (HTTP 401)" in done.err
    assert "check the key from literal" in done.err


def test_profile_test_network_failure_exits_4(config: Path) -> None:
    done = closetui(config, "profile", "test", "down")
    assert done.code == 4
    assert "down: could not reach http://127.0.0.1:" in done.err


def test_profile_test_unusable_source_exits_2(config: Path) -> None:
    done = closetui(config, "profile", "test", "unset")
    assert done.code == 2
    assert "profile unset: the environment variable NOT_SET_ANYWHERE is not set" in done.err
    missing = closetui(config, "profile", "test", "nope")
    assert missing.code == 2
    assert "no profile 'nope'" in missing.err


def test_list_with_profile_option(config: Path, live: Live) -> None:
    before = len(live.sandbox.requests)
    done = closetui(config, "list", "--profile", "token", "--limit", "3", "--json")
    assert done.code == 0, done.err
    assert done.out.count('"id": "oppo_') == 3
    sent = live.sandbox.requests[before:]
    assert sent
    assert all(r.headers["authorization"] == f"Bearer {OAUTH_TOKEN}" for r in sent)


def test_list_with_the_default_profile(config: Path, live: Live) -> None:
    before = len(live.sandbox.requests)
    done = closetui(config, "list", "--limit", "2")
    assert done.code == 0, done.err
    assert len(done.out.splitlines()) == 3  # header + 2 rows
    sent = live.sandbox.requests[before:]
    assert {r.headers["x-tz-offset"] for r in sent} == {"5.5"}  # the profile's offset
    refused = closetui(config, "list", "--limit", "2", key=WRONG_KEY)
    assert refused.code == 3


def test_config_option_and_no_profile_yet(config: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    done = closetui(config, "--config", str(empty), "list")
    assert done.code == 2
    assert done.err == (
        "closetui: no profile yet: run `closetui profile add NAME`, or try `closetui --demo`\n"
    )
    done = closetui(empty, "list", "--config", str(config), "--limit", "1")
    assert done.code == 0, done.err


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_a_readable_config_warns_on_stderr(config: Path) -> None:
    config.chmod(0o644)
    done = closetui(config, "list", "--limit", "1")
    assert done.code == 0
    assert "closetui: warning: " in done.err
    assert "is readable by other users (mode 0644)" in done.err


def test_bad_config_names_file_and_key(config: Path) -> None:
    config.write_text(config.read_text().replace("tz_offset = 5.5", 'tz_offset = "EST"'))
    done = closetui(config, "list")
    assert done.code == 2
    assert done.err == (
        f'closetui: {config}: profiles.acme.tz_offset: expected hours like -5 or 5.5, got "EST"\n'
    )


def test_a_read_only_profile_never_sends_an_update(config: Path, live: Live) -> None:
    config.write_text(
        config.read_text().replace("tz_offset = 5.5", "tz_offset = 5.5\nread_only = true")
    )
    opp_id = next(iter(live.sandbox.opportunities))
    before = len(live.sandbox.requests)
    refused = closetui(config, "update", opp_id, "--confidence", "55")
    assert refused.code == 2
    assert "profile acme is read-only: nothing was sent" in refused.err
    dry = closetui(config, "update", opp_id, "--confidence", "55", "--dry-run")
    assert dry.code == 0, dry.err
    assert not [r for r in live.sandbox.requests[before:] if r.method == "PUT"]
