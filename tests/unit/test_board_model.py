"""The board's pure parts: column order, moving a status on, sums, header and card text."""

from __future__ import annotations

from dataclasses import dataclass

from closetui.api.pages import DictPage
from closetui.display.board import (
    BoardStatus,
    ColumnSums,
    annualized,
    board_statuses,
    card_texts,
    header_texts,
    step_status,
)


@dataclass
class Row:
    lead_name: str = "Acme"
    status_type: str | None = "active"
    value: int | None = 120_000
    value_currency: str | None = "USD"
    value_period: str | None = "monthly"
    confidence: int | None = 50
    user_name: str | None = "Ada"
    date_won: str | None = None


COLUMNS = board_statuses(
    [
        BoardStatus("s1", "Lead", "active"),
        BoardStatus("w", "Won", "won"),
        BoardStatus("s2", "Demo", "active"),
        BoardStatus("l", "Lost", "lost"),
        BoardStatus("s3", "Proposal", "active"),
    ]
)


def test_columns_are_active_then_won_then_lost_in_the_pipelines_order() -> None:
    assert [c.id for c in COLUMNS] == ["s1", "s2", "s3", "w", "l"]


def test_a_step_goes_to_the_neighbour_and_stops_at_the_ends() -> None:
    assert step_status(COLUMNS, "s3", 1) == COLUMNS[3]
    assert step_status(COLUMNS, "s2", -1) == COLUMNS[0]
    assert step_status(COLUMNS, "l", 1) is None
    assert step_status(COLUMNS, "s1", -1) is None
    assert step_status(COLUMNS, "elsewhere", 1) is None


def test_sums_over_the_rows_read_are_partial_until_every_row_is_read() -> None:
    rows = [Row(), Row(value=50_000, value_period="one_time", confidence=20)]
    some = ColumnSums.from_rows(5, rows)
    assert (some.value, some.expected, some.partial) == (1_490_000, 730_000, True)
    assert not ColumnSums.from_rows(2, rows).partial
    assert annualized(100, "monthly") == 1200
    assert annualized(None, "annual") == 0


def test_headers_say_partial_sums_are_at_least() -> None:
    won = COLUMNS[3]
    assert header_texts(won, ColumnSums.from_server(1234, 1_200_000, 600_000)) == (
        "✓ Won",
        "1,234",
        "$12,000 value",
        "$6,000 expected",
    )
    _, _, value, expected = header_texts(won, ColumnSums(3, 1_200_000, 0, partial=True))
    assert (value, expected) == ("≥ $12,000… value", "≥ $0… expected")
    assert header_texts(won, ColumnSums(None, 0, 0))[1:] == ("…", "", "")


def test_a_card_shows_lead_value_confidence_date_won_when_won_and_owner() -> None:
    assert card_texts(Row()) == ("Acme", "$1,200/mo · 50%", "Ada")
    won = Row(status_type="won", date_won="2026-11-29", value=None, confidence=None)
    assert card_texts(won) == ("Acme", "no value", "won 2026-11-29 · Ada")
    assert card_texts(Row(), "Won")[2] == "→ Won"


def test_a_page_keeps_the_servers_sums() -> None:
    page = DictPage.from_json(
        {
            "data": [],
            "total_results": 0,
            "total_value_annualized": 7,
            "expected_value_annualized": 3,
        }
    )
    assert (page.value_total, page.expected_total) == (7, 3)
    assert DictPage.from_json({"data": []}).value_total is None
