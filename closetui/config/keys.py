"""Key sources: a profile's environment variable, command, keyring entry or literal key."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import PurePath
from types import ModuleType
from typing import Literal

from pydantic import SecretStr

from closetui.api.credentials import AuthKind, Credential, Secret
from closetui.config.errors import KeySourceError
from closetui.config.model import Profile, command_argv

KEYRING_SERVICE = "closetui"
"""The OS keyring service name; the username is the profile name."""
KEYRING_HINT = (
    "install the keyring extra: pip install 'closetui[keyring]' "
    "(with pipx: pipx inject closetui keyring)"
)
COMMAND_TIMEOUT = 60.0
"""Seconds an ``api_key_command`` may take (long enough to type a GPG passphrase)."""

KeySourceKind = Literal["env", "command", "keyring", "literal"]

# Long unbroken tokens in a failing command's stderr could be a key: they are never shown.
_TOKENISH = re.compile(r"[A-Za-z0-9_\-+=.~]{16,}")


def source_kind(profile: Profile) -> KeySourceKind:
    """``env``, ``command``, ``keyring`` or ``literal``."""
    kinds: dict[str, KeySourceKind] = {
        "api_key_env": "env",
        "api_key_command": "command",
        "api_key_keyring": "keyring",
        "api_key": "literal",
    }
    return kinds[profile.sources()[0]]


def describe_source(profile: Profile) -> str:
    """Where the key comes from, safe to print: ``env VAR``, ``command (pass)``, ..."""
    kind = source_kind(profile)
    if kind == "env":
        return f"env {profile.api_key_env}"
    if kind == "command" and profile.api_key_command is not None:
        # Only the program: the arguments are the user's business (and could hold anything).
        return f"command ({PurePath(command_argv(profile.api_key_command)[0]).name})"
    return kind


def resolve_credential(
    name: str,
    profile: Profile,
    *,
    environ: Mapping[str, str] | None = None,
    timeout: float = COMMAND_TIMEOUT,
) -> Credential:
    """The profile's credential, read from its one key source.

    Raises KeySourceError naming the profile and the source; the message never contains
    the key, and no raised exception keeps it in a local variable.
    """
    kind = source_kind(profile)
    if kind == "env":
        return _from_env(name, profile, os.environ if environ is None else environ)
    if kind == "command":
        return _from_command(name, profile, timeout)
    if kind == "keyring":
        return _from_keyring(name, profile)
    assert profile.api_key is not None
    return Credential(Secret(profile.api_key.get_secret_value()), profile.auth)


def keyring_module() -> ModuleType:
    """The ``keyring`` package, or KeySourceError saying how to install it."""
    try:
        import keyring
    except ImportError:
        pass
    else:
        return keyring
    raise KeySourceError(f"the OS keyring needs the keyring package; {KEYRING_HINT}")


def store_in_keyring(name: str, secret: SecretStr) -> None:
    """Save a profile's key in the OS keyring (service ``closetui``, username ``name``)."""
    keyring = keyring_module()
    failure = ""
    try:
        keyring.set_password(KEYRING_SERVICE, name, secret.get_secret_value())
    except Exception as exc:  # keyring backends raise many kinds
        failure = _keyring_failure(exc)
    else:
        return
    raise KeySourceError(f"profile {name}: could not save the key in the OS keyring: {failure}")


def _from_env(name: str, profile: Profile, environ: Mapping[str, str]) -> Credential:
    got = _read_env(profile.api_key_env or "", environ, profile.auth)
    if isinstance(got, Credential):
        return got
    raise KeySourceError(f"profile {name}: the environment variable {got} (api_key_env)")


def _read_env(variable: str, environ: Mapping[str, str], auth: AuthKind) -> Credential | str:
    value = environ.get(variable, "").strip()
    if value:
        return Credential(Secret(value), auth)
    return f"{variable} is empty" if variable in environ else f"{variable} is not set"


def _from_command(name: str, profile: Profile, timeout: float) -> Credential:
    assert profile.api_key_command is not None
    got = _run_key_command(command_argv(profile.api_key_command), profile.auth, timeout)
    if isinstance(got, Credential):
        return got
    # The command's output lived only in _run_key_command's frame, which is gone now.
    raise KeySourceError(f"profile {name}: api_key_command failed: {got}")


def _run_key_command(argv: list[str], auth: AuthKind, timeout: float) -> Credential | str:
    """The credential from the command's first line of output, or why there is none."""
    program = argv[0]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return f"command not found: {program}"
    except PermissionError:
        return f"not allowed to run {program}"
    except subprocess.TimeoutExpired:
        return f"{program} did not finish within {timeout:g}s"
    except OSError as exc:
        return f"could not run {program}: {exc.strerror or 'error'}"
    if done.returncode != 0:
        why = summarise_stderr(done.stderr, done.stdout)
        return f"{program} exited with status {done.returncode}" + (f": {why}" if why else "")
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    # The first line: `pass` keeps the password first and notes after it.
    if lines and lines[0].strip():
        return Credential(Secret(lines[0].strip()), auth)
    return f"{program} printed nothing on stdout"


def summarise_stderr(stderr: bytes, stdout: bytes = b"") -> str:
    """The last line of a failing command's stderr, cut short, with key-like tokens hidden."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    text = lines[-1]
    for printed in stdout.decode("utf-8", "replace").split():
        if len(printed) >= 4:
            text = text.replace(printed, "[hidden]")
    text = _TOKENISH.sub("[hidden]", text)
    return text if len(text) <= 160 else text[:157] + "..."


def _from_keyring(name: str, profile: Profile) -> Credential:
    got = _read_keyring(keyring_module(), name, profile.auth)
    if isinstance(got, Credential):
        return got
    raise KeySourceError(f"profile {name}: OS keyring: {got}")


def _read_keyring(keyring: ModuleType, name: str, auth: AuthKind) -> Credential | str:
    """The credential stored for the profile, or why there is none."""
    try:
        found = keyring.get_password(KEYRING_SERVICE, name)
    except Exception as exc:  # keyring backends raise many kinds
        return _keyring_failure(exc)
    if found and found.strip():
        return Credential(Secret(found.strip()), auth)
    return (
        f"no key stored for service {KEYRING_SERVICE!r}, username {name!r}; "
        f"store one with: closetui profile add {name} --keyring --force"
    )


def _keyring_failure(exc: Exception) -> str:
    text = str(exc).split("\n", 1)[0].strip() or type(exc).__name__
    return _TOKENISH.sub("[hidden]", text) if len(text) < 300 else type(exc).__name__
