"""config.toml: locating, validating (file + key + expectation), writing with comments, modes."""

from __future__ import annotations

import os
import stat
import traceback
from pathlib import Path

import pytest
from pydantic import SecretStr

from closetui.config import (
    ConfigError,
    Profile,
    add_profile,
    config_path,
    load_config,
    remove_profile,
    set_default_profile,
)
from tests.unit.helpers import SHOWN, problem, write

SECRET = "sk_live_DO_NOT_SHOW_4f1c9a7e2b"
OTHER_SECRET = "sk_typo_DO_NOT_SHOW_93b1d0"

HAND_WRITTEN = """\
# My closetui settings
theme = "nord"  # the dark one

# Rebindings
[keymap]
send = "ctrl+s,f5"

# Production: read-only on purpose
[profiles.prod]
base_url = "https://api.close.com/api/v1/"
api_key_env = "CLOSE_PROD_KEY"  # set in ~/.profile
read_only = true

[profiles.staging]
# from pass(1)
api_key_command = ["pass", "show", "close/staging"]
tz_offset = -5
"""


@pytest.fixture
def path() -> Path:
    """The default config file (not created)."""
    return config_path()


# -- where the file is ------------------------------------------------------------------


def test_path_default_env_and_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = Path(os.environ["HOME"])
    assert config_path() == home / "config" / "closetui" / "config.toml"
    monkeypatch.setenv("CLOSETUI_CONFIG", str(tmp_path / "env.toml"))
    assert config_path() == tmp_path / "env.toml"
    assert config_path(tmp_path / "option.toml") == tmp_path / "option.toml"


def test_a_missing_file_is_an_empty_config(path: Path) -> None:
    loaded = load_config()
    assert not loaded.exists
    assert loaded.config.profiles == {}
    assert loaded.warnings == ()
    assert not path.exists()


def test_hand_written_file_loads(path: Path) -> None:
    write(path, HAND_WRITTEN)
    loaded = load_config()
    assert loaded.exists
    assert loaded.config.theme == "nord"
    assert loaded.config.keymap == {"send": "ctrl+s,f5"}
    prod, staging = loaded.config.profiles["prod"], loaded.config.profiles["staging"]
    assert (prod.read_only, prod.tz_offset, prod.auth) == (True, None, "api_key")
    assert staging.base_url == "https://api.close.com/api/v1/"  # Close's by default
    assert staging.tz_offset == -5.0
    with pytest.raises(ConfigError, match=r"no profile 'nope' in .*profiles there: prod, staging"):
        loaded.profile("nope")


# -- errors name the file, the key and what is expected ---------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[profiles.acme]\napi_key_env = "K"\ntz_offset = "EST"\n',
            'profiles.acme.tz_offset: expected hours like -5 or 5.5, got "EST"',
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\ntz_offset = 5.3\n',
            "profiles.acme.tz_offset: expected hours from -12 to +14 in steps of 0.25, got 5.3",
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\ntz_offset = 15\n',
            "profiles.acme.tz_offset: expected hours from -12 to +14 in steps of 0.25, got 15",
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\nbase_url = "api.close.com"\n',
            "profiles.acme.base_url: expected an https:// URL like "
            'https://api.close.com/api/v1/, got "api.close.com"',
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\nbase_url = "http://close.example.com/api/v1/"\n',
            "profiles.acme.base_url: expected https://; plain http:// is only allowed for "
            'loopback hosts (127.0.0.1, ::1, localhost), got "http://close.example.com/api/v1/"',
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\napi_key_cmd = "pass show close"\n',
            "profiles.acme.api_key_cmd: unknown key, expected one of base_url, auth, api_key_env, "
            "api_key_command, api_key_keyring, api_key, tz_offset, read_only, theme, views, "
            "web_url, poll_seconds, board_move (did you mean api_key_command?)",
        ),
        (
            'colour = "nord"\n',
            "colour: unknown key, expected one of default_profile, theme, keymap, profiles, views",
        ),
        (
            '[profile.acme]\napi_key_env = "K"\n',
            "profile: unknown key, expected one of default_profile, theme, keymap, profiles, views "
            "(did you mean profiles?)",
        ),
        (
            'base_url = "https://api.close.com/api/v1/"\n',
            "base_url: unknown key at the top level; "
            "profile settings go in a [profiles.NAME] table",
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\nauth = "basic"\n',
            'profiles.acme.auth: expected "api_key" or "oauth", got "basic"',
        ),
        (
            '[profiles.acme]\napi_key_env = "K"\nread_only = "yes"\n',
            'profiles.acme.read_only: expected true or false, got "yes"',
        ),
        (
            '[profiles."my acme"]\napi_key_env = "K"\n',
            'profiles."my acme": expected a profile name of letters, digits, - and _',
        ),
        (
            "[profiles.acme]\ntz_offset = 1\n",
            "profiles.acme: expected exactly one key source (api_key_env, api_key_command, "
            "api_key_keyring = true or api_key), found none",
        ),
        ('[profiles.acme]\napi_key_env = "1X"\n', "profiles.acme.api_key_env: not a variable name"),
        ("[profiles.acme\n", "not valid TOML: Expected ']' at the end of a table declaration"),
    ],
)
def test_errors_name_file_key_and_expectation(path: Path, text: str, message: str) -> None:
    assert f"{SHOWN}: {message}" in problem(path, text)


