"""Values that start with ``-`` (``-1w``, ``-date_updated``) after a space, as after ``=``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from closetui.cli.args import DASH_VALUES, join_dash_values
from closetui.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("option", "value"),
    [("--won-after", "-1y"), ("--won-before", "-1w"), ("--order-by", "-date_updated")],
)
def test_list_takes_a_dash_value_after_a_space_as_after_an_equals_sign(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    base = ("list", "--demo", "--tz-offset", "0", "--status-type", "won", "--json")
    spaced = _run(capsys, *base, option, value)
    joined = _run(capsys, *base, f"{option}={value}")
    assert spaced[0] == 0, spaced[2]
    assert spaced == joined
    assert json.loads(spaced[1])  # some rows, so the two runs compare something


def test_order_by_a_dash_field_sorts_descending(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "list", "--demo", "--order-by", "-value", "--json")
    assert code == 0, err
    values = [row["value"] or 0 for row in json.loads(out)]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize("spelling", [["--date-won", "-1w"], ["--date-won=-1w"]])
def test_update_date_won_takes_a_dash_shift_both_ways(
    capsys: pytest.CaptureFixture[str], spelling: list[str]
) -> None:
    code, out, _ = _run(capsys, "list", "--demo", "--limit", "1", "--json")
    opp = json.loads(out)[0]["id"]
    code, out, err = _run(
        capsys, "update", "--demo", "--tz-offset", "0", opp, *spelling, "--dry-run"
    )
    assert code == 0, err
    week_ago = datetime.now(UTC).date() - timedelta(days=7)
    assert json.loads(out)["date_won"] == week_ago.isoformat()


def test_a_missing_value_is_still_missing(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["list", "--demo", "--order-by", "--json"])
    assert exited.value.code == 2
    assert "argument --order-by: expected one argument" in capsys.readouterr().err


def test_only_the_date_and_order_options_join_and_only_values_of_their_shape() -> None:
    assert set(DASH_VALUES) == {"--won-after", "--won-before", "--date-won", "--order-by"}
    assert join_dash_values(["--won-after", "-1m", "--order-by", "-value"]) == [
        "--won-after=-1m",
        "--order-by=-value",
    ]
    kept = ["--order-by", "--json", "--won-after", "-h", "--query", "-1w", "--date-won"]
    assert join_dash_values(kept) == kept
    assert join_dash_values(["--date-won", "-3 days"]) == ["--date-won=-3 days"]


@pytest.mark.parametrize("command", ["list", "update"])
def test_help_shows_the_dash_forms(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "-1w" in shown
    if command == "list":
        assert "-date_updated" in shown
