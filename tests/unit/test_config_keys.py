"""Key sources: env, command, keyring, literal; failures say why and never show the key."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from closetui.config import (
    KeySourceError,
    Profile,
    describe_source,
    resolve_credential,
    source_kind,
    store_in_keyring,
)
from closetui.config.keys import summarise_stderr

KEY = "api_5xQm2Rk9TzP4wLs8NcV1bYhD7gFj3eAu"
"""Looks like a Close key: long, unbroken."""


def failure(name: str, profile: Profile, **options: Any) -> KeySourceError:
    with pytest.raises(KeySourceError) as caught:
        resolve_credential(name, profile, **options)
    error = caught.value
    shown = "".join(
        traceback.TracebackException.from_exception(error, capture_locals=True).format()
    )
    assert KEY not in shown  # not in the message, and not in any frame's locals
    assert error.__context__ is None
    return error


def script(tmp_path: Path, body: str) -> list[str]:
    """A Python script as an api_key_command; it reads the key from a file, never argv."""
    (tmp_path / "key.txt").write_text(KEY)
    path = tmp_path / "keycmd.py"
    path.write_text(f"import sys, time\nKEY = open({str(tmp_path / 'key.txt')!r}).read()\n{body}")
    return [sys.executable, str(path)]


# -- environment variable ------------------------------------------------------------------


def test_env_source_reads_and_strips_the_variable() -> None:
    profile = Profile(api_key_env="ACME_KEY")
    credential = resolve_credential("acme", profile, environ={"ACME_KEY": f"  {KEY}\n"})
    assert credential.secret.get_secret_value() == KEY
    assert credential.kind == "api_key"
    assert KEY not in repr(credential)


def test_env_source_missing_or_empty_variable() -> None:
    profile = Profile(api_key_env="ACME_KEY")
    assert str(failure("acme", profile, environ={})) == (
        "profile acme: the environment variable ACME_KEY is not set (api_key_env)"
    )
    assert str(failure("acme", profile, environ={"ACME_KEY": " "})) == (
        "profile acme: the environment variable ACME_KEY is empty (api_key_env)"
    )


def test_env_source_uses_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_OAUTH", KEY)
    credential = resolve_credential("acme", Profile(api_key_env="ACME_OAUTH", auth="oauth"))
    assert credential.kind == "oauth"
    assert credential.header_value() == f"Bearer {KEY}"


# -- command -------------------------------------------------------------------------------


def test_command_source_takes_the_first_line(tmp_path: Path) -> None:
    argv = script(tmp_path, 'print(KEY)\nprint("login: alex@example.com")\n')
    credential = resolve_credential("acme", Profile(api_key_command=argv))
    assert credential.secret.get_secret_value() == KEY


def test_command_given_as_a_string_is_split_without_a_shell(tmp_path: Path) -> None:
    argv = script(tmp_path, "print(KEY + sys.argv[1])\n")
    # A shell would expand $HOME and stop at ';': without one, both are plain text.
    command = f'"{argv[0]}" "{argv[1]}" "$HOME;x"'
    credential = resolve_credential("acme", Profile(api_key_command=command))
    assert credential.secret.get_secret_value() == KEY + "$HOME;x"


def test_failing_command_is_summarised_without_the_key(tmp_path: Path) -> None:
    argv = script(
        tmp_path,
        "print(KEY)\n"
        "print('gpg: decrypting with', KEY, file=sys.stderr)\n"
        "print('gpg: decryption failed: No secret key', KEY, file=sys.stderr)\n"
        "sys.exit(2)\n",
    )
    error = failure("acme", Profile(api_key_command=argv))
    program = Path(sys.executable).as_posix()
    assert str(error) == (
        f"profile acme: api_key_command failed: {program} exited with status 2: "
        "gpg: decryption failed: No secret key [hidden]"
    )


def test_command_not_found_empty_output_and_timeout(tmp_path: Path) -> None:
    missing = failure("acme", Profile(api_key_command="no-such-program-zq show close"))
    assert str(missing) == (
        "profile acme: api_key_command failed: command not found: no-such-program-zq"
    )
    silent = failure("acme", Profile(api_key_command=script(tmp_path, "pass\n")))
    assert str(silent).endswith("printed nothing on stdout")
    slow = script(tmp_path, "print(KEY, flush=True)\ntime.sleep(10)\n")
    late = failure("acme", Profile(api_key_command=slow), timeout=1.0)
    assert str(late).endswith("did not finish within 1s")


def test_stderr_summary_hides_key_like_tokens() -> None:
    assert summarise_stderr(b"") == ""
    assert summarise_stderr(b"first\n\nError: close/acme is not in the password store.\n") == (
        "Error: close/acme is not in the password store."
    )
    assert summarise_stderr(f"bad key {KEY}".encode()) == "bad key [hidden]"
    assert summarise_stderr(b"token=abc12 rejected", b"abc12\n") == "token=[hidden] rejected"
    assert len(summarise_stderr(b"x " * 200)) <= 160


# -- literal -------------------------------------------------------------------------------


def test_literal_key_is_the_last_resort() -> None:
    profile = Profile(api_key=SecretStr(KEY))
    assert resolve_credential("acme", profile).secret.get_secret_value() == KEY
    assert KEY not in repr(profile)
    assert (source_kind(profile), describe_source(profile)) == ("literal", "literal")


def test_source_descriptions_never_show_command_arguments() -> None:
    assert describe_source(Profile(api_key_env="ACME_KEY")) == "env ACME_KEY"
    assert describe_source(Profile(api_key_command="pass show close/acme")) == "command (pass)"
    assert describe_source(Profile(api_key_command=["/usr/bin/op", "read", "x"])) == "command (op)"
    assert describe_source(Profile(api_key_keyring=True)) == "keyring"


# -- keyring -------------------------------------------------------------------------------


def test_keyring_not_installed_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    error = failure("acme", Profile(api_key_keyring=True))
    assert "pip install 'closetui[keyring]'" in str(error)
    with pytest.raises(KeySourceError, match=r"pipx inject closetui keyring"):
        store_in_keyring("acme", SecretStr(KEY))


@pytest.fixture
def fake_keyring() -> Iterator[Any]:
    """An in-memory keyring backend (keyring is in the dev extra; skipped without it)."""
    keyring = pytest.importorskip("keyring")
    from keyring.backend import KeyringBackend
    from keyring.errors import KeyringError, PasswordDeleteError

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}
            self.broken = False

        def get_password(self, service: str, username: str) -> str | None:
            if self.broken:
                raise KeyringError("the keyring is locked")
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            if self.store.pop((service, username), None) is None:
                raise PasswordDeleteError(username)

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keyring_source_reads_service_closetui_user_profile(fake_keyring: Any) -> None:
    profile = Profile(api_key_keyring=True)
    error = failure("acme", profile)
    assert str(error) == (
        "profile acme: OS keyring: no key stored for service 'closetui', username 'acme'; "
        "store one with: closetui profile add acme --keyring --force"
    )
    store_in_keyring("acme", SecretStr(KEY))
    assert fake_keyring.store == {("closetui", "acme"): KEY}
    assert resolve_credential("acme", profile).secret.get_secret_value() == KEY
    fake_keyring.broken = True
    assert str(failure("acme", profile)) == "profile acme: OS keyring: the keyring is locked"
