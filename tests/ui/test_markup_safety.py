"""Text people type, and names the server sends, are shown as they are: never as markup.

A field's ``old -> new`` line once rendered its text as Textual markup: typing ``[/]``
into any text field raised ``MarkupError`` and ended the app.
"""

from __future__ import annotations

from closetui.sandbox import field_id
from tests.ui.helpers import (
    app_for,
    demo,
    open_row,
    preview_body,
    replace_text,
    row,
    row_diff,
    settle,
)

TYPED = "[b]bold?[/b] [/] [red]x"


async def test_markup_typed_into_a_text_field_is_shown_as_typed() -> None:
    app = app_for(demo())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_row(pilot, 0)
        key = "custom." + field_id("Project Code")
        await replace_text(pilot, key, TYPED)
        assert app.is_running
        assert row_diff(app, key).endswith("→ " + TYPED)
        assert preview_body(app) == {key: TYPED}
        # A number field's message quotes the input: shown as typed too.
        await replace_text(pilot, "confidence", "[/]")
        message = str(row(app, "confidence").query_one(".field-message").render())
        assert "'[/]'" in message
