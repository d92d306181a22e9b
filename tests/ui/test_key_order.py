"""Keys that arrive together (one read over SSH) are applied in the order they were typed,
and to the field that has the focus when their turn comes.

Textual runs a widget's own key bindings (backspace, arrows, ctrl+u) only once the key has
bubbled up to the app, while printable keys are inserted at once: ``ctrl+u 7 7 7`` in one
read used to clear the 7s, and ``1 2 ⌫ 3 ← 9`` gave ``123``.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.ui.helpers import (
    CloseTUI,
    Opportunity,
    focus_control,
    main,
    preview_body,
    settle,
)

BURST = ("1", "2", "backspace", "3", "left", "9")
"""Typed as one read: the text must be 193, the cursor before the 3."""


async def burst(pilot: Pilot[Any], keys: tuple[str, ...]) -> None:
    """Post every key before the app handles any (as the driver does for one read)."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(pilot)


async def test_editing_keys_in_one_read_apply_in_order_in_a_field(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await focus_control(pilot, "confidence")
    box = app.focused
    assert isinstance(box, Input)
    box.action_end()
    await burst(pilot, ("ctrl+u", "7", "7"))
    assert box.value == "77"
    assert preview_body(app) == {"confidence": 77}
    await focus_control(pilot, "value")
    box = app.focused
    assert isinstance(box, Input)
    box.action_end()
    await burst(pilot, ("ctrl+u", *BURST))
    assert box.value == "193"
    assert preview_body(app) == {"confidence": 77, "value": 19300}  # in cents


async def test_editing_keys_in_one_read_apply_in_order_in_a_text_area(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    area = main(app).query(TextArea).first()
    area.focus()
    area.text = ""
    await settle(pilot)
    await burst(pilot, BURST)
    assert area.text == "193"


async def test_a_key_behind_a_tab_in_the_same_read_goes_to_the_next_field(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await focus_control(pilot, "value")
    box = app.focused
    assert isinstance(box, Input)
    before = box.value
    # value -> value period (a picker) -> confidence, then type into confidence
    await burst(pilot, ("tab", "tab", "ctrl+u", "4", "2"))
    assert box.value == before  # nothing typed into the field that was left
    focused = app.focused
    assert isinstance(focused, Input)
    assert focused.id == "control-confidence"
    assert focused.value == "42"
    assert preview_body(app) == {"confidence": 42}
