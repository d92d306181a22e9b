"""Text people type, and names the server sends, are shown as they are: never as markup.

A field's ``old -> new`` line once rendered its text as Textual markup: typing ``[/]``
into any text field raised ``MarkupError`` and ended the app.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from closetui.sandbox import field_id
from tests.ui.helpers import (
    CloseTUI,
    Opportunity,
    preview_body,
    replace_text,
    row,
    row_diff,
)

TYPED = "[b]bold?[/b] [/] [red]x"


async def test_markup_typed_into_a_text_field_is_shown_as_typed(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    key = "custom." + field_id("Project Code")
    await replace_text(pilot, key, TYPED)
    assert app.is_running
    assert row_diff(app, key).endswith("→ " + TYPED)
    assert preview_body(app) == {key: TYPED}
    # A number field's message quotes the input: shown as typed too.
    await replace_text(pilot, "confidence", "[/]")
    message = str(row(app, "confidence").query_one(".field-message").render())
    assert "'[/]'" in message
