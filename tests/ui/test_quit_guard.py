"""ctrl+q while requests are on their way: a warning first, quitting on a second ctrl+q."""

from __future__ import annotations

from closetui.ui.flows.quit_guard import QuitGuard
from tests.ui.helpers import (
    HeldPuts,
    app_for,
    demo,
    listing,
    main,
    notifications,
    open_row,
    replace_text,
    running,
    settle,
    status,
    stored,
    wait_until,
)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_ctrl_q_mid_send_warns_and_a_second_ctrl_q_quits_anyway() -> None:
    connection = demo(60)
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    async with running(app) as pilot:
        await open_row(pilot, 0)
        opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        confidence = 13 if opp.confidence != 13 else 14
        await replace_text(pilot, "confidence", str(confidence))
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: held.waiting == 1)

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert main(app).is_sending
        said = "1 request is on its way; ^q again quits anyway (it may or may not be saved)"
        assert said in status(app).message
        assert status(app).severity == "warning"
        assert any(said in n for n in notifications(app))

        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0  # quit although the PUT never got its answer
    assert held.waiting == 1
    assert not [r for r in connection.sandbox.requests if r.method == "PUT"]
    assert connection.sandbox.opportunities[opp.id]["confidence"] == opp.confidence


async def test_once_the_send_has_answered_one_ctrl_q_quits() -> None:
    connection = demo(60)
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held))
    clock = Clock()
    async with app.run_test(size=(120, 40)) as pilot:
        app.quit_guard = QuitGuard(clock=clock)
        await settle(pilot)
        rows = listing(app)
        rows.focus()
        rows.go_to(0)
        await pilot.pause()
        target = rows.cache.row(0)
        assert target is not None
        await pilot.press("L")  # a quick action: one PUT, held
        await wait_until(pilot, lambda: held.waiting == 1)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        assert "1 request is on its way" in status(app).message

        clock.now += 6  # too late for the second ctrl+q: it warns again
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        assert sum("on its way" in n for n in notifications(app)) == 2

        held.gate.set()
        await settle(pilot)
        assert not main(app).is_sending
        assert stored(app, target.id).status_type == "lost"
        clock.now += 60
        await pilot.press("ctrl+q")  # nothing on its way: quits at once
        await pilot.pause()
        assert app.return_code == 0


async def test_the_warning_names_the_quit_key_the_keymap_gave() -> None:
    connection = demo(60)
    held = HeldPuts(connection.transport)  # type: ignore[arg-type]
    app = app_for(connection.replace(transport=held, keymap={"app.quit": "f10"}))
    async with running(app) as pilot:
        rows = listing(app)
        rows.focus()
        rows.go_to(0)
        await pilot.pause()
        await pilot.press("L")  # a quick action: one PUT, held
        await wait_until(pilot, lambda: held.waiting == 1)
        await pilot.press("f10")
        await pilot.pause()
        assert app.return_code is None
        assert "f10 again quits anyway" in status(app).message
        assert "ctrl+q" not in status(app).message
        held.gate.set()
        await settle(pilot)
