"""Helpers for the CLI tests: closetui run as a subprocess, against a live sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from closetui.sandbox import DEMO_API_KEY, Sandbox


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_closetui(args: tuple[str, ...], env: dict[str, str]) -> Run:
    """``python -m closetui ARGS`` in a subprocess with exactly ``env``."""
    done = subprocess.run(
        [sys.executable, "-m", "closetui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def closetui(*args: str, key: str | None = None) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "CLOSE_API_KEY"}
    if key is not None:
        env["CLOSE_API_KEY"] = key
    return run_closetui(args, env)


@dataclass
class Live:
    url: str
    sandbox: Sandbox

    def run(self, *args: str, key: str = DEMO_API_KEY) -> Run:
        command, *rest = args
        return closetui(command, "--base-url", self.url, "--tz-offset", "0", *rest, key=key)
