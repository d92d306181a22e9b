"""``closetui profile add|list|remove|default`` in process: options, prompts, never a key."""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from closetui.cli.main import main
from closetui.config import config_path, load_config

KEY = "api_7Hq2Lm9XwRt4Zk8PcN3vBd6Yf1Gs5Ju"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    def call(*args: str) -> Result:
        code = main(list(args))
        captured = capsys.readouterr()
        # No command ever prints a key, whatever it is asked.
        assert KEY not in captured.out + captured.err
        return Result(code, captured.out, captured.err)

    return call


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, so the key is asked with getpass."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def typed_key(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """getpass answers KEY; the prompts it was given are recorded."""
    prompts: list[str] = []

    def fake_getpass(prompt: str = "Password: ", stream: Any = None) -> str:
        prompts.append(prompt)
        return KEY

    monkeypatch.setattr("closetui.cli.profile.getpass.getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", Terminal())
    return prompts


def test_add_with_options_writes_the_profile(run: Any) -> None:
    done = run(
        "profile", "add", "acme", "--api-key-env", "ACME_KEY", "--tz-offset", "-5",
        "--read-only", "--theme", "nord", "--base-url", "https://close.example.com/api/v1",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "saved profile acme in ~/config/closetui/config.toml (default)" in done.out
    assert "note: ACME_KEY is not set in this environment" in done.err
    profile = load_config().config.profiles["acme"]
    assert profile.api_key_env == "ACME_KEY"
    assert profile.tz_offset == -5
    assert profile.read_only
    assert profile.theme == "nord"
    assert profile.base_url == "https://close.example.com/api/v1/"
    assert load_config().config.default_profile == "acme"  # the first profile


def test_add_asks_for_the_key_without_echo(run: Any, typed_key: list[str]) -> None:
    done = run("profile", "add", "acme", "--oauth")
    assert done.code == 0, done.err
    assert typed_key == ["OAuth access token for acme (input hidden): "]
    assert "stored as plain text" in done.err
    profile = load_config().config.profiles["acme"]
    assert profile.auth == "oauth"
    assert profile.api_key is not None
    assert profile.api_key.get_secret_value() == KEY


def test_add_reads_a_piped_key(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{KEY}\n"))
    assert run("profile", "add", "acme").code == 0
    key = load_config().config.profiles["acme"].api_key
    assert key is not None
    assert key.get_secret_value() == KEY
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    empty = run("profile", "add", "beta")
    assert empty.code == 2
    assert "no API key given; nothing was saved" in empty.err
    assert "beta" not in load_config().config.profiles


def test_add_refuses_to_overwrite_without_force(run: Any, typed_key: list[str]) -> None:
    assert run("profile", "add", "acme", "--api-key-env", "A").code == 0
    again = run("profile", "add", "acme")
    assert again.code == 2
    assert "profile 'acme' already exists in ~/config/closetui/config.toml; add --force" in (
        again.err
    )
    assert typed_key == []  # refused before asking for the key
    assert run("profile", "add", "acme", "--api-key-command", "pass show x", "--force").code == 0
    assert load_config().config.profiles["acme"].api_key_command == "pass show x"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--base-url", "http://close.example.com/"], "--base-url: expected https://"),
        (["--api-key-env", "1BAD"], "--api-key-env: not a variable name"),
        (["--api-key-command", "pass 'show"], "--api-key-command: expected a command line"),
    ],
)
def test_add_names_the_bad_option(
    run: Any, typed_key: list[str], options: list[str], message: str
) -> None:
    done = run("profile", "add", "acme", *options)
    assert done.code == 2
    assert message in done.err
    assert typed_key == []
    assert not config_path().exists()


def test_add_bad_name_and_offset_are_usage_errors(run: Any) -> None:
    bad = run("profile", "add", "my acme", "--api-key-env", "A")
    assert bad.code == 2
    assert "profile name 'my acme': expected a profile name of letters" in bad.err
    with pytest.raises(SystemExit) as caught:
        run("profile", "add", "acme", "--api-key-env", "A", "--tz-offset", "EST")
    assert caught.value.code == 2


def test_list_shows_sources_but_never_keys(run: Any, typed_key: list[str]) -> None:
    assert run("profile", "add", "lit").code == 0
    assert run("profile", "add", "env", "--api-key-env", "ENV_KEY", "--tz-offset", "5.5").code == 0
    assert run("profile", "add", "cmd", "--api-key-command", f"pass show {KEY}").code == 0
    assert run("profile", "default", "env").code == 0
    listed = run("profile", "list")
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert lines[0].split() == ["NAME", "BASE", "URL", "AUTH", "KEY", "SOURCE", "TZ", "READ-ONLY",
                                "LIVE", "MOVE"]  # fmt: skip
    assert lines[1].split() == ["lit", "https://api.close.com/api/v1/", "api_key", "literal",
                                "local", "no", "15s", "draft"]  # fmt: skip
    assert lines[2].split() == ["*", "env", "https://api.close.com/api/v1/", "api_key", "env",
                                "ENV_KEY", "+5.5", "no", "15s", "draft"]  # fmt: skip
    assert lines[3].split()[3:5] == ["command", "(pass)"]
    assert lines[4] == "(* default; from ~/config/closetui/config.toml)"


def test_list_with_no_profiles(run: Any) -> None:
    done = run("profile", "list")
    assert done.code == 0
    assert done.out == ""
    assert "no profiles in ~/config/closetui/config.toml" in done.err


def test_remove_and_default(run: Any) -> None:
    for name in ("one", "two"):
        assert run("profile", "add", name, "--api-key-env", "K").code == 0
    assert load_config().config.default_profile == "one"
    picked = run("profile", "default", "two")
    assert (picked.code, picked.out) == (0, "default profile: two\n")
    assert load_config().config.default_profile == "two"
    missing = run("profile", "default", "three")
    assert missing.code == 2
    assert "no profile 'three' in ~/config/closetui/config.toml; profiles there: one, two" in (
        missing.err
    )
    removed = run("profile", "remove", "two")
    assert removed.code == 0
    assert "removed profile two" in removed.out
    assert "it was the default" in removed.err
    assert load_config().config.default_profile is None
    assert list(load_config().config.profiles) == ["one"]
    assert run("profile", "remove", "two").code == 2


def test_config_option_before_or_after_the_subcommand(run: Any, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    assert run("--config", str(other), "profile", "add", "a", "--api-key-env", "K").code == 0
    assert run("profile", "add", "b", "--api-key-env", "K", "--config", str(other)).code == 0
    assert list(load_config(other).config.profiles) == ["a", "b"]
    assert not config_path().exists()


def test_keyring_needs_the_extra(
    run: Any, typed_key: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)
    done = run("profile", "add", "acme", "--keyring")
    assert done.code == 2
    assert "install the keyring extra: pip install 'closetui[keyring]'" in done.err
    assert typed_key == []
    assert not config_path().exists()


def test_keyring_stores_the_typed_key(run: Any, typed_key: list[str]) -> None:
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        store: dict[tuple[str, str], str] = {}  # noqa: RUF012

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            del self.store[(service, username)]

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        done = run("profile", "add", "acme", "--keyring")
        assert done.code == 0, done.err
        assert MemoryKeyring.store == {("closetui", "acme"): KEY}
        text = config_path().read_text()
        assert "api_key_keyring = true" in text
        assert KEY not in text
        listed = run("profile", "list")
        assert "keyring" in listed.out
        removed = run("profile", "remove", "acme")
        assert "its key stays in the OS keyring" in removed.err
    finally:
        keyring.set_keyring(previous)


THEMED = """\
# mine
theme = "closetui-light"  # easier on the eyes

