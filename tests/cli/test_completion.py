"""``closetui completion``: the scripts load in bash and zsh and complete commands,
options and the organisation's names from the cache (never from the network)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from closetui.completion_names import DEFAULT, cache_dir
from closetui.sandbox import DEMO_API_KEY
from tests.cli.conftest import Live
from tests.cli.helpers import closetui, run_closetui

DRIVE_BASH = """
source "$1"; shift
complete -p closetui
COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
_closetui
(( ${#COMPREPLY[@]} )) && printf '%s\\n' "${COMPREPLY[@]}"
true
"""
"""Loads the script, then completes the words given as bash does on a tab press."""


def _script(shell: str) -> Path:
    """The script, made once per test (each test has its own home and cache dir)."""
    path = Path(os.environ["HOME"]) / f"closetui.{shell}"
    if not path.exists():
        made = closetui("completion", shell)
        assert made.code == 0, made.err
        path.write_text(made.out)
    return path


def _bash(*words: str) -> list[str]:
    done = subprocess.run(
        ["bash", "--norc", "-c", DRIVE_BASH, "bash", str(_script("bash")), *words],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    registered, *replies = done.stdout.splitlines()
    assert registered == "complete -F _closetui closetui"
    return replies


def test_bash_completes_commands_options_and_choices() -> None:
    assert "update" in _bash("closetui", "")
    assert _bash("closetui", "up") == ["update"]
    assert _bash("closetui", "list", "--won") == ["--won-after", "--won-before"]
    assert _bash("closetui", "profile", "") == ["add", "list", "remove", "default", "test"]
    assert _bash("closetui", "config", "") == ["path", "edit"]
    assert _bash("closetui", "completion", "") == ["bash", "zsh", "fish"]
    assert _bash("closetui", "update", "--demo", "oppo_x", "--format", "c") == ["curl"]
    assert _bash("closetui", "list", "--won-after", "") == []  # a date to type


def test_bash_completes_the_demos_field_status_and_owner_names() -> None:
    assert _bash("closetui", "update", "--demo", "oppo_x", "--set", "De") == ["Deal\\ Source="]
    assert _bash("closetui", "update", "--demo", "oppo_x", "--clear", "Next") == ["Next\\ Steps"]
    assert _bash("closetui", "update", "--demo", "oppo_x", "--set", '"Pro') == [
        "Products=",
        "Project\\ Code=",
    ]
    assert _bash("closetui", "list", "--demo", "--owner", "Blake") == ["Blake\\ Chen"]
    assert _bash("closetui", "list", "--demo", "--status", "Renewals/W") == ["Renewals/Won"]


def test_a_profile_without_a_cache_completes_nothing_and_calls_nobody() -> None:
    assert not (cache_dir() / "acme").exists()
    assert _bash("closetui", "list", "--profile", "acme", "--owner", "") == []
    assert _bash("closetui", "list", "--owner", "") == []  # the default profile, no cache


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_loads_the_script_and_completes_a_field_name() -> None:
    script = _script("zsh")
    drive = f"""
source {script}
print -r -- "registered: $_comps[closetui]"
COMP_WORDS=(closetui update --demo oppo_x --set Deal); COMP_CWORD=5
emulate sh -c _closetui  # as zsh's bashcompinit runs it on a tab press
print -rl -- $COMPREPLY
"""
    done = subprocess.run(
        ["zsh", "-f", "-c", drive], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.splitlines() == ["registered: _bash_complete -F _closetui", "Deal\\ Source"]


def test_the_fish_script_names_every_command_and_reads_the_cache() -> None:
    made = closetui("completion", "fish")
    assert made.code == 0
    assert (
        "complete -c closetui -n '__closetui_is update' -l set -r -a '(__closetui_names fields)'"
        in made.out
    )
    assert f"set -g __closetui_cache {cache_dir()}" in made.out
    if shutil.which("fish"):
        subprocess.run(["fish", "--no-execute", "-c", made.out], check=True, timeout=60)


def _profile_config(tmp_path: Path, live: Live) -> dict[str, str]:
    config = tmp_path / "config.toml"
    config.write_text(
        'default_profile = "acme"\n[profiles.acme]\n'
        f'base_url = "{live.url}"\napi_key_env = "ACME_KEY"\ntz_offset = 0\n'
    )
    config.chmod(0o600)
    return {**os.environ, "CLOSETUI_CONFIG": str(config), "ACME_KEY": DEMO_API_KEY}


def test_a_command_that_loads_the_org_keeps_its_names_for_the_profile_and_default(
    tmp_path: Path, live: Live
) -> None:
    env = _profile_config(tmp_path, live)
    opp = json.loads(run_closetui(("list", "--limit", "1", "--json"), env).out)[0]["id"]
    assert not (cache_dir() / "acme").exists()  # a plain list needs no names
    got = run_closetui(("get", opp), env)
    assert got.code == 0, got.err
    for folder in ("acme", DEFAULT):
        assert "Deal Source\n" in (cache_dir() / folder / "fields").read_text()
    assert _bash("closetui", "list", "--profile", "acme", "--owner", "Case") == ["Casey\\ Rivera"]
    assert _bash("closetui", "update", "oppo_x", "--add", "Prod") == ["Products="]
    # the file is private, as the org's names are its data
    assert oct((cache_dir() / "acme" / "owners").stat().st_mode & 0o777) == "0o600"


def test_printing_the_script_does_not_need_the_network_or_a_profile() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "closetui", "completion", "bash"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "CLOSETUI_CONFIG": "/nonexistent/config.toml", "HTTPS_PROXY": "http://127.0.0.1:9"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "complete -F _closetui closetui" in done.stdout


async def test_the_app_keeps_the_names_once_it_has_loaded_the_org() -> None:
    from tests.ui.helpers import app_for, demo, running

    assert not (cache_dir() / "demo").exists()
    async with running(app_for(demo(20))) as pilot:
        await pilot.app.workers.wait_for_complete()
    assert "Renewals/Won\n" in (cache_dir() / "demo" / "statuses").read_text()
    assert "blake.chen@sandbox.example\n" in (cache_dir() / "demo" / "owners").read_text()