def test_every_problem_is_reported_on_its_own_line(path: Path) -> None:
    text = '[profiles.acme]\napi_key_env = "K"\ntz_offset = "EST"\nbase_url = "ftp://x"\n'
    lines = problem(path, text).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{SHOWN}: profiles.acme.") for line in lines)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/api/v1/",
        "http://127.9.9.9/api/v1/",
        "http://[::1]:8000/api/v1/",
        "http://localhost:8000/api/v1/",
        "https://close.example.com/api/v1/",
    ],
)
def test_loopback_http_and_any_https_are_allowed(path: Path, url: str) -> None:
    write(path, f'[profiles.acme]\napi_key_env = "K"\nbase_url = "{url}"\n')
    assert load_config().config.profiles["acme"].base_url.startswith(url.rstrip("/"))


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/api/v1/",
        "http://128.0.0.1/api/v1/",
        "http://localhost.example.com/api/v1/",
        "http://api.close.com/api/v1/",
    ],
)
def test_plain_http_to_other_hosts_is_refused(path: Path, url: str) -> None:
    assert "plain http:// is only allowed for loopback hosts" in problem(
        path, f'[profiles.acme]\napi_key_env = "K"\nbase_url = "{url}"\n'
    )


@pytest.mark.parametrize("hours", ["-12", "14", "5.5", "5.75", "-3.25", "0"])
def test_offsets_in_quarter_hours_are_accepted(path: Path, hours: str) -> None:
    write(path, f'[profiles.acme]\napi_key_env = "K"\ntz_offset = {hours}\n')
    assert load_config().config.profiles["acme"].tz_offset == float(hours)


@pytest.mark.parametrize("value", ["-12.5", "14.25", "5.3", "true", '"5"', "nan", "inf"])
def test_bad_offsets_are_refused(path: Path, value: str) -> None:
    message = problem(path, f'[profiles.acme]\napi_key_env = "K"\ntz_offset = {value}\n')
    assert f"{SHOWN}: profiles.acme.tz_offset: expected hours" in message


def test_poll_seconds_defaults_to_15_and_0_turns_it_off(path: Path) -> None:
    write(
        path, '[profiles.a]\napi_key_env = "K"\n[profiles.b]\napi_key_env = "K"\npoll_seconds = 0\n'
    )
    profiles = load_config().config.profiles
    assert profiles["a"].poll_seconds == 15.0
    assert profiles["b"].poll_seconds == 0.0


@pytest.mark.parametrize("value", ["2.5", "60"])
def test_poll_seconds_takes_any_number_from_0(path: Path, value: str) -> None:
    write(path, f'[profiles.acme]\napi_key_env = "K"\npoll_seconds = {value}\n')
    assert load_config().config.profiles["acme"].poll_seconds == float(value)


@pytest.mark.parametrize("value", ["-1", "true", '"15"', "nan", "inf"])
def test_bad_poll_seconds_are_refused(path: Path, value: str) -> None:
    message = problem(path, f'[profiles.acme]\napi_key_env = "K"\npoll_seconds = {value}\n')
    assert f"{SHOWN}: profiles.acme.poll_seconds: expected seconds, a number from 0" in message