# work accounts
[profiles.work]
api_key_env = "WORK_KEY"
"""


def write_config(text: str) -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text(text)
    config_path().chmod(0o600)


def test_default_goes_after_the_top_level_keys(run: Any) -> None:
    """A config with a top-level key and no default: ``profile default`` once crashed
    there (tomlkit 0.15.3 removed the private call it used)."""
    write_config(THEMED)
    done = run("profile", "default", "work")
    assert (done.code, done.err) == (0, "")
    assert config_path().read_text() == THEMED.replace(
        "eyes\n", 'eyes\ndefault_profile = "work"\n'
    )  # and "# work accounts" still heads the table it is about


def test_a_first_profile_becomes_the_default_after_the_top_level_keys(run: Any) -> None:
    write_config(THEMED.split("\n# work")[0] + "\n")
    done = run("profile", "add", "acme", "--api-key-env", "ACME_KEY")
    assert done.code == 0, done.err
    assert "(default)" in done.out
    text = config_path().read_text()
    assert text.startswith(
        '# mine\ntheme = "closetui-light"  # easier on the eyes\ndefault_profile = "acme"\n'
    )
    assert load_config().config.default_profile == "acme"
    assert load_config().config.profiles["acme"].api_key_env == "ACME_KEY"


KEY_DOTTED = "api_7Hq2Lm9XwRt4.Zk8PcN3vBd6Yf1Gs5Ju"
"""A key as Close shows it (a dot in it): not even shaped like a variable name."""


@pytest.mark.parametrize("pasted", [KEY, KEY_DOTTED])
def test_a_key_pasted_as_a_variable_name_is_never_echoed(
    run: Any, capsys: pytest.CaptureFixture[str], pasted: str
) -> None:
    done = run("profile", "add", "acme", "--api-key-env", pasted)
    assert done.code == 2
    assert "--api-key-env: not a variable name" in done.err
    assert pasted not in done.err
    config_path().parent.mkdir(parents=True, exist_ok=True)
    for key in ("api_key_env", "api_key_command"):
        config_path().write_text(f'[profiles.acme]\n{key} = "{pasted}"\n')
        listed = run("profile", "list")
        assert listed.code == 2
        assert f"profiles.acme.{key}: not a" in listed.err
        assert pasted not in listed.out + listed.err
        assert "Zk8PcN3vBd6Yf1Gs5Ju" not in listed.out + listed.err


def test_a_key_pasted_into_any_other_field_is_never_echoed(run: Any) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    for key in ("base_url", "tz_offset", "auth", "read_only"):
        config_path().write_text(f'[profiles.acme]\napi_key_env = "A"\n{key} = "{KEY_DOTTED}"\n')
        listed = run("profile", "list")
        assert listed.code == 2
        assert f"profiles.acme.{key}: " in listed.err
        assert "Zk8PcN3vBd6Yf1Gs5Ju" not in listed.out + listed.err
    with pytest.raises(SystemExit):  # the run fixture checks that KEY is not shown
        run("profile", "add", "acme", "--api-key-env", "A", "--tz-offset", KEY)
    assert run("profile", "add", "acme", "--api-key-env", "A", "--base-url", KEY).code == 2
    assert run("profile", "add", KEY_DOTTED, "--api-key-env", "A").code == 2


def test_list_shows_live_polling_and_what_a_board_move_does(run: Any) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        '[profiles.quiet]\napi_key_env = "K"\npoll_seconds = 0\nboard_move = "send"\n'
        '[profiles.busy]\napi_key_env = "K"\npoll_seconds = 2.5\n'
    )
    path.chmod(0o600)
    lines = run("profile", "list").out.splitlines()
    assert lines[1].split()[-2:] == ["off", "send"]
    assert lines[2].split()[-2:] == ["2.5s", "draft"]
