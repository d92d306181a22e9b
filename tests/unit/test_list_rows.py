"""Compact list rows, marks and the filter prompt (pure parts of the opportunity list)."""

from __future__ import annotations

import gc

import pytest

from closetui.api.models import Opportunity
from closetui.sandbox import SandboxConfig, create_app
from closetui.sandbox.listing import pick_fields
from closetui.ui.list.columns import cell_values
from closetui.ui.list.marks import Marks
from closetui.ui.list.prompt import LineEdit
from closetui.ui.list.rows import LIST_FIELDS, ListRow, row_from_json, row_from_opportunity


@pytest.fixture(scope="module")
def records() -> list[dict[str, object]]:
    """The seeded opportunities of a small sandbox, as it stores them."""
    app = create_app(SandboxConfig(opportunities=120, seed=3))
    return list(app.state.sandbox.opportunities.values())


def test_a_row_from_a_fields_page_equals_one_from_the_full_opportunity(
    records: list[dict[str, object]],
) -> None:
    for record in records:
        listed = row_from_json(pick_fields(record, ",".join(LIST_FIELDS)))
        full = Opportunity.model_validate(record)
        assert listed == row_from_opportunity(full)
        assert cell_values(listed)["lead"][0] == full.lead_name
        assert listed.status_label == full.status_label
        assert listed.date_won == (full.date_won.isoformat() if full.date_won else None)
        assert listed.date_updated == full.date_updated.date().isoformat()


def test_a_row_is_one_tuple_of_strings_and_numbers(records: list[dict[str, object]]) -> None:
    """One object per row for the garbage collector to walk (a model had a dozen)."""
    rows = [row_from_json(pick_fields(r, ",".join(LIST_FIELDS))) for r in records]
    assert isinstance(rows[0], tuple)
    assert not any(gc.is_tracked(value) for row in rows for value in row)
    owners = {id(row.user_name) for row in rows if row.user_name}
    assert len(owners) < 12  # interned: one string per owner, not one per row


def test_a_row_without_lead_name_shows_the_lead_id() -> None:
    row = row_from_json({"id": "oppo_1", "lead_id": "lead_1", "status_id": "stat_1"})
    assert row.lead_name == "lead_1"
    assert row.status_label == "stat_1"
    with pytest.raises(ValueError, match="no id"):
        row_from_json({"lead_name": "Acme"})
    with pytest.raises(ValueError, match="value"):
        row_from_json({"id": "oppo_1", "value": "lots"})


def ids(rows: dict[int, str]) -> object:
    """A ``rows_in`` over a dict of index -> id."""
    return lambda start, stop: [rows[i] for i in range(start, stop) if i in rows]


def test_a_range_marks_rows_between_anchor_and_cursor_and_keeps_earlier_marks() -> None:
    rows = {i: f"oppo_{i}" for i in range(20)}
    marks = Marks()
    marks.toggle("oppo_2")
    marks.start_range(5, "oppo_5")
    marks.move_range(8, ids(rows))  # type: ignore[arg-type]
    assert set(marks.ids) == {"oppo_2", "oppo_5", "oppo_6", "oppo_7", "oppo_8"}
    marks.move_range(1, ids(rows))  # type: ignore[arg-type]  # back past the anchor
    assert set(marks.ids) == {f"oppo_{i}" for i in range(1, 6)}
    marks.move_range(3, ids(rows))  # type: ignore[arg-type]
    assert set(marks.ids) == {"oppo_2", "oppo_3", "oppo_4", "oppo_5"}
    marks.rows_arrived(0, 20, ids({**rows, 4: "oppo_new"}))  # type: ignore[arg-type]
    assert "oppo_new" in marks
    marks.end_range()
    marks.move_range(10, ids(rows))  # type: ignore[arg-type]
    assert "oppo_10" not in marks
    marks.clear()
    assert len(marks) == 0


def test_the_prompt_edits_like_a_shell_line() -> None:
    line = LineEdit()
    for ch in "acme corp":
        assert line.key(ch, ch)
    assert (line.text, line.cursor) == ("acme corp", 9)
    assert line.key("ctrl+w", None)
    assert (line.text, line.cursor) == ("acme ", 5)
    assert line.key("backspace", None)
    assert line.key("home", None)
    assert line.key("x", "x")
    assert (line.text, line.cursor) == ("xacme", 1)
    assert line.key("delete", None)
    assert line.text == "xcme"
    assert line.key("end", None)
    assert line.key("left", None)
    assert line.key("ctrl+k", None)
    assert line.text == "xcm"
    assert line.key("ctrl+u", None)
    assert (line.text, line.cursor) == ("", 0)
    assert not line.key("f1", None)
    assert not line.key("tab", None)
    line.insert("two\nlines")
    assert line.text == "two lines"


def test_list_row_fields_are_what_the_list_requests() -> None:
    row_fields = set(ListRow._fields) - {"search"}
    assert row_fields <= set(LIST_FIELDS)
    assert "note" not in LIST_FIELDS
