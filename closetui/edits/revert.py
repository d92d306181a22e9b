"""The body that puts an opportunity's editable fields back as they were."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from closetui.edits.body import unchecked_body
from closetui.edits.draft import Draft
from closetui.edits.values import Cleared, SetTo, current_value, is_unset, same

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.schema import OrgSchema


def revert_draft(before: Opportunity, after: Opportunity, schema: OrgSchema) -> Draft:
    """A draft (against ``after``) setting every differing editable field to ``before``'s."""
    draft = Draft()
    for spec in schema.editable_specs():
        old, new = current_value(before, spec), current_value(after, spec)
        if not same(old, new):
            change = Cleared() if old is None or is_unset(old) else SetTo(old)
            draft = draft.with_change(spec.key, change)
    return draft


def build_revert_body(before: Opportunity, after: Opportunity, schema: OrgSchema) -> dict[str, Any]:
    """The body that, sent for ``after``, restores ``before``'s editable fields.

    Fields the caller may not edit are left out (see :func:`revert_gaps`). Values come
    from the server, so they are not re-validated.
    """
    body = unchecked_body(after, revert_draft(before, after, schema), schema)
    # Moving back into a won status when `before` had no date_won: Close auto-sets
    # date_won "if it is not already set or provided in the request". Omitting the key
    # would certainly get today's date; sending an explicit null may count as
    # "provided" and keep it empty. Either reading of the docs leaves us no worse off
    # with the null than without it, so we always send it: the exact restore when
    # null counts as provided, the same result as omitting it when it does not.
    status_id = body.get("status_id")
    if schema.is_won(status_id) and before.date_won is None and "date_won" not in body:
        ordered: dict[str, Any] = {}
        for key, value in body.items():
            ordered[key] = value
            if key == "status_id":
                ordered["date_won"] = None
        body = ordered
    return body


def revert_gaps(before: Opportunity, after: Opportunity, schema: OrgSchema) -> dict[str, str]:
    """Fields that differ between ``before`` and ``after`` but cannot be restored, why."""
    return {
        spec.key: spec.read_only
        for spec in schema.specs()
        if spec.read_only is not None
        and not same(current_value(before, spec), current_value(after, spec))
    }
