"""Which connection a command gets: --demo > --base-url > --profile > default_profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from closetui.config import config_path
from closetui.connect import ConnectError, resolve_connection

CONFIG = """\
default_profile = "acme"
theme = "nord"

[keymap]
send = "f5"

[profiles.acme]
api_key_env = "ACME_KEY"
tz_offset = 5.5
read_only = true

[profiles.beta]
base_url = "http://127.0.0.1:9/api/v1/"
api_key = "beta-key"
theme = "gruvbox"
poll_seconds = 4
"""


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(CONFIG)
    path.chmod(0o600)
    monkeypatch.setenv("ACME_KEY", "acme-key")
    return path


def test_default_profile_gives_name_read_only_offset_theme_and_keymap(config: Path) -> None:
    connection = resolve_connection()
    assert connection.name == "acme"
    assert connection.base_url == "https://api.close.com/api/v1/"
    assert connection.credential.secret.get_secret_value() == "acme-key"
    assert connection.read_only
    assert connection.tz_offset == 5.5
    assert connection.theme == "nord"  # the top-level one
    assert connection.keymap == {"send": "f5"}
    assert connection.warnings == ()
    assert not connection.demo
    assert connection.poll_seconds == 15  # the default


def test_profile_option_beats_the_default(config: Path) -> None:
    connection = resolve_connection(profile="beta", tz_offset=-3)
    assert connection.name == "beta"
    assert connection.base_url == "http://127.0.0.1:9/api/v1/"
    assert not connection.read_only
    assert connection.tz_offset == -3  # --tz-offset beats the profile
    assert connection.theme == "gruvbox"  # the profile's beats the top-level one
    assert connection.poll_seconds == 4


def test_base_url_beats_profiles(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOSE_API_KEY", "ci-key")
    connection = resolve_connection(base_url="http://localhost:8765/api/v1/", profile="beta")
    assert connection.name == "localhost"
    assert connection.credential.secret.get_secret_value() == "ci-key"
    assert connection.theme == "nord"  # settings still come from the config
    with pytest.raises(ConnectError, match="plain http:// is only allowed for loopback"):
        resolve_connection(base_url="http://close.example.com/api/v1/")
    monkeypatch.delenv("CLOSE_API_KEY")
    with pytest.raises(ConnectError, match="needs an API key in the CLOSE_API_KEY"):
        resolve_connection(base_url="https://close.example.com/api/v1/")


def test_demo_beats_everything(config: Path) -> None:
    connection = resolve_connection(demo=True, base_url="https://x.example/", profile="beta")
    assert connection.demo
    assert connection.name == "demo"
    assert connection.keymap == {"send": "f5"}


def test_demo_still_works_with_a_broken_config(config: Path) -> None:
    config.write_text("nonsense = 1\n")
    connection = resolve_connection(demo=True)
    assert connection.demo
    (warning,) = connection.warnings
    assert warning.startswith("settings not used: ~/config/closetui/config.toml: nonsense:")


def test_no_profile_yet() -> None:
    with pytest.raises(ConnectError) as caught:
        resolve_connection()
    assert str(caught.value) == (
        "no profile yet: run `closetui profile add NAME`, or try `closetui --demo`"
    )


def test_profiles_but_no_default(config: Path) -> None:
    config.write_text(CONFIG.replace('default_profile = "acme"\n', ""))
    with pytest.raises(ConnectError, match=r"no default profile: .*\(profiles: acme, beta\)"):
        resolve_connection()


def test_unknown_profile_and_unusable_key_source(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConnectError, match=r"no profile 'gamma' in .*profiles there: acme, beta"):
        resolve_connection(profile="gamma")
    monkeypatch.delenv("ACME_KEY")
    with pytest.raises(ConnectError, match="ACME_KEY is not set"):
        resolve_connection()


def test_explicit_config_path_and_env_variable(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.toml"
    other.write_text(CONFIG.replace('default_profile = "acme"', 'default_profile = "beta"'))
    assert resolve_connection(config=other).name == "beta"
    monkeypatch.setenv("CLOSETUI_CONFIG", str(other))
    assert resolve_connection().name == "beta"
    assert resolve_connection(config=config).name == "acme"  # --config beats the variable


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_a_readable_config_warns_through_the_connection(config: Path) -> None:
    config.chmod(0o644)
    (warning,) = resolve_connection().warnings
    assert "readable by other users (mode 0644)" in warning
