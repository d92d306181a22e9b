"""Keystroke to updated request preview in closetui vs a bare Input app mirroring its value.

closetui: the demo app (in-process sandbox, ``app.run_test(size=(120, 40))``) opens an
opportunity, focuses a text field (default: the "Project Code" custom field), empties it,
then types ``--keys`` characters. Each key is posted, the app runs until the preview shows
the field's new value in the request body, and the screen is laid out and painted
(``tui_common.press_until``; Pilot's own press/pause sleep >= 60 ms a key); the series
ends when all the work the keys started is done and painted. ms/key = total / keys.

Baseline: a bare App with one Input and a Static that mirrors the Input's value on
``Input.Changed``, same size, same keys, same timing. As closetui's field does, its
input shows a value and is emptied, and a key is pressed, before the timed keys; and
whatever the check for the new text loads is loaded before the clock starts (it
imported Rich's syntax module, ~28 ms, inside the bare app's first timed key).

Both run in fresh processes, alternating, for ``--rounds`` rounds; medians of ms/key
(and of CPU ms/key) are compared.

    .venv/bin/python bench/tui_keystroke.py [--keys 40] [--rounds 3] [--field "Project Code"]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import string
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
SIZE = (120, 40)


def keys_to_type(count: int) -> str:
    """Letters only: valid in any text field and the same keys for both apps."""
    letters = string.ascii_lowercase
    return "".join(letters[i % len(letters)] for i in range(count))


def shown_text(widget: Any) -> str:
    """The text a Static shows, whatever it holds (Text, Content, a Group with Syntax).

    The preview's ``RequestText`` carries the Content that Textual draws; its Rich parts
    (a ``Syntax``...) are only built when something asks for them, which the app never
    does while typing: reading the drawn text keeps that cost out of what is measured.
    """
    from rich.console import Group
    from rich.syntax import Syntax
    from textual.content import Content

    content = widget.content
    drawn = getattr(content, "content", None)
    if isinstance(drawn, Content):
        return drawn.plain
    parts = content.renderables if isinstance(content, Group) else [content]
    return "\n".join(p.code if isinstance(p, Syntax) else str(p) for p in parts)


async def _type(pilot: Any, text: str, shows: Any) -> tuple[float, float]:
    """Type ``text`` key by key; (wall seconds per key, CPU seconds per key).

    Each key waits until ``shows(text so far)``; the series ends once everything the
    keys started has finished and been painted.
    """
    from tui_common import drain, press_until

    shows("")  # what the check itself loads (rich.syntax: ~28 ms) loads before the clock
    wall, cpu = time.perf_counter(), time.process_time()
    for index, char in enumerate(text, 1):
        await press_until(pilot, char, lambda typed=text[:index]: shows(typed))
    await drain(pilot)
    return (time.perf_counter() - wall) / len(text), (time.process_time() - cpu) / len(text)


async def bare(count: int) -> dict[str, float]:
    """The baseline: one Input, one Static mirroring it."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Static

    class Mirror(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="box")
            yield Static(id="mirror")

        def on_input_changed(self, event: Input.Changed) -> None:
            self.query_one("#mirror", Static).update(event.value)

    app = Mirror()
    async with app.run_test(size=SIZE) as pilot:
        box = app.query_one("#box", Input)
        box.cursor_blink = False
        box.focus()
        await pilot.pause()
        # As closetui's field is shown with its value and then emptied before the keys:
        # the first keystroke must not pay for the first drawing of a value.
        box.value = "warm"
        await pilot.pause()
        box.value = ""
        await pilot.press("end")  # and as closetui's bench presses enter to open it
        mirror = app.query_one("#mirror", Static)
        wall, cpu = await _type(pilot, keys_to_type(count), lambda t: shown_text(mirror) == t)
        return {"wall": wall, "cpu": cpu}


async def closetui(count: int, field_name: str) -> dict[str, float]:
    """The demo app: open an opportunity, empty one text field, type into it."""
    from textual.widgets import Input, Static
    from tui_common import opportunity_list, rows_loaded, wait_for

    from closetui.connect import demo_connection
    from closetui.sandbox import field_id
    from closetui.ui.app import make_app

    key = "custom." + field_id(field_name) if field_name[:1].isupper() else field_name
    control_id = "#control-" + key.replace(".", "-")
    app = make_app(demo_connection(tz_offset=0.0))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rows_loaded(app))
        await app.workers.wait_for_complete()  # the organisation's fields too
        listing = opportunity_list(app)
        assert listing is not None
        listing.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query(control_id)))
        control = app.screen.query_one(control_id, Input)
        control.focus()
        control.value = ""
        await pilot.pause()  # empty now: the body has "key": null, or no key if it was empty
        await pilot.pause()
        preview = app.screen.query_one("#preview-request", Static)
        assert f'"{key}": "' not in shown_text(preview), shown_text(preview)
        wall, cpu = await _type(
            pilot, keys_to_type(count), lambda t: f'"{key}": "{t}"' in shown_text(preview)
        )
        return {"wall": wall, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--field", default="Project Code", help="custom field name or key")
    parser.add_argument("--child", choices=("bare", "closetui"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        print(json.dumps(asyncio.run(bare(args.keys))))
        return
    if args.child == "closetui":
        print(json.dumps(asyncio.run(closetui(args.keys, args.field))))
        return

    from tui_common import isolated_env, median, run_child, steal_seconds, verdict

    results: dict[str, list[dict[str, float]]] = {"bare": [], "closetui": []}
    stolen_before, started = steal_seconds(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            # A fresh state dir per round: with one for all, every round after the first
            # started with the last round's draft restored (and its notice on screen).
            env = isolated_env(tempfile.mkdtemp(dir=tmp))
            for kind in results:
                cmd = [sys.executable, str(HERE), "--child", kind, "--keys", str(args.keys)]
                cmd += ["--field", args.field]
                results[kind].append(json.loads(run_child(cmd, env).strip().splitlines()[-1]))
    stolen_after, took = steal_seconds(), time.perf_counter() - started
    print(f"({args.keys} keys, {args.rounds} rounds; field {args.field!r})")
    if stolen_before is not None and stolen_after is not None:
        stolen = stolen_after - stolen_before
        print(
            f"host steal: {stolen:.1f} CPU s in {took:.0f} s (the wall figures stretch with it;"
            " the CPU ratio is the one to trust when it is high)"
        )
    for metric, label in (("wall", "keystroke to preview"), ("cpu", "CPU per keystroke")):
        base = median([r[metric] for r in results["bare"]])
        app = median([r[metric] for r in results["closetui"]])
        rounds = "; ".join(
            f"{kind}: " + "/".join(f"{r[metric] * 1000:.2f}" for r in runs)
            for kind, runs in results.items()
        )
        print(
            f"{label}: bare Input {base * 1000:.2f} ms/key, closetui {app * 1000:.2f} ms/key, "
            f"ratio {app / base:.2f} (target <= 1.3: {verdict(app / base, 1.3)})   [{rounds}]"
        )


if __name__ == "__main__":
    main()
