"""Opening another opportunity reuses the editor's rows: every row shows the new one's
values, drafts stay with their own opportunity, and nothing of the old one leaks."""

from __future__ import annotations

from textual.widgets import Input, Label, Static, TextArea

from closetui.display.field_values import describe
from closetui.edits import current_value, format_input
from closetui.sandbox import field_id
from closetui.ui.widgets.field_rows import FieldRow, PickRow, TextAreaRow, TextRow
from closetui.ui.widgets.multi_row import ItemChip, MultiRow
from closetui.ui.widgets.pickers import PickButton
from tests.ui.helpers import (
    CloseTUI,
    app_for,
    demo,
    focus_control,
    main,
    open_row,
    preview_body,
    replace_text,
    row_diff,
    settle,
    type_text,
)

PROJECT = "custom." + field_id("Project Code")


def rows(app: CloseTUI) -> dict[str, FieldRow]:
    return {r.spec.key: r for r in main(app).editor.query(FieldRow)}


def assert_rows_show(app: CloseTUI) -> None:
    """Every row shows the open opportunity's value (its draft is empty)."""
    state = main(app).edit_state
    assert state is not None
    opp, schema = state.opportunity, state.schema
    for key, field in rows(app).items():
        spec = field.spec
        value = current_value(opp, spec)
        assert field.opportunity is opp, key
        assert field.current == value, key
        if isinstance(field, TextAreaRow):
            assert field.query_one(TextArea).text == format_input(schema, spec, value), key
        elif isinstance(field, TextRow):
            assert field.query_one(Input).value == format_input(schema, spec, value), key
        elif isinstance(field, MultiRow):
            items = tuple(chip.item for chip in field.query(ItemChip))
            assert items == (value if isinstance(value, tuple) else ()), key
        elif isinstance(field, PickRow):
            assert field.query_one(PickButton).text == describe(schema, spec, value), key
        else:
            label = field.query(".field-value").first(Label)
            assert str(label.content) == describe(schema, spec, value), key
        assert "-changed" not in field.classes, key
    title = main(app).editor.query_one("#edit-title", Static)
    assert str(title.content) == (opp.lead_name or opp.lead_id)


async def test_another_opportunity_fills_the_same_rows_with_its_values() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        first = main(app).edit_state
        assert first is not None
        before = rows(app)
        assert_rows_show(app)
        await replace_text(pilot, PROJECT, "ZZ-9")
        await settle(pilot)
        assert preview_body(app) == {PROJECT: "ZZ-9"}

        await open_row(pilot, 1)
        second = main(app).edit_state
        assert second is not None
        assert second.opportunity.id != first.opportunity.id
        differ = [
            key
            for key, field in before.items()
            if current_value(first.opportunity, field.spec)
            != current_value(second.opportunity, field.spec)
        ]
        assert len(differ) >= 5  # the two differ enough for a leak to show
        after = rows(app)
        assert all(after[key] is before[key] for key in before)  # reused, not remounted
        assert_rows_show(app)
        assert preview_body(app) == {}  # the first one's draft did not come along
        assert row_diff(app, PROJECT) == ""

        await open_row(pilot, 0)  # its draft comes back into the same rows
        assert main(app).editor.query_one(f"#control-{PROJECT.replace('.', '-')}", Input).value
        assert preview_body(app) == {PROJECT: "ZZ-9"}
        assert "ZZ-9" in row_diff(app, PROJECT)


async def test_undo_in_a_reused_note_does_not_bring_back_the_other_note() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        await focus_control(pilot, "note")
        await type_text(pilot, "typed for the first one")
        await settle(pilot)
        assert "note" in (preview_body(app) or {})
        await open_row(pilot, 2)
        note = main(app).editor.query_one("#control-note", TextArea)
        shown = note.text
        assert "typed for the first one" not in shown
        note.focus()
        await pilot.press("ctrl+z", "ctrl+z")
        await settle(pilot)
        assert note.text == shown
        assert preview_body(app) == {}


async def test_typing_after_reuse_drafts_only_the_open_opportunity() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        first = main(app).edit_state
        await open_row(pilot, 1)
        second = main(app).edit_state
        assert first is not None
        assert second is not None
        await replace_text(pilot, PROJECT, "QQ-1")
        await settle(pilot)
        drafts = main(app).drafts
        assert drafts.get(first.opportunity.id) is None
        saved = drafts.get(second.opportunity.id)
        assert saved is not None
        assert saved.change(PROJECT) is not None


async def test_rows_are_mounted_hidden_before_the_first_open_and_filled_by_it() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        editor = main(app).editor
        spare = rows(app)
        reference = main(app).reference
        assert reference is not None
        assert list(spare) == [spec.key for spec in reference.schema.specs()]  # before any open
        assert not any(field.visible for field in spare.values())
        assert editor.query_one("#edit-hint").display
        await open_row(pilot, 0)
        assert rows(app) == spare
        assert all(rows(app)[key] is spare[key] for key in spare)
        assert all(field.visible for field in spare.values())
        assert not editor.query_one("#edit-hint").display
        assert_rows_show(app)

        editor.show(None)  # nothing open: the hint, the rows put away
        await settle(pilot)
        assert editor.query_one("#edit-hint").display
        assert not any(field.visible for field in spare.values())
        await open_row(pilot, 3)
        assert all(rows(app)[key] is spare[key] for key in spare)
        assert_rows_show(app)


async def test_an_open_while_the_rows_are_being_prepared_waits_and_fills_its_own() -> None:
    """``prepare`` mounts rows a few at a time; an opportunity opened meanwhile must not
    remove rows still mounting (that would leave ``prepare`` waiting for good) and shows
    its own values."""
    import asyncio

    from closetui.api.models import Opportunity
    from closetui.ui.widgets.edit_pane import EditPane

    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, 2)
        state = main(app).edit_state
        assert state is not None
        pane = EditPane(id="second-editor")
        await main(app).query_one("#side").mount(pane)
        preparing = asyncio.create_task(pane.prepare(state.schema, Opportunity.placeholder()))
        await asyncio.sleep(0)  # the first rows are mounting
        pane.show(state, reload=True)
        await asyncio.wait_for(preparing, timeout=10)
        await settle(pilot)
        shown = {r.spec.key: r for r in pane.query(FieldRow)}
        assert list(shown) == [spec.key for spec in state.schema.specs()]  # once each
        assert all(r.opportunity is state.opportunity for r in shown.values())
        assert all(r.visible for r in shown.values())
