"""``closetui list`` never cuts the list short in silence: --all, --limit, --format."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from closetui.api.query import OpportunityQuery
from closetui.cli.main import main
from closetui.cli.read import fetch_listed
from closetui.connect import demo_connection
from closetui.export import COLUMNS
from tests.cli.helpers import Live, closetui


def test_demo_all_as_csv_writes_every_row() -> None:
    """The issue's check: a header and all 300 demo opportunities, nothing said on stderr."""
    done = closetui("list", "--demo", "--all", "--format", "csv")
    assert done.code == 0, done.err
    lines = done.out.splitlines()
    assert len(lines) == 301
    rows = list(csv.DictReader(io.StringIO(done.out)))
    assert tuple(rows[0]) == COLUMNS
    assert len({row["id"] for row in rows}) == 300
    assert "shown" not in done.err


def test_a_page_says_how_many_more_match() -> None:
    done = closetui("list", "--demo", "--limit", "7")
    assert done.code == 0, done.err
    assert len(done.out.splitlines()) == 1 + 7  # the header, then the rows
    assert "7 of 300 shown (use --all or --limit N)" in done.err


def test_the_default_is_100_and_says_so() -> None:
    done = closetui("list", "--demo", "--format", "ndjson")
    assert done.code == 0, done.err
    assert len(done.out.splitlines()) == 100
    assert "100 of 300 shown" in done.err


def test_nothing_is_said_when_everything_was_shown(live: Live) -> None:
    done = live.run("list", "--limit", "100", "--format", "csv")
    assert done.code == 0, done.err
    assert len(done.out.splitlines()) == 1 + 40
    assert done.err == ""


def test_ndjson_and_json_are_full_opportunities(live: Live) -> None:
    lines = live.run("list", "--all", "--format", "ndjson").out.splitlines()
    as_list = json.loads(live.run("list", "--all", "--format", "json").out)
    assert [json.loads(line) for line in lines] == as_list
    assert len(as_list) == 40
    stored = live.sandbox.get_opportunity(as_list[0]["id"])
    assert as_list[0]["organization_id"] == stored["organization_id"]  # not only the columns


def test_json_flag_is_format_json_and_refuses_another_format() -> None:
    assert json.loads(closetui("list", "--demo", "--limit", "2", "--json").out)
    clash = closetui("list", "--demo", "--json", "--format", "csv")
    assert clash.code == 2
    assert "--json" in clash.err


def test_all_and_limit_exclude_each_other() -> None:
    both = closetui("list", "--demo", "--all", "--limit", "3")
    assert both.code == 2
    assert "--all" in both.err
    assert "--limit" in both.err


def test_the_help_names_every_csv_column(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["list", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    listed = shown.split("csv: a header, then the columns ")[1].split(" (a flat file")[0]
    names = [word.split(" (")[0] for word in listed.split(", ")]
    assert tuple(names) == COLUMNS


async def test_all_counts_the_pages_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    """On a terminal --all keeps one line going on stderr, and wipes it at the end."""
    async with demo_connection(opportunities=250).client() as client:
        listed = await fetch_listed(client, OpportunityQuery(), None, progress=True)
    err = capsys.readouterr().err
    assert len(listed.opportunities) == 250
    assert not listed.more
    counts = re.findall(r"\rclosetui: fetched ([\d,]+) of 250…", err)
    assert counts == ["100", "200", "250"]
    assert err.endswith("\r\x1b[K")


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """``closetui list --all | head -1``: the pipe closes under the writer (300 full
    opportunities are far more than a pipe buffers); a shell's 141, and no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "closetui", "list", "--demo", "--all", "--format", "ndjson"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert json.loads(first)["id"].startswith("oppo_")
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
