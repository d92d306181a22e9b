"""The smallest ``PUT /opportunity/{id}/`` body that applies a draft."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closetui.edits.validate import validate
from closetui.edits.values import apply_change, as_items, current_value, same, to_json

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.draft import Draft
    from closetui.edits.fields import FieldSpec
    from closetui.edits.schema import OrgSchema
    from closetui.edits.values import Value

ADD_SUFFIX = ".add"
"""Key suffix that adds one item to a multi-value custom field."""
REMOVE_SUFFIX = ".remove"
"""Key suffix that removes one item from a multi-value custom field."""


class DraftError(ValueError):
    """A draft that does not validate was asked for a body."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems
        """Messages by field key, as :func:`closetui.edits.validate` returns them."""


def build_update_body(opportunity: Opportunity, draft: Draft, schema: OrgSchema) -> dict[str, Any]:
    """The minimal JSON body for ``draft`` against ``opportunity`` (raises DraftError).

    Untouched and unchanged fields have no key; keys come in a fixed order (built-in
    fields, then custom fields in schema order). An empty dict means nothing to send.
    """
    problems = validate(opportunity, draft, schema)
    if problems:
        raise DraftError(problems)
    return unchecked_body(opportunity, draft, schema)


def unchecked_body(opportunity: Opportunity, draft: Draft, schema: OrgSchema) -> dict[str, Any]:
    """Like :func:`build_update_body` without validation (for values from the server)."""
    body: dict[str, Any] = {}
    for spec in schema.specs():
        change = draft.change(spec.key)
        if change is not None:
            current = current_value(opportunity, spec)
            body.update(field_body(spec, current, apply_change(spec, current, change)))
    return body


def field_body(spec: FieldSpec, current: Value | None, result: Value | None) -> dict[str, Any]:
    """The body entries that take one field from ``current`` to ``result`` (maybe none).

    Multi-value fields use ``.add``/``.remove`` for a single pure addition or removal
    on a non-empty list (a JSON object carries one key per name, so two additions need
    the whole list); anything else sends the whole list, and an empty list is ``null``.
    """
    if same(result, current):
        return {}
    if not spec.multi:
        return {spec.key: to_json(result)}
    have, want = as_items(current), as_items(result)
    if not want:
        return {spec.key: None}
    added = tuple(item for item in want if item not in have)
    removed = tuple(item for item in have if item not in want)
    natural = tuple(item for item in have if item not in removed) + added
    if have and natural == want:
        if len(added) == 1 and not removed:
            return {spec.key + ADD_SUFFIX: to_json(added[0])}
        if len(removed) == 1 and not added:
            return {spec.key + REMOVE_SUFFIX: to_json(removed[0])}
    return {spec.key: to_json(want)}
