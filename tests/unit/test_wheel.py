"""The wheel carries the built-in themes: build it, install it in a fresh venv, list them."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from closetui.theme_files import builtin_themes
from tests.conftest import ROOT


def run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None,
    reason="needs hatchling to build without network: pip install -e '.[dev]'",
)
def test_the_installed_wheel_lists_the_built_in_themes(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # No build isolation: hatchling from this environment, so no download is needed.
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
        "-w", dist, ROOT)  # fmt: skip
    (wheel,) = dist.glob("closetui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"closetui/_themes/{name}.toml" for name in builtin_themes()}
    assert expected <= names

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
        "--no-index", wheel)  # fmt: skip
    # -I: ignore PYTHONPATH and the current directory; no textual, pydantic, ... installed.
    listed = run(
        python, "-I", "-c",
        "import json; from closetui.theme_files import builtin_theme_dir, builtin_themes; "
        "print(json.dumps([str(builtin_theme_dir()), sorted(builtin_themes())]))",
        cwd=tmp_path,
    )  # fmt: skip
    where, themes = json.loads(listed)
    assert themes == sorted(builtin_themes())
    assert Path(where).parts[-2:] == ("closetui", "_themes")
    assert str(venv) in where
