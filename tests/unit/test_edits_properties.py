"""Pure property tests of the edit layer: bodies agree with drafts, reverts restore.

The strategies here (``opportunities``, ``drafts``; single values in tests/strategies.py)
build random states and valid drafts for any :class:`OrgSchema`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from closetui.api.models import Opportunity
from closetui.edits import (
    Cleared,
    Draft,
    FieldProblem,
    FieldSpec,
    MultiEdit,
    OrgSchema,
    SetTo,
    build_revert_body,
    build_update_body,
    format_input,
    from_json,
    notes,
    parse_input,
    validate,
)
from tests.strategies import values

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


# -- strategies ---------------------------------------------------------------


def _item_lists(schema: OrgSchema, spec: FieldSpec) -> st.SearchStrategy[list[Any]]:
    return st.lists(values(schema, spec), max_size=4, unique=True)


@st.composite
def opportunities(draw: st.DrawFn, schema: OrgSchema, base: Opportunity) -> Opportunity:
    """``base`` with random values (or none) in every field of a known type."""
    data = base.model_dump(mode="json")
    for spec in schema.specs():
        if spec.kind == "unknown":
            continue
        if spec.clearable and draw(st.booleans()):
            data[spec.key] = None
        elif spec.multi:
            data[spec.key] = [_json(item) for item in draw(_item_lists(schema, spec))] or None
        else:
            data[spec.key] = _json(draw(values(schema, spec)))
    return Opportunity.model_validate(data)


@st.composite
def drafts(draw: st.DrawFn, schema: OrgSchema, opportunity: Opportunity) -> Draft:
    """Valid drafts: each editable field untouched, set (maybe to itself), cleared or edited."""
    draft = Draft()
    for spec in schema.editable_specs():
        moves = ["untouched", "untouched", "set", "same"]
        moves += ["clear"] if spec.clearable else []
        moves += ["edit", "edit"] if spec.multi else []
        move = draw(st.sampled_from(moves))
        current = from_json(spec, _raw(opportunity, spec.key))
        if move == "set" and spec.multi:
            draft = draft.with_set(spec.key, tuple(draw(_item_lists(schema, spec))))
        elif move == "set":
            draft = draft.with_set(spec.key, draw(values(schema, spec)))
        elif move == "same" and current not in (None, ()):
            assert current is not None
            draft = draft.with_set(spec.key, current)
        elif move == "clear":
            draft = draft.with_cleared(spec.key)
        elif move == "edit":
            have = list(current) if isinstance(current, tuple) else []
            items = values(schema, spec) | st.sampled_from(have) if have else values(schema, spec)
            for add, item in draw(st.lists(st.tuples(st.booleans(), items), max_size=4)):
                draft = (draft.with_added if add else draft.with_removed)(spec.key, item)
    return draft


# -- a reference model of Close applying a body ---------------------------------------


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _raw(opportunity: Opportunity, key: str) -> Any:
    return opportunity.model_dump(mode="json").get(key)


def state_of(opportunity: Opportunity, schema: OrgSchema) -> dict[str, Any]:
    """Every field's raw JSON value (None when absent)."""
    data = opportunity.model_dump(mode="json")
    return {spec.key: data.get(spec.key) for spec in schema.specs()}


def apply_body(
    state: dict[str, Any], body: dict[str, Any], schema: OrgSchema, *, won_rule: bool = False
) -> dict[str, Any]:
    """What Close stores after a PUT; ``won_rule`` adds the documented auto date_won
    (set when moving into won unless date_won is on record or in the request)."""
    new = dict(state)
    for key, value in body.items():
        if key.endswith(".add"):
            base = key.removesuffix(".add")
            items = list(new.get(base) or [])
            new[base] = items if value in items else [*items, value]
        elif key.endswith(".remove"):
            base = key.removesuffix(".remove")
            new[base] = [item for item in new.get(base) or [] if item != value] or None
        else:
            new[key] = value if value != [] else None
    status = body.get("status_id")
    if won_rule and schema.is_won(status) and new["date_won"] is None and "date_won" not in body:
        new["date_won"] = schema.today.isoformat()
    return new


def apply_draft(state: dict[str, Any], draft: Draft, schema: OrgSchema) -> dict[str, Any]:
    """What the draft means, independently of how the body encodes it."""
    new = dict(state)
    for key, change in draft.changes.items():
        spec = schema.spec_for_key(key)
        assert spec is not None
        if isinstance(change, Cleared):
            new[key] = None
        elif isinstance(change, SetTo) and not spec.multi:
            new[key] = _json(change.value)
        else:
            if isinstance(change, SetTo):
                value = change.value
                items: list[Any] = []
                added = list(value) if isinstance(value, tuple) else [value]
            else:
                assert isinstance(change, MultiEdit)
                removed = [_json(item) for item in change.removed]
                items = [item for item in new[key] or [] if item not in removed]
                added = list(change.added)
            for item in map(_json, added):
                items += [] if item in items else [item]
            new[key] = items or None
    return new


def canonical(state: dict[str, Any], schema: OrgSchema, editable_only: bool = False) -> Any:
    """Typed values (same instant == same datetime, 5 == 5.0, [] == unset)."""
    specs = schema.editable_specs() if editable_only else schema.specs()
    return {spec.key: from_json(spec, state.get(spec.key)) for spec in specs}


def with_state(opportunity: Opportunity, state: dict[str, Any]) -> Opportunity:
    """The opportunity as the server would return it holding ``state``."""
    return Opportunity.model_validate({**opportunity.model_dump(mode="json"), **state})


