"""A dict of records that counts its changes, so listings computed from it can be cached."""

from __future__ import annotations

from typing import Any

from closetui.sandbox.org import JSON


class Records(dict[str, JSON]):
    """Records by id; :attr:`version` grows on every insert, replacement or removal.

    Writes replace a record with a new dict (``apply_changes`` returns a copy), so the
    version sees every change made through the sandbox or by a test on the dict itself.
    Changing a stored record in place is not seen: replace it instead.
    """

    version: int = 0
    """Bumped after each mutation (after, so a reader never caches new data as old)."""

    def _changed(self) -> None:
        self.version += 1

    def __setitem__(self, key: str, value: JSON) -> None:
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._changed()

    def __ior__(self, other: Any) -> Records:  # type: ignore[override,misc]
        super().__ior__(other)
        self._changed()
        return self

    def pop(self, *args: Any) -> Any:
        """``dict.pop``, counted as a change."""
        try:
            return super().pop(*args)
        finally:
            self._changed()

    def popitem(self) -> tuple[str, JSON]:
        """``dict.popitem``, counted as a change."""
        try:
            return super().popitem()
        finally:
            self._changed()

    def clear(self) -> None:
        """``dict.clear``, counted as a change."""
        super().clear()
        self._changed()

    def update(self, *args: Any, **kwargs: Any) -> None:
        """``dict.update``, counted as a change."""
        super().update(*args, **kwargs)
        self._changed()

    def setdefault(self, key: str, default: JSON) -> JSON:
        """``dict.setdefault``, counted as a change."""
        try:
            return super().setdefault(key, default)
        finally:
            self._changed()
