"""The key a binding answers to now, as the user's keymap left it (for messages and hints)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType
from typing import Any, Protocol

from textual.app import App
from textual.binding import Binding, BindingType, Keymap


class KeptKeymap(App[None]):
    """An app that keeps the keymap it was given: Textual applies it but keeps it private."""

    given_keymap: Keymap = MappingProxyType({})
    """Binding id -> keys, as last passed to :meth:`set_keymap` / :meth:`update_keymap`."""

    def set_keymap(self, keymap: Keymap) -> None:
        """Set the keymap (Textual's), keeping a copy in :attr:`given_keymap`."""
        self.given_keymap = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        """Merge ``keymap`` into the keymap (Textual's), keeping a copy in :attr:`given_keymap`."""
        self.given_keymap = {**self.given_keymap, **keymap}
        super().update_keymap(keymap)


def keymap_of(app: App[Any]) -> Keymap:
    """The keymap ``app`` was given (``[keymap]`` in the config); empty if it keeps none."""
    return app.given_keymap if isinstance(app, KeptKeymap) else {}


def first_key(app: App[Any], bindings: Iterable[BindingType], binding_id: str) -> str:
    """How the first key of binding ``binding_id`` (one of ``bindings``) is shown, after
    the keymap (``[keymap]`` in the config) moved it."""
    binding = next(b for b in bindings if isinstance(b, Binding) and b.id == binding_id)
    keys = keymap_of(app).get(binding_id, binding.key)
    return app.get_key_display(replace(binding, key=keys.split(",")[0].strip()))


class CursorRows(Protocol):
    """A widget with a row cursor (``DataTable``, ``OptionList``)."""

    def action_cursor_down(self) -> None: ...

    def action_cursor_up(self) -> None: ...


def move_cursor(rows: CursorRows, step: int) -> None:
    """What a screen's ``move(1)`` / ``move(-1)`` binding (j/k, arrows) does to ``rows``,
    which need not have the focus (a picker's filter input keeps it)."""
    if step > 0:
        rows.action_cursor_down()
    else:
        rows.action_cursor_up()
