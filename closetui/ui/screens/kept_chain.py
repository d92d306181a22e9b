"""A screen's binding chain, kept while the focus stays in one text input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.binding import BindingsMap
    from textual.dom import DOMNode

Chain = list[tuple["DOMNode", "BindingsMap"]]


class KeptBindingChain(Screen[None]):
    """``Screen`` whose binding chain is built once per focused text input.

    For every key, before the key reaches the focused widget, the app looks for priority
    bindings along the chain, and Textual builds the chain anew each time: a copy of the
    bindings of every node from the focused widget up to the app, then every key of
    those tested against each node below it that may take keys itself (an input takes
    printable keys). In the editor that is seven nodes and ~80 tests on every keystroke
    (~0.1 ms). While an :class:`Input` has the focus nothing the chain depends on
    changes: the nodes above it, their bindings, which keys an input takes (always the
    printable ones), the keymap (a new one is a new object). Any other focus is built
    as Textual builds it.
    """

    _kept_chain: tuple[Input, object, Chain] | None = None

    @property
    def _binding_chain(self) -> Chain:
        focused = self.focused
        if not isinstance(focused, Input) or focused.loading:
            self._kept_chain = None
            return super()._binding_chain
        keymap = self.app._keymap
        kept = self._kept_chain
        if kept is None or kept[0] is not focused or kept[1] is not keymap:
            kept = self._kept_chain = (focused, keymap, super()._binding_chain)
        return kept[2]
