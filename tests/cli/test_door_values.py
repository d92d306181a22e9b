"""``closetui update`` refuses bad values at the door, in process: exit 2, option named."""

from __future__ import annotations

import json

import pytest

from closetui.cli.exit_codes import EXIT_USAGE
from closetui.cli.main import main


@pytest.fixture
def opp_id(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["list", "--demo", "--status-type", "active", "--limit", "1", "--json"]) == 0
    return str(json.loads(capsys.readouterr().out)[0]["id"])


def _update(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(["update", "--demo", *args, "--dry-run"])
    except SystemExit as exc:  # argparse's refusals
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--value", "99999999999999999999999999999999"], "--value: Value: '9999"),
        (["--value", "\u0665\u0660"], "--value: Value: '\u0665\u0660' has digits other than 0-9"),
        (["--value", "\uff15\uff10"], "--value: Value: '\uff15\uff10' has digits other than 0-9"),
        (
            ["--value", "€5"],
            "--value: Value: '€5' is in another currency; this organisation's is USD",
        ),
        (
            ["--confidence", "\u0665\u0660"],
            "--confidence: Confidence: '\u0665\u0660' has digits other than 0-9",
        ),
        (
            ["--date-won", "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0661"],
            "--date-won: Date won: '\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0661' has "
            "digits other",
        ),
        (["--value", ""], "argument --value: empty value; to empty the field use --clear"),
        (["--note", ""], "argument --note: empty value; to empty the field use --clear"),
        (["--note", "  "], "argument --note: empty value"),
        (["--status", ""], "argument --status: empty value"),
        (["--set", "note="], "--set note: empty value; to empty it use --clear FIELD"),
        (["--set", "value= "], "--set value: empty value"),
    ],
)
def test_bad_values_are_usage_errors_naming_the_option(
    capsys: pytest.CaptureFixture[str], opp_id: str, args: list[str], message: str
) -> None:
    code, out, err = _update(capsys, opp_id, *args)
    assert code == EXIT_USAGE
    assert message in err
    assert out == ""


def test_clearing_is_still_clear(capsys: pytest.CaptureFixture[str], opp_id: str) -> None:
    code, out, err = _update(capsys, opp_id, "--note", "kept", "--clear", "value")
    assert code == 0, err
    assert json.loads(out) == {"note": "kept", "value": None}
    code, out, err = _update(capsys, opp_id, "--value", "$1,250.50")
    assert code == 0, err
    assert json.loads(out) == {"value": 125050}
