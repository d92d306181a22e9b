"""A draft of changes to one opportunity: an immutable value, new drafts on each edit."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from closetui.edits.fields import FieldProblem
from closetui.edits.parse import parse_input, parse_item
from closetui.edits.values import Cleared, MultiEdit, SetTo, as_items

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.schema import OrgSchema
    from closetui.edits.values import Change, Scalar, Value


@dataclass(frozen=True)
class Draft:
    """Changes by field key (``status_id``, ``custom.cf_...``); absent keys are untouched.

    Every ``with_*`` method returns a new draft, so a list of drafts is an undo history.
    Drafts are not checked when built: call :func:`closetui.edits.validate`.
    """

    changes: Mapping[str, Change] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", MappingProxyType(dict(self.changes)))

    @property
    def is_empty(self) -> bool:
        """True when every field is untouched."""
        return not self.changes

    def keys(self) -> tuple[str, ...]:
        """The touched field keys, in the order they were first changed."""
        return tuple(self.changes)

    def change(self, key: str) -> Change | None:
        """The change for ``key``, or None when the field is untouched."""
        return self.changes.get(key)

    def with_change(self, key: str, change: Change | None) -> Draft:
        """This draft with ``key``'s change replaced (None makes it untouched)."""
        changes = dict(self.changes)
        if change is None or change == MultiEdit():
            changes.pop(key, None)
        else:
            changes[key] = change
        return Draft(changes)

    def with_set(self, key: str, value: Value | list[Scalar]) -> Draft:
        """Set ``key`` to ``value`` (a list or tuple replaces a multi-value list)."""
        return self.with_change(key, SetTo(tuple(value) if isinstance(value, list) else value))

    def with_cleared(self, key: str) -> Draft:
        """Clear ``key`` (``null`` in the body when it has a value)."""
        return self.with_change(key, Cleared())

    def without(self, key: str) -> Draft:
        """Make ``key`` untouched again."""
        return self.with_change(key, None)

    def with_added(self, key: str, item: Scalar) -> Draft:
        """Add one item to a multi-value field (cancels a pending removal of it)."""
        current = self.change(key)
        if isinstance(current, SetTo):
            items = as_items(current.value)
            return self.with_change(key, SetTo(items if item in items else (*items, item)))
        if isinstance(current, Cleared):
            return self.with_change(key, SetTo((item,)))
        added, removed = (current.added, current.removed) if current else ((), ())
        added = added if item in added else (*added, item)
        return self.with_change(key, MultiEdit(added, _drop(removed, item)))

    def with_removed(self, key: str, item: Scalar) -> Draft:
        """Remove one item from a multi-value field (cancels a pending addition of it)."""
        current = self.change(key)
        if isinstance(current, SetTo):
            return self.with_change(key, SetTo(_drop(as_items(current.value), item)))
        if isinstance(current, Cleared):
            return self
        added, removed = (current.added, current.removed) if current else ((), ())
        removed = removed if item in removed else (*removed, item)
        return self.with_change(key, MultiEdit(_drop(added, item), removed))

    def set_text(
        self,
        schema: OrgSchema,
        ref: str,
        text: str,
        *,
        opportunity: Opportunity | None = None,
    ) -> Draft | FieldProblem:
        """This draft with a field set from raw text (empty clears), or the problem.

        ``ref`` may be a key, a custom field id or a field name; the draft stores the
        canonical key. Never raises on bad text.
        """
        spec = schema.spec(ref)
        if isinstance(spec, FieldProblem):
            return spec
        parsed = parse_input(schema, spec, text, opportunity=opportunity)
        return parsed if isinstance(parsed, FieldProblem) else self.with_change(spec.key, parsed)

    def add_text(self, schema: OrgSchema, ref: str, text: str) -> Draft | FieldProblem:
        """This draft with one item (raw text) added to a multi-value field."""
        found = self._item(schema, ref, text)
        return found if isinstance(found, FieldProblem) else self.with_added(*found)

    def remove_text(self, schema: OrgSchema, ref: str, text: str) -> Draft | FieldProblem:
        """This draft with one item (raw text) removed from a multi-value field."""
        found = self._item(schema, ref, text)
        return found if isinstance(found, FieldProblem) else self.with_removed(*found)

    @staticmethod
    def _item(schema: OrgSchema, ref: str, text: str) -> tuple[str, Scalar] | FieldProblem:
        spec = schema.spec(ref)
        if isinstance(spec, FieldProblem):
            return spec
        if spec.read_only is not None:
            return FieldProblem(spec.read_only)
        if not spec.multi:
            return FieldProblem(
                f"{spec.label} holds one value; only multi-value fields add or remove."
            )
        if not text.strip():
            return FieldProblem(f"{spec.label}: nothing to add or remove.")
        item = parse_item(schema, spec, text)
        return item if isinstance(item, FieldProblem) else (spec.key, item)


def _drop(items: tuple[Scalar, ...], item: Scalar) -> tuple[Scalar, ...]:
    return tuple(x for x in items if x != item)