# -- properties ---------------------------------------------------------------


@PROPERTY_SETTINGS
@given(data=st.data())
def test_generated_drafts_are_valid(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    opp = data.draw(opportunities(edits_schema, edits_opp))
    draft = data.draw(drafts(edits_schema, opp))
    assert validate(opp, draft, edits_schema) == {}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_body_never_touches_untouched_fields(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    opp = data.draw(opportunities(edits_schema, edits_opp))
    draft = data.draw(drafts(edits_schema, opp))
    body = build_update_body(opp, draft, edits_schema)
    touched = {key.removesuffix(".add").removesuffix(".remove") for key in body}
    assert touched <= set(draft.changes)
    assert sum(key.startswith(tuple(touched)) for key in body) == len(touched)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_body_does_what_the_draft_says(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    opp = data.draw(opportunities(edits_schema, edits_opp))
    draft = data.draw(drafts(edits_schema, opp))
    state = state_of(opp, edits_schema)
    by_body = apply_body(state, build_update_body(opp, draft, edits_schema), edits_schema)
    by_draft = apply_draft(state, draft, edits_schema)
    assert canonical(by_body, edits_schema) == canonical(by_draft, edits_schema)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_sent_draft_is_then_a_no_op(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    opp = data.draw(opportunities(edits_schema, edits_opp))
    draft = data.draw(drafts(edits_schema, opp))
    state = state_of(opp, edits_schema)
    after = with_state(
        opp, apply_body(state, build_update_body(opp, draft, edits_schema), edits_schema)
    )
    assert build_update_body(after, draft, edits_schema) == {}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_revert_after_an_edit_restores_before(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    before = data.draw(opportunities(edits_schema, edits_opp))
    draft = data.draw(drafts(edits_schema, before))
    body = build_update_body(before, draft, edits_schema)
    state = state_of(before, edits_schema)
    after = with_state(before, apply_body(state, body, edits_schema, won_rule=True))
    revert = build_revert_body(before, after, edits_schema)
    restored = apply_body(state_of(after, edits_schema), revert, edits_schema, won_rule=True)
    assert canonical(restored, edits_schema, True) == canonical(state, edits_schema, True)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_revert_between_any_two_states(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    before = data.draw(opportunities(edits_schema, edits_opp))
    after = data.draw(opportunities(edits_schema, edits_opp))
    revert = build_revert_body(before, after, edits_schema)
    restored = apply_body(state_of(after, edits_schema), revert, edits_schema, won_rule=True)
    expected = canonical(state_of(before, edits_schema), edits_schema, True)
    assert canonical(restored, edits_schema, True) == expected
    editable = {spec.key for spec in edits_schema.editable_specs()}
    assert {key.removesuffix(".add").removesuffix(".remove") for key in revert} <= editable


@PROPERTY_SETTINGS
@given(data=st.data())
def test_notes_never_raise(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    opp = data.draw(opportunities(edits_schema, edits_opp))
    draft = data.draw(drafts(edits_schema, opp))
    for note in notes(opp, draft, edits_schema):
        assert note.message
        assert note.field in ("status_id", "date_won")


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.dates(),
    st.datetimes(),
    st.tuples(st.text(max_size=3)),
)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_arbitrary_drafts_never_crash_validation(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    keys = [spec.key for spec in edits_schema.specs()] + ["nope", "Deal Source"]
    changes = st.one_of(
        st.builds(SetTo, JUNK),
        st.just(Cleared()),
        st.builds(MultiEdit, st.tuples(JUNK), st.tuples(JUNK)),
    )
    draft = Draft(data.draw(st.dictionaries(st.sampled_from(keys), changes, max_size=4)))
    problems = validate(edits_opp, draft, edits_schema)
    notes(edits_opp, draft, edits_schema)
    if not problems:
        build_update_body(edits_opp, draft, edits_schema)


RAW_TEXT = st.one_of(
    st.text(),
    st.from_regex(r"[+-]?\s?\d{1,9}\s?[dwmy]?", fullmatch=True),
    st.from_regex(r"[$€-]?[\d,.]{1,60}%?", fullmatch=True),
    st.from_regex(
        r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?", fullmatch=True
    ),
)


@PROPERTY_SETTINGS
@given(text=RAW_TEXT, data=st.data())
def test_parsing_never_raises(
    edits_schema: OrgSchema, edits_opp: Opportunity, text: str, data: st.DataObject
) -> None:
    spec = data.draw(st.sampled_from(edits_schema.specs()))
    result = parse_input(edits_schema, spec, text, opportunity=edits_opp)
    assert isinstance(result, SetTo | Cleared | FieldProblem)
    if isinstance(result, SetTo):
        assert validate(edits_opp, Draft({spec.key: result}), edits_schema) == {}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_formatted_values_parse_back(
    edits_schema: OrgSchema, edits_opp: Opportunity, data: st.DataObject
) -> None:
    spec = data.draw(st.sampled_from(edits_schema.editable_specs()))
    if spec.multi:
        value: Any = tuple(data.draw(_item_lists(edits_schema, spec).filter(bool)))
    else:
        value = data.draw(values(edits_schema, spec).filter(lambda v: str(v).strip() != ""))
    text = format_input(edits_schema, spec, value)
    parsed = parse_input(edits_schema, spec, text, opportunity=edits_opp)
    assert parsed == SetTo(value)
    if isinstance(value, float):
        assert isinstance(parsed, SetTo)
        assert isinstance(parsed.value, float)
        assert math.isclose(parsed.value, value)
