"""Notes shown before sending: what Close will do about date_won, pipelines and dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from closetui.api.models import Opportunity
from closetui.edits import Cleared, Draft, Note, OrgSchema, SetTo, notes
from closetui.edits.values import Change

WON_DATE_SALES = {"status_id": "stat_s_won", "status_type": "won", "date_won": "2026-03-01"}
WON_NO_DATE = {"status_id": "stat_s_won", "status_type": "won", "date_won": None}

CASES: list[tuple[str, dict[str, Any], dict[str, Change], float, list[Note]]] = [
    ("into won at +5.5", {}, {"status_id": SetTo("stat_s_won")}, 5.5, [
        Note("won_sets_date_won", "date_won",
             "The server will set date_won to 2026-11-28 (today at UTC+5.5)."),
    ]),
    ("into won at -2.5", {}, {"status_id": SetTo("stat_s_won")}, -2.5, [
        Note("won_sets_date_won", "date_won",
             "The server will set date_won to 2026-11-27 (today at UTC-2.5)."),
    ]),
    ("into won, date on record", {"date_won": "2026-03-01"},
     {"status_id": SetTo("stat_s_won")}, 0, []),
    ("into won, date in draft", {},
     {"status_id": SetTo("stat_s_won"), "date_won": SetTo(date(2026, 11, 2))}, 0, []),
    ("into won, absent date cleared", {},
     {"status_id": SetTo("stat_s_won"), "date_won": Cleared()}, 0, [
        Note("won_sets_date_won", "date_won",
             "The server will set date_won to 2026-11-27 (today at UTC+0)."),
    ]),
    ("into won, recorded date cleared", {"date_won": "2026-03-01"},
     {"status_id": SetTo("stat_s_won"), "date_won": Cleared()}, 5.5, [
        Note("won_date_won_cleared", "date_won",
             "date_won is cleared in the request that moves to Won (Sales); Close may set it "
             "to 2026-11-28 (today at UTC+5.5) instead."),
    ]),
    ("out of won keeps the date", WON_DATE_SALES, {"status_id": SetTo("stat_s_lost")}, 0, [
        Note("unwon_keeps_date_won", "date_won",
             "Leaving Won (Sales) keeps date_won 2026-03-01; clear it if the deal is no "
             "longer won.", "clear_date_won"),
    ]),
    ("out of won, date cleared", WON_DATE_SALES,
     {"status_id": SetTo("stat_s_prop"), "date_won": Cleared()}, 0, []),
    ("out of won without a date", WON_NO_DATE, {"status_id": SetTo("stat_s_lost")}, 0, []),
    ("won to won elsewhere without a date", WON_NO_DATE, {"status_id": SetTo("stat_r_won")}, 0, [
        Note("won_sets_date_won", "date_won",
             "The server will set date_won to 2026-11-27 (today at UTC+0)."),
        Note("pipeline_change", "status_id", "Moves from pipeline Sales to Renewals."),
    ]),
    ("won to won elsewhere with a date", WON_DATE_SALES, {"status_id": SetTo("stat_r_won")}, 0, [
        Note("pipeline_change", "status_id", "Moves from pipeline Sales to Renewals."),
    ]),
    ("pipeline move", {}, {"status_id": SetTo("stat_r_open")}, 0, [
        Note("pipeline_change", "status_id", "Moves from pipeline Sales to Renewals."),
    ]),
    ("date_won on an active status", {}, {"date_won": SetTo(date(2026, 11, 1))}, 0, [
        Note("date_won_not_won", "date_won",
             "date_won is set to 2026-11-01 but Proposal (Sales) is not a won status."),
    ]),
    ("date_won while leaving won", WON_DATE_SALES,
     {"status_id": SetTo("stat_s_lost"), "date_won": SetTo(date(2026, 4, 1))}, 0, [
        Note("date_won_not_won", "date_won",
             "date_won is set to 2026-04-01 but Lost (Sales) is not a won status."),
    ]),
    ("future date_won", WON_DATE_SALES, {"date_won": SetTo(date(2026, 11, 28))}, 0, [
        Note("date_won_in_future", "date_won",
             "date_won 2026-11-28 is in the future (today is 2026-11-27 at UTC+0)."),
    ]),
    ("tomorrow is today at +5.5", WON_DATE_SALES, {"date_won": SetTo(date(2026, 11, 28))}, 5.5,
     []),
    ("same status", WON_DATE_SALES, {"status_id": SetTo("stat_s_won")}, 0, []),
    ("nothing", {}, {}, 0, []),
    ("invalid values do not raise", {},
     {"status_id": SetTo(("x",)), "date_won": SetTo("tomorrow")}, 0, []),
    ("unknown status", {}, {"status_id": SetTo("stat_gone")}, 0, []),
]  # fmt: skip


@pytest.mark.parametrize(
    ("opp_changes", "changes", "offset", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_notes(
    edits_schema_factory: Callable[..., OrgSchema],
    edits_opp_factory: Callable[..., Opportunity],
    opp_changes: dict[str, Any],
    changes: dict[str, Change],
    offset: float,
    expected: list[Note],
) -> None:
    schema = edits_schema_factory(tz_offset=offset)
    opp = edits_opp_factory(**opp_changes)
    assert notes(opp, Draft(changes), schema) == expected


def test_clear_action_resolves_the_unwon_note(
    edits_schema: OrgSchema, edits_opp_factory: Callable[..., Opportunity]
) -> None:
    opp = edits_opp_factory(**WON_DATE_SALES)
    draft = Draft().with_set("status_id", "stat_s_prop")
    [note] = notes(opp, draft, edits_schema)
    assert note.action == "clear_date_won"
    assert notes(opp, draft.with_cleared(note.field), edits_schema) == []
