"""Keys typed behind a key that opens a screen wait, then go to that screen in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.dom import DOMNode

from closetui.ui.bound_keys import keymap_of

if TYPE_CHECKING:
    from textual.message_pump import MessagePump
    from textual.screen import Screen

OPENING = frozenset(
    {
        "list.open",
        "list.status",
        "main.bulk_edit",
        "main.undo",
        "main.history",
        "main.filter_bar",
        "main.views",
        "main.inspect",
        "app.palette",
        "app.switch_profile",
        "app.help",
        "field.pick",
        "filter.pick",
        "history.revert",
        "history.revert_batch",
        "bulk.review",
    }
)
"""Bindings (by id) whose action opens a screen or starts loading one (the editor too):
a new binding that does either belongs here, or the keys typed behind it go astray."""


class KeyGate:
    """Holds the keys typed while a screen opens or loads; then gives them to it, in order.

    Textual hands a key to the widget that has the focus when the key arrives, and runs a
    key's binding only once it has bubbled up to the app. Over a slow link a burst such as
    ``b tab tab W`` arrives at once: the keys behind ``b`` reached the list while the
    marked rows were still being read, and ``W`` sent the row under the cursor. Here a
    key bound to an opening action (:data:`OPENING`) closes the gate as it arrives; the
    keys behind it wait. The gate opens again (the keys are posted to the app, which
    hands them to whatever has the focus then) once the key has been handled without
    opening anything, or once the screen it opened (or the editor it loaded) has mounted
    and taken the focus. A load that fails or is cancelled (escape) drops the keys:
    they were meant for a screen that never came.
    """

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._keys: list[events.Key | events.Paste] = []
        self._ticket = 0
        """Which hold the gate is in (0: open); a later hold replaces an earlier one."""
        self._issued = 0
        self._loading = False
        self._cancel: Callable[[], None] | None = None

    @property
    def holding(self) -> bool:
        """True while keys are held."""
        return self._ticket != 0

    @property
    def loading(self) -> bool:
        """True while held for a load (escape cancels it)."""
        return self.holding and self._loading

    def _hold(self) -> int:
        self._issued += 1
        self._ticket = self._issued
        self._loading = False
        self._cancel = None
        return self._ticket

    # -- closing the gate -----------------------------------------------------------------

    def hold_behind(self, node: MessagePump) -> None:
        """Hold keys until the key just handed to ``node`` has been dealt with: if its
        action opened nothing by then, the keys go on as typed."""
        ticket = self._hold()
        self._trail(node, ticket)

    def hold_for_load(self, cancel: Callable[[], None] | None = None) -> int:
        """Hold keys while something loads that a screen (or the editor) will show;
        ``cancel`` stops the load (escape). Returns the hold's ticket."""
        ticket = self._hold()
        self._loading = True
        self._cancel = cancel
        return ticket

    def cancel_with(self, ticket: int, cancel: Callable[[], None]) -> None:
        """What escape does while the load held as ``ticket`` is under way."""
        if self._ticket == ticket and self._loading:
            self._cancel = cancel

    @property
    def ticket(self) -> int:
        """The current hold (0: none)."""
        return self._ticket

    def settle_on(self, node: MessagePump, ticket: int | None = None) -> None:
        """Give the keys to whatever has the focus once ``node`` has handled what it was
        sent so far (its mounting, the focus it sets) and the screen has refreshed.
        With ``ticket``, only if that hold is still the current one."""
        if ticket is not None and ticket != self._ticket:
            return
        ticket = self._ticket if ticket is not None else self._hold()
        self._loading = False
        self._cancel = None

        def settled() -> None:
            if self._ticket == ticket:
                self.release()

        def then_refresh() -> None:
            if not node.call_after_refresh(settled):
                settled()

        if not node.call_later(then_refresh):
            settled()

    def screen_changed(self, screen: Screen[Any]) -> None:
        """A screen was pushed, popped or switched to: its keys wait until it settled."""
        self.settle_on(screen)

    def _trail(self, node: MessagePump, ticket: int) -> None:
        """Follow a key's way up from ``node`` to the app, queue by queue, behind it."""

        def step(at: MessagePump) -> None:
            if self._ticket != ticket:
                return
            if at is self.app:
                self.release()
                return
            parent = (at.parent if isinstance(at, DOMNode) else None) or self.app
            if not parent.call_later(step, parent):
                step(parent)

        if not node.call_later(step, node):
            step(node)

    # -- keys at the gate ------------------------------------------------------------------

    def keep(self, event: events.Key | events.Paste) -> None:
        """Hold ``event`` (a key, or a paste: it is typed too) for later."""
        self._keys.append(event)

    def cancel(self) -> None:
        """Stop the load held for and drop the keys (escape: the user saw them go nowhere,
        as the screen they were typed for never came)."""
        cancel = self._cancel
        self.drop()
        if cancel is not None:
            cancel()

    # -- opening the gate ------------------------------------------------------------------

    def release(self) -> None:
        """Open the gate: the held keys go to the app in order, as if typed now."""
        keys, self._keys = self._keys, []
        self._ticket = 0
        self._loading = False
        self._cancel = None
        for kept in keys:
            again = (
                events.Key(kept.key, kept.character)
                if isinstance(kept, events.Key)
                else events.Paste(kept.text)
            )
            # Sent by the app (as if from the terminal): an event made in a widget's
            # callback would carry that widget as its sender and stop bubbling below it.
            self.app.post_message(again.set_sender(self.app))

    def drop(self, ticket: int | None = None) -> None:
        """Open the gate and forget the held keys (with ``ticket``: only if that hold is
        still the current one). A load that failed says why; the keys typed for what it
        would have shown must not act on the screen underneath."""
        if ticket is not None and ticket != self._ticket:
            return
        self._keys = []
        self._ticket = 0
        self._loading = False
        self._cancel = None


