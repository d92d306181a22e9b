"""Drafts: immutable values with untouched/set/cleared fields and multi-value add/remove."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from closetui.edits import Change, Cleared, Draft, FieldProblem, MultiEdit, OrgSchema, SetTo


def test_drafts_are_immutable_values() -> None:
    empty = Draft()
    one = empty.with_set("confidence", 80)
    assert empty.is_empty
    assert one.change("confidence") == SetTo(80)
    assert one == Draft({"confidence": SetTo(80)})
    assert one.keys() == ("confidence",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.changes = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        one.changes["value"] = SetTo(1)  # type: ignore[index]


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda d: d.with_set("value", 100), SetTo(100)),
        (lambda d: d.with_cleared("value"), Cleared()),
        (lambda d: d.with_set("value", 100).with_cleared("value"), Cleared()),
        (lambda d: d.with_cleared("value").with_set("value", 5), SetTo(5)),
        (lambda d: d.with_set("value", 100).without("value"), None),
        (lambda d: d.with_change("value", None), None),
    ],
)
def test_three_states_per_field(build: Callable[[Draft], Draft], expected: Change | None) -> None:
    assert build(Draft()).change("value") == expected


@pytest.mark.parametrize(
    ("ops", "expected"),
    [
        ([("add", "Gamma")], MultiEdit(added=("Gamma",))),
        ([("remove", "Alpha")], MultiEdit(removed=("Alpha",))),
        ([("add", "Gamma"), ("add", "Gamma")], MultiEdit(added=("Gamma",))),
        ([("add", "Gamma"), ("remove", "Alpha")], MultiEdit(("Gamma",), ("Alpha",))),
        ([("add", "Gamma"), ("remove", "Gamma")], MultiEdit(removed=("Gamma",))),
        ([("remove", "Alpha"), ("add", "Alpha")], MultiEdit(added=("Alpha",))),
        ([("set", ("Beta",)), ("add", "Delta")], SetTo(("Beta", "Delta"))),
        ([("set", ("Beta",)), ("add", "Beta")], SetTo(("Beta",))),
        ([("set", ("Beta", "Delta")), ("remove", "Beta")], SetTo(("Delta",))),
        ([("clear", None), ("add", "Beta")], SetTo(("Beta",))),
        ([("clear", None), ("remove", "Beta")], Cleared()),
        ([("add", "Gamma"), ("set", ("Beta",))], SetTo(("Beta",))),
    ],
)
def test_multi_value_add_and_remove(ops: list[tuple[str, Any]], expected: Change) -> None:
    draft = Draft()
    for op, item in ops:
        if op == "add":
            draft = draft.with_added("custom.cf_tags", item)
        elif op == "remove":
            draft = draft.with_removed("custom.cf_tags", item)
        elif op == "set":
            draft = draft.with_set("custom.cf_tags", item)
        else:
            draft = draft.with_cleared("custom.cf_tags")
    assert draft.change("custom.cf_tags") == expected


def test_with_set_takes_lists_as_tuples() -> None:
    assert Draft().with_set("custom.cf_tags", ["A", "B"]).change("custom.cf_tags") == SetTo(
        ("A", "B")
    )


@pytest.mark.parametrize(
    ("ref", "text", "key", "change"),
    [
        ("Deal Source", "partner", "custom.cf_source", SetTo("Partner")),
        ("cf_source", "", "custom.cf_source", Cleared()),
        ("value", "$10", "value", SetTo(1000)),
        ("status", "Sales/Won", "status_id", SetTo("stat_s_won")),
    ],
)
def test_set_text_stores_the_canonical_key(
    edits_schema: OrgSchema, ref: str, text: str, key: str, change: object
) -> None:
    draft = Draft().set_text(edits_schema, ref, text)
    assert isinstance(draft, Draft)
    assert draft.changes == {key: change}


def test_set_text_returns_the_problem_and_keeps_nothing(edits_schema: OrgSchema) -> None:
    draft = Draft().with_set("confidence", 10)
    result = draft.set_text(edits_schema, "confidence", "200")
    assert result == FieldProblem("Confidence must be between 0 and 100, not 200.")
    assert draft.change("confidence") == SetTo(10)


def test_add_and_remove_text(edits_schema: OrgSchema) -> None:
    draft = Draft().add_text(edits_schema, "Tags", "gamma")
    assert isinstance(draft, Draft)
    draft = draft.remove_text(edits_schema, "tags", "ALPHA")
    assert isinstance(draft, Draft)
    assert draft.change("custom.cf_tags") == MultiEdit(("Gamma",), ("Alpha",))
    people = Draft().add_text(edits_schema, "Reviewers", "cy@example.com")
    assert isinstance(people, Draft)
    assert people.change("custom.cf_reviewers") == MultiEdit(added=("user_cy",))


@pytest.mark.parametrize(
    ("ref", "text", "message"),
    [
        ("Deal Source", "Inbound",
         "Deal Source holds one value; only multi-value fields add or remove."),
        ("Tags", "", "Tags: nothing to add or remove."),
        ("Tags", "Omega", "'Omega' is not a choice for Tags."),
        ("Internal Score", "1",
         "Internal Score is read-only: closetui cannot edit 'hidden' fields."),
        ("Nope", "1", "Unknown field 'Nope'; did you mean 'note'?"),
    ],
)  # fmt: skip
def test_add_text_problems(edits_schema: OrgSchema, ref: str, text: str, message: str) -> None:
    result = Draft().add_text(edits_schema, ref, text)
    assert isinstance(result, FieldProblem)
    assert result.message == message
