"""The edit pane and the live preview: statuses, date_won, custom fields, exact bodies."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.syntax import Syntax
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Static

from closetui.api.models import Opportunity
from closetui.sandbox import field_id
from closetui.ui.widgets.multi_row import ItemChip
from tests.ui.helpers import (
    CloseTUI,
    Connection,
    app_for,
    demo,
    first_matching,
    focus_control,
    main,
    open_row,
    pick,
    preview_body,
    replace_text,
    row,
    row_diff,
    row_message,
    settle,
    type_text,
)

PRODUCTS = "custom." + field_id("Products")
SEATS = "custom." + field_id("Seats")
PROJECT = "custom." + field_id("Project Code")
GO_LIVE = "custom." + field_id("Expected Go-Live")
COLLABORATORS = "custom." + field_id("Collaborators")


def shown_body(app: Any) -> str:
    """The JSON text the preview widget shows."""
    group = app.main.query_one("#preview-request", Static).content
    assert isinstance(group, Group)
    syntax = group.renderables[1]
    assert isinstance(syntax, Syntax)
    return syntax.code


def shown_notes(app: Any) -> str:
    """The notes under the request."""
    return str(app.main.query_one("#preview-notes", Static).content)


def active_without_date_won(opp: Opportunity) -> bool:
    return opp.status_type == "active" and opp.date_won is None and opp.pipeline_name == "Sales"


async def test_won_status_shows_the_date_won_note(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any]
) -> None:
    index = first_matching(app, active_without_date_won)
    await open_row(pilot, index)
    assert preview_body(app) == {}
    assert "Nothing to send" in shown_notes(app)
    await pick(pilot, "status_id", "sales won")
    won = connection.sandbox.status_id("Sales", "Won")
    assert preview_body(app) == {"status_id": won}
    assert shown_body(app) == json.dumps({"status_id": won}, indent=2)
    assert "The server will set date_won to 2026-11-28" in shown_notes(app)
    assert "→ Won (Sales)" in row_diff(app, "status_id")
    view = main(app).edit_state.view  # type: ignore[union-attr]
    assert view is not None
    assert view.method == "PUT"
    assert view.url.endswith(f"/opportunity/{main(app).edit_state.opportunity.id}/")  # type: ignore[union-attr]
    assert view.header("x-tz-offset") == "0"
    assert view.header("authorization") == "Basic ***"


async def test_status_picker_groups_by_pipeline_and_marks_won_and_lost(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await focus_control(pilot, "status_id")
    await pilot.press("enter")
    await pilot.pause()
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    assert prompts[0] == "Sales"
    assert "Renewals" in prompts
    assert any(p.strip().startswith("Won") and "won" in p for p in prompts)
    assert any(p.strip().startswith("Churned") and "lost" in p for p in prompts)
    start = options.highlighted
    assert start is not None
    await pilot.press("down", "down", "up")  # moves while the filter input has the focus
    assert options.highlighted is not None
    assert options.highlighted > start
    assert isinstance(app.focused, Input)
    await pilot.press("escape")
    await settle(pilot)
    assert preview_body(app) == {}


async def test_date_won_is_validated_in_place_and_can_be_cleared(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    index = first_matching(app, lambda o: o.status_type == "won" and o.date_won is not None)
    await open_row(pilot, index)
    opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
    await replace_text(pilot, "date_won", "2026-13-01")
    assert "not a valid date" in row_message(app, "date_won")
    assert preview_body(app) == {}
    assert "1 field to fix" in shown_notes(app)
    await replace_text(pilot, "date_won", "yesterday")
    assert row_message(app, "date_won") == ""
    assert preview_body(app) == {"date_won": "2026-11-27"}
    await pilot.press("f3")
    await settle(pilot)
    assert preview_body(app) == {"date_won": None}
    assert row_diff(app, "date_won") == f"{opp.date_won.isoformat()} → (cleared)"  # type: ignore[union-attr]
    await pilot.press("f4")
    await settle(pilot)
    assert preview_body(app) == {}
    assert row_diff(app, "date_won") == ""


def has_products(opp: Opportunity) -> bool:
    items = opp.custom_value(field_id("Products")) or []
    return len(items) >= 2 and "SMS" not in items and opp.custom_value(field_id("Seats"))


async def test_custom_fields_set_add_remove_and_clear_give_the_exact_body(
    app: CloseTUI, pilot: Pilot[Any]
) -> None:
    await open_row(pilot, first_matching(app, has_products))
    opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
    products = opp.custom_value(field_id("Products"))

    await pick(pilot, PRODUCTS, "SMS")
    assert preview_body(app) == {PRODUCTS + ".add": "SMS"}
    assert "(+SMS)" in row_diff(app, PRODUCTS)

    await pilot.press("f4")
    await settle(pilot)
    assert preview_body(app) == {}

    chips = list(row(app, PRODUCTS).query(ItemChip))
    assert [c.item for c in chips] == products
    chips[0].focus()
    await pilot.press("delete")
    await settle(pilot)
    assert preview_body(app) == {PRODUCTS + ".remove": products[0]}
    removed = [c for c in row(app, PRODUCTS).query(ItemChip) if c.state == "removed"]
    assert [c.item for c in removed] == [products[0]]

    await pilot.press("f3")
    await settle(pilot)
    assert preview_body(app) == {PRODUCTS: None}

    await replace_text(pilot, PROJECT, "PX-42")
    await focus_control(pilot, SEATS)
    await pilot.press("f3")
    await replace_text(pilot, GO_LIVE, "+3d")
    expected = {PROJECT: "PX-42", SEATS: None, GO_LIVE: "2026-12-01", PRODUCTS: None}
    assert preview_body(app) == expected
    body = json.loads(shown_body(app))
    assert body == expected
    order = [k for k in (PRODUCTS, PROJECT, SEATS, GO_LIVE) if k in body]
    assert list(body) == order
    for key in expected:
        assert row(app, key).has_class("-changed")


async def test_multi_user_field_adds_from_the_users(
    connection: Connection, app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    have = opened.custom_value(field_id("Collaborators")) or []
    harper = connection.sandbox.user_id_by_name("Harper")
    assert harper not in have
    await pick(pilot, COLLABORATORS, "Harper")
    key = COLLABORATORS + (".add" if have else "")
    assert preview_body(app) == {key: harper if have else [harper]}
    assert "Harper Lindqvist" in row_diff(app, COLLABORATORS)


async def test_a_draft_survives_moving_to_another_opportunity(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "confidence", "77")
    assert preview_body(app) == {"confidence": 77}
    await pilot.press("escape")
    await open_row(pilot, 1)
    assert preview_body(app) == {}
    first = main(app).query_one("#list").cache.row(0)  # type: ignore[attr-defined]
    assert first.id in main(app).drafts
    await pilot.press("escape")
    await open_row(pilot, 0)
    assert preview_body(app) == {"confidence": 77}


async def test_s_in_the_list_goes_straight_to_the_status_picker() -> None:
    connection = demo()
    app = app_for(connection)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        index = first_matching(app, active_without_date_won)
        listing_widget = main(app).query_one("#list")
        listing_widget.go_to(index)  # type: ignore[attr-defined]
        await pilot.press("s")
        await settle(pilot)
        from closetui.ui.widgets.picker_screen import PickerScreen

        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "sales lost")
        await pilot.press("enter")
        await settle(pilot)
        assert preview_body(app) == {"status_id": connection.sandbox.status_id("Sales", "Lost")}
        assert app.focused is not None
        assert app.focused.id == "control-status_id"


async def test_the_edit_pane_refuses_what_the_cli_refuses(app: CloseTUI, pilot: Pilot[Any]) -> None:
    await open_row(pilot, first_matching(app, lambda o: o.custom_value(field_id("Seats"))))
    for key, text, message in [
        ("value", "€5", "Value: '€5' is in another currency; this organisation's is USD ($)."),
        (
            "value",
            "\u0665\u0660",
            "Value: '\u0665\u0660' has digits other than 0-9; type ASCII 0-9.",
        ),
        ("value", "9" * 32, "is more than Close can store"),
        ("confidence", "\uff15\uff10", "Confidence: '\uff15\uff10' has digits other than 0-9"),
        (SEATS, "1e19", "Seats: '1e19' is larger than Close can store"),
    ]:
        await replace_text(pilot, key, "")
        assert pilot.app.focused is not None
        # A terminal delivers pasted text as one Paste event: what a user pasting
        # "€5" or Arabic-Indic digits from a document produces.
        pilot.app.focused.post_message(events.Paste(text))
        await settle(pilot)
        assert message in row_message(app, key)
        assert preview_body(app) == {}
    await replace_text(pilot, "value", "$5")
    assert row_message(app, "value") == ""
    assert preview_body(app)["value"] == 500