class GatedKeys(App[None]):
    """An app whose keys pass a :class:`KeyGate`: keys typed behind a key that opens a
    screen (or starts loading one) go to that screen once it takes them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_gate = KeyGate(self)
        """Where keys wait while a screen opens."""

    def watch_screens(self) -> None:
        """Hold keys at every screen change until the new screen has settled (call once,
        at mount, before the first screen is pushed)."""
        self.screen_change_signal.subscribe(self, self.key_gate.screen_changed, immediate=True)

    def _passes_gate(self, key: str) -> bool:
        """Quit is never held: a load that hangs must not keep the user in."""
        keys = keymap_of(self).get("app.quit", "ctrl+q")
        return key in (k.strip() for k in keys.split(","))

    async def on_event(self, event: events.Event) -> None:
        """Keys (and pastes) as they arrive from the terminal pass the gate first."""
        gate = self.key_gate
        if isinstance(event, events.Paste) and not event.is_forwarded and gate.holding:
            gate.keep(event)
            return
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if gate.holding and not self._passes_gate(event.key):
            if gate.loading and event.key == "escape":
                gate.cancel()
            else:
                gate.keep(event)
            return
        target = self.focused or self.screen
        opens = self._opens(event)
        await super().on_event(event)  # a priority key's action has run; others go on
        if opens and not gate.holding:  # (a priority key that opened a screen holds)
            gate.hold_behind(target)

    def _opens(self, event: events.Key) -> bool:
        """True when ``event``'s key runs an action that opens a screen or loads one."""
        focused = self.focused
        if focused is not None and focused.check_consume_key(event.key, event.character):
            return False
        active = self.screen.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return False
        return active.binding.id in OPENING or not self.is_home_screen(self.screen)

    def is_home_screen(self, screen: Screen[Any]) -> bool:
        """Whether ``screen`` is the one the app comes back to. On any other screen a bound
        key may close it (enter in a picker, escape in a dialog): the keys behind such a
        key wait too, or they would be handed to the closing screen and lost."""
        return len(self.screen_stack) <= 1


def gate_of(app: App[Any]) -> KeyGate | None:
    """``app``'s key gate (None for an app without one)."""
    return app.key_gate if isinstance(app, GatedKeys) else None
