"""``closetui --version``, the version in ``--help``, and what works without the extras."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version as distribution_version

import pytest

import closetui
from closetui import version
from closetui.cli.main import main


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"closetui {distribution_version('closetui')}\n"
    assert distribution_version("closetui") == closetui.__version__


def test_version_as_a_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "closetui", "--version"], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"closetui {version()}\n", "")


def test_without_metadata_the_package_version_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert version() == closetui.__version__


@pytest.mark.parametrize("argv", [["--help"], ["profile", "--help"]])
def test_help_ends_with_the_version(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert out.endswith(f"\nclosetui {version()}\n")
    assert ("--version  " in out) == (argv == ["--help"])  # the option is the top level's


HIDE_UVICORN = "import sys; sys.modules['uvicorn'] = None\nfrom closetui.cli.main import main\n"


def test_sandbox_without_uvicorn_says_what_to_install() -> None:
    done = run_python(HIDE_UVICORN + "raise SystemExit(main(['sandbox', '--port', '0']))")
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("closetui: closetui sandbox serves over TCP with uvicorn")
    assert "pip install 'closetui[sandbox]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_demo_needs_no_uvicorn() -> None:
    done = run_python(
        HIDE_UVICORN + "raise SystemExit(main(['list', '--demo', '--limit', '2', '--json']))"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count('"id": "oppo_') == 2


def test_the_package_and_its_metadata_agree_on_the_version() -> None:
    import tomllib

    from tests.conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == closetui.__version__