def test_two_key_sources_are_an_error_naming_the_profile(path: Path) -> None:
    message = problem(path, f'[profiles.acme]\napi_key_env = "K"\napi_key = "{SECRET}"\n')
    assert f"{SHOWN}: profiles.acme: expected exactly one key source" in message
    assert "found api_key_env and api_key" in message
    assert SECRET not in message


def test_keys_never_show_in_messages_reprs_or_traceback_locals(path: Path) -> None:
    # A literal key, a mistyped key holding a key, a bad URL carrying a key: all refused.
    write(
        path,
        f'theme = 3\napi_key = "{OTHER_SECRET}"\n[profiles.acme]\napi_key = "{SECRET}"\n'
        f'apikey = "{OTHER_SECRET}"\nbase_url = "https://{SECRET}:@x.example/"\n'
        'tz_offset = "EST"\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config()
    shown = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert "profiles.acme.apikey: unknown key" in shown
    assert "expected no user:password@ in the URL" in shown
    for secret in (SECRET, OTHER_SECRET):
        assert secret not in shown
    assert caught.value.__context__ is None
    assert caught.value.__cause__ is None


def test_a_valid_literal_key_stays_secret(path: Path) -> None:
    write(path, f'[profiles.acme]\napi_key = "{SECRET}"\n')
    loaded = load_config()
    profile = loaded.config.profiles["acme"]
    assert isinstance(profile.api_key, SecretStr)
    assert profile.api_key.get_secret_value() == SECRET
    assert SECRET not in repr(loaded)
    assert SECRET not in str(loaded.config.model_dump())


# -- writing: comments and order survive --------------------------------------------------


def test_adding_a_profile_keeps_comments_and_order(path: Path) -> None:
    write(path, HAND_WRITTEN)
    became_default = add_profile(
        path,
        "acme",
        Profile(api_key_env="CLOSE_ACME_KEY", tz_offset=5.5, theme="gruvbox"),
        make_default=True,
    )
    assert became_default
    text = path.read_text()
    expected = HAND_WRITTEN.replace(
        "# the dark one\n", '# the dark one\ndefault_profile = "acme"\n'
    ) + (
        "\n[profiles.acme]\n"
        'base_url = "https://api.close.com/api/v1/"\n'
        'auth = "api_key"\n'
        'api_key_env = "CLOSE_ACME_KEY"\n'
        "tz_offset = 5.5\n"
        'theme = "gruvbox"\n'
    )
    assert text.rstrip("\n") == expected.rstrip("\n")
    loaded = load_config()
    assert list(loaded.config.profiles) == ["prod", "staging", "acme"]
    assert loaded.config.default_profile == "acme"


def test_default_remove_and_replace_keep_the_rest(path: Path) -> None:
    write(path, HAND_WRITTEN)
    set_default_profile(path, "staging")
    assert 'theme = "nord"  # the dark one\ndefault_profile = "staging"\n' in path.read_text()
    set_default_profile(path, "prod")
    assert path.read_text().count("default_profile") == 1
    with pytest.raises(ConfigError, match=r"already exists.*add --force"):
        add_profile(path, "prod", Profile(api_key_keyring=True))
    add_profile(path, "prod", Profile(api_key_keyring=True), force=True)
    assert list(load_config().config.profiles) == ["prod", "staging"]
    assert load_config().config.profiles["prod"].api_key_keyring
    assert remove_profile(path, "prod")  # it was the default
    text = path.read_text()
    assert "default_profile" not in text
    assert "# from pass(1)" in text
    assert "# My closetui settings" in text
    assert "[keymap]" in text
    with pytest.raises(ConfigError, match="no profile 'prod'"):
        remove_profile(path, "prod")
    with pytest.raises(ConfigError, match=r"no profile 'nope'.*profiles there: staging"):
        set_default_profile(path, "nope")


def test_replacing_a_profile_keeps_its_views_and_comments(path: Path) -> None:
    """``profile add --force`` changes the settings; the views saved under the profile
    and the user's comments in its table are not lost."""
    write(
        path,
        """\
default_profile = "acme"

[profiles.acme]
# the production org: careful
base_url = "https://api.close.com/api/v1/"
api_key_env = "ACME_KEY"
read_only = true

[profiles.acme.views."Won this month"]
status_type = ["won"]
order_by = "-date_won"
""",
    )
    add_profile(path, "acme", Profile(api_key_command="pass show close", tz_offset=5.5), force=True)
    text = path.read_text()
    assert "# the production org: careful" in text
    loaded = load_config().config
    acme = loaded.profiles["acme"]
    assert acme.api_key_command == "pass show close"
    assert acme.api_key_env is None
    assert not acme.read_only  # settings the new profile does not have are gone
    assert acme.tz_offset == 5.5
    assert list(acme.views) == ["Won this month"]
    assert acme.views["Won this month"].order_by == "-date_won"


def test_an_invalid_file_is_never_rewritten(path: Path) -> None:
    write(path, HAND_WRITTEN + "surprise = 1\n")
    before = path.read_text()
    with pytest.raises(ConfigError, match=r"surprise: unknown key"):
        add_profile(path, "acme", Profile(api_key_env="K"))
    assert path.read_text() == before


def test_a_literal_key_is_written_and_read_back(path: Path) -> None:
    add_profile(path, "acme", Profile(api_key=SecretStr(SECRET)))
    assert f'api_key = "{SECRET}"' in path.read_text()
    key = load_config().config.profiles["acme"].api_key
    assert key is not None
    assert key.get_secret_value() == SECRET


# -- file modes --------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_new_file_is_0600_in_a_0700_directory(path: Path) -> None:
    assert not path.parent.exists()
    add_profile(path, "acme", Profile(api_key_env="K"))
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700
    assert load_config().warnings == ()


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_a_file_others_can_read_gets_a_warning_not_a_refusal(path: Path) -> None:
    write(path, HAND_WRITTEN, mode=0o644)
    loaded = load_config()
    assert loaded.config.profiles  # still loaded
    (warning,) = loaded.warnings
    assert warning == (
        f"{SHOWN} is readable by other users (mode 0644) and may hold API keys; "
        f"fix: chmod 600 {SHOWN}"
    )
    set_default_profile(path, "prod")
    assert _mode(path) == 0o644  # the user's choice is kept; the warning stays


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_symlinked_config_stays_a_symlink(path: Path, tmp_path: Path) -> None:
    real = write(tmp_path / "dotfiles" / "closetui.toml", HAND_WRITTEN)
    path.parent.mkdir(parents=True)
    path.symlink_to(real)
    set_default_profile(path, "prod")
    assert path.is_symlink()
    assert 'default_profile = "prod"' in real.read_text()


def test_refused_edits_keep_keys_out_of_tracebacks(path: Path) -> None:
    write(path, f'[profiles.acme]\napi_key = "{SECRET}"\ntz_offset = "EST"\n')
    with pytest.raises(ConfigError) as caught:
        add_profile(path, "beta", Profile(api_key=SecretStr(OTHER_SECRET)))
    shown = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert "profiles.acme.tz_offset: expected hours" in shown
    assert SECRET not in shown
    assert OTHER_SECRET not in shown


def test_a_theme_is_remembered_once_a_default_profile_exists(path: Path) -> None:
    """Choosing a theme in the palette writes the top-level ``theme`` after
    ``default_profile`` (it once crashed: tomlkit 0.15.3 removed the call it used)."""
    from closetui.ui.themes import remember_theme

    text = (
        'default_profile = "acme"  # work\n\n# the only account\n'
        '[profiles.acme]\napi_key_env = "K"\n'
    )
    write(path, text)
    said = remember_theme(path, "acme", "closetui-light")
    assert said == f"Theme closetui-light saved in {SHOWN}."
    assert path.read_text() == text.replace("# work\n", '# work\ntheme = "closetui-light"\n')
    assert load_config().config.theme == "closetui-light"


def test_views_go_before_the_comments_that_head_the_next_table(path: Path) -> None:
    """A view added to a profile with none goes after the profile's settings; the
    comment that ended the profile's table (it heads the next one) moves below it."""
    from closetui.config import View, save_view

    text = '[profiles.acme]\napi_key_env = "K"\n\n# for everyone\n[views.Open]\nquery = "x"\n'
    write(path, text)
    save_view(path, "Mine", View(owner=("Ann",)), profile="acme")
    assert path.read_text() == (
        '[profiles.acme]\napi_key_env = "K"\n\n[profiles.acme.views.Mine]\nowner = "Ann"\n\n'
        '# for everyone\n[views.Open]\nquery = "x"\n'
    )
