"""Pure edit logic: drafts of opportunity changes, their validation and PUT bodies."""

from closetui.edits.body import DraftError, build_update_body, field_body, unchecked_body
from closetui.edits.draft import Draft
from closetui.edits.fields import STANDARD_KEYS, FieldKind, FieldProblem, FieldSpec
from closetui.edits.notes import Note, NoteAction, NoteCode, notes
from closetui.edits.parse import (
    format_input,
    parse_choice,
    parse_confidence,
    parse_contact,
    parse_date,
    parse_datetime,
    parse_input,
    parse_item,
    parse_money,
    parse_number,
    parse_value_period,
)
from closetui.edits.revert import build_revert_body, revert_draft, revert_gaps
from closetui.edits.schema import OrgSchema, offset_label, today_at
from closetui.edits.validate import check_change, check_value, validate
from closetui.edits.values import (
    Change,
    Cleared,
    MultiEdit,
    Scalar,
    SetTo,
    Value,
    apply_change,
    current_value,
    from_json,
    same,
    to_json,
)

__all__ = [
    "STANDARD_KEYS",
    "Change",
    "Cleared",
    "Draft",
    "DraftError",
    "FieldKind",
    "FieldProblem",
    "FieldSpec",
    "MultiEdit",
    "Note",
    "NoteAction",
    "NoteCode",
    "OrgSchema",
    "Scalar",
    "SetTo",
    "Value",
    "apply_change",
    "build_revert_body",
    "build_update_body",
    "check_change",
    "check_value",
    "current_value",
    "field_body",
    "format_input",
    "from_json",
    "notes",
    "offset_label",
    "parse_choice",
    "parse_confidence",
    "parse_contact",
    "parse_date",
    "parse_datetime",
    "parse_input",
    "parse_item",
    "parse_money",
    "parse_number",
    "parse_value_period",
    "revert_draft",
    "revert_gaps",
    "same",
    "to_json",
    "today_at",
    "unchecked_body",
    "validate",
]
