"""The org context of edits: today at an offset, and status/user/field lookups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from closetui.api.models import OpportunityStatus, User
from closetui.edits import FieldProblem, FieldSpec, OrgSchema, offset_label, today_at

FIVE_EAST = timezone(timedelta(hours=5))


@pytest.mark.parametrize(
    ("now", "offset", "today"),
    [
        (datetime(2026, 11, 27, 20, 0, tzinfo=UTC), 0, date(2026, 11, 27)),
        (datetime(2026, 11, 27, 20, 0, tzinfo=UTC), 5.5, date(2026, 11, 28)),
        (datetime(2026, 11, 27, 18, 29, tzinfo=UTC), 5.5, date(2026, 11, 27)),
        (datetime(2026, 11, 27, 18, 30, tzinfo=UTC), 5.5, date(2026, 11, 28)),
        (datetime(2026, 11, 28, 1, 0, tzinfo=UTC), -2.5, date(2026, 11, 27)),
        (datetime(2026, 11, 28, 2, 30, tzinfo=UTC), -2.5, date(2026, 11, 28)),
        (datetime(2026, 11, 28, 0, 0, tzinfo=UTC), -0.5, date(2026, 11, 27)),
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), 14, date(2027, 1, 1)),
        # The clock's own zone does not matter, only the instant.
        (datetime(2026, 11, 28, 3, 0, tzinfo=FIVE_EAST), -2.5, date(2026, 11, 27)),
    ],
)
def test_today_is_taken_at_the_profile_offset(now: datetime, offset: float, today: date) -> None:
    assert today_at(now, offset) == today


def test_today_needs_an_aware_clock() -> None:
    with pytest.raises(ValueError, match="aware"):
        today_at(datetime(2026, 11, 27, 20, 0), 0)


@pytest.mark.parametrize(
    ("offset", "label"),
    [(5.5, "UTC+5.5"), (-2.5, "UTC-2.5"), (0, "UTC+0"), (-5, "UTC-5"), (14.0, "UTC+14")],
)
def test_offset_label(offset: float, label: str) -> None:
    assert offset_label(offset) == label


def test_with_now_recomputes_today(edits_schema_factory: Callable[..., OrgSchema]) -> None:
    schema = edits_schema_factory(tz_offset=5.5)
    later = schema.with_now(datetime(2026, 12, 1, 19, 0, tzinfo=UTC))
    assert (schema.today, later.today) == (date(2026, 11, 28), date(2026, 12, 2))
    assert later.pipelines == schema.pipelines


@pytest.mark.parametrize(
    ("text", "pipeline_id", "expected"),
    [
        ("stat_r_won", None, "stat_r_won"),
        ("stat_r_won", "pipe_sales", "stat_r_won"),
        ("Won", "pipe_sales", "stat_s_won"),
        ("won", "pipe_renew", "stat_r_won"),
        ("  WON ", "pipe_renew", "stat_r_won"),
        ("Proposal", "pipe_renew", "stat_s_prop"),
        ("churned", None, "stat_r_churn"),
        ("Renewals/Won", None, "stat_r_won"),
        ("renewals/won", "pipe_sales", "stat_r_won"),
        ("Sales / Lost", "pipe_renew", "stat_s_lost"),
        ("sales/proposal", None, "stat_s_prop"),
    ],
)
def test_status_resolves(
    edits_schema: OrgSchema, text: str, pipeline_id: str | None, expected: str
) -> None:
    found = edits_schema.resolve_status(text, pipeline_id=pipeline_id)
    assert isinstance(found, OpportunityStatus)
    assert found.id == expected


@pytest.mark.parametrize(
    ("text", "pipeline_id", "message", "suggestion"),
    [
        (
            "Won",
            None,
            "Status 'Won' is ambiguous: Won (Sales), Won (Renewals) — use the id or "
            "'Pipeline/Label'.",
            None,
        ),
        (
            "lost",
            "pipe_other",
            "Status 'lost' is ambiguous: Lost (Sales), Lost (Renewals) — use the id or "
            "'Pipeline/Label'.",
            None,
        ),
        ("Wonn", "pipe_sales", "'Wonn' is not a status; did you mean 'Won'?", "Won"),
        ("Propsal", None, "'Propsal' is not a status; did you mean 'Proposal'?", "Proposal"),
        ("Marketing/Won", None, "'Marketing/Won' is not a status.", None),
        ("stat_nope", None, "'stat_nope' is not a status.", None),
    ],
)
def test_status_problems(
    edits_schema: OrgSchema,
    text: str,
    pipeline_id: str | None,
    message: str,
    suggestion: str | None,
) -> None:
    assert edits_schema.resolve_status(text, pipeline_id=pipeline_id) == FieldProblem(
        message, suggestion
    )


def test_status_helpers(edits_schema: OrgSchema) -> None:
    assert edits_schema.status_name("stat_r_won") == "Won (Renewals)"
    assert edits_schema.status_name("stat_gone") == "stat_gone"
    assert edits_schema.is_won("stat_s_won")
    assert not edits_schema.is_won("stat_s_lost")
    assert not edits_schema.is_won(None)
    pipeline = edits_schema.pipeline_of("stat_r_open")
    assert pipeline is not None
    assert pipeline.name == "Renewals"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("user_bob", "user_bob"),
        ("Bob Stone", "user_bob"),
        ("  bob   stone ", "user_bob"),
        ("BOB@EXAMPLE.COM", "user_bob"),
        ("ann@example.com", "user_ann"),
        ("Ann.Lee@other.test", "user_ann2"),
        ("cy young", "user_cy"),
    ],
)
def test_user_resolves(edits_schema: OrgSchema, text: str, expected: str) -> None:
    found = edits_schema.resolve_user(text)
    assert isinstance(found, User)
    assert found.id == expected


@pytest.mark.parametrize(
    ("text", "message", "suggestion"),
    [
        (
            "ann lee",
            "'ann lee' is ambiguous for Owner: Ann Lee <ann@example.com>, "
            "Ann Lee <ann.lee@other.test> — use the email or id.",
            None,
        ),
        ("Bob", "'Bob' is not a user for Owner; did you mean 'Bob Stone'?", "Bob Stone"),
        (
            "Bob Stine",
            "'Bob Stine' is not a user for Owner; did you mean 'Bob Stone'?",
            "Bob Stone",
        ),
        ("nobody at all", "'nobody at all' is not a user for Owner.", None),
        ("ann", "'ann' is not a user for Owner.", None),
        (
            "ann.",
            "'ann.' is not a user for Owner; did you mean 'ann.lee@other.test'?",
            "ann.lee@other.test",
        ),
        ("user_nobody", "'user_nobody' is not a user for Owner.", None),
    ],
)
def test_user_problems(
    edits_schema: OrgSchema, text: str, message: str, suggestion: str | None
) -> None:
    assert edits_schema.resolve_user(text) == FieldProblem(message, suggestion)


@pytest.mark.parametrize(
    ("ref", "key"),
    [
        ("status_id", "status_id"),
        ("status", "status_id"),
        ("Owner", "user_id"),
        ("date won", "date_won"),
        ("Value Period", "value_period"),
        ("cf_source", "custom.cf_source"),
        ("custom.cf_source", "custom.cf_source"),
        ("deal source", "custom.cf_source"),
        (" DEAL  SOURCE ", "custom.cf_source"),
        ("Internal Score", "custom.cf_hidden"),
    ],
)
def test_field_lookup(edits_schema: OrgSchema, ref: str, key: str) -> None:
    spec = edits_schema.spec(ref)
    assert isinstance(spec, FieldSpec)
    assert spec.key == key


def test_unknown_field_suggests(edits_schema: OrgSchema) -> None:
    assert edits_schema.spec("Deal Sorce") == FieldProblem(
        "Unknown field 'Deal Sorce'; did you mean 'Deal Source'?", "Deal Source"
    )
    assert edits_schema.spec("xyzzy") == FieldProblem("Unknown field 'xyzzy'.")


def test_ambiguous_field_name(edits_schema_factory: Callable[..., OrgSchema]) -> None:
    from closetui.api.models import CustomField

    base = edits_schema_factory()
    twin = CustomField(id="cf_twin", name="deal source", type="text")
    schema = OrgSchema(
        base.pipelines, [*base.custom_fields, twin], base.users, None, 0.0, base.today
    )
    problem = schema.spec("Deal Source")
    assert isinstance(problem, FieldProblem)
    assert "ambiguous (cf_source, cf_twin)" in problem.message


@pytest.mark.parametrize(
    ("role", "editable", "read_only"),
    [
        (
            "member",
            {"custom.cf_segment", "custom.cf_tags"},
            {"custom.cf_hidden", "custom.cf_discount", "custom.cf_region"},
        ),
        (
            "admin",
            {"custom.cf_discount", "custom.cf_region", "custom.cf_segment"},
            {"custom.cf_hidden"},
        ),
        ("manager", {"custom.cf_region"}, {"custom.cf_hidden", "custom.cf_discount"}),
        (None, {"custom.cf_tags"}, {"custom.cf_discount", "custom.cf_region"}),
    ],
)
def test_read_only_fields_depend_on_type_and_role(
    edits_schema_factory: Callable[..., OrgSchema],
    role: str | None,
    editable: set[str],
    read_only: set[str],
) -> None:
    schema = edits_schema_factory(role=role)
    keys = {spec.key for spec in schema.editable_specs()}
    assert editable <= keys
    assert not read_only & keys


def test_specs_come_in_body_order(edits_schema: OrgSchema) -> None:
    keys = [spec.key for spec in edits_schema.specs()]
    assert keys[:8] == [
        "status_id",
        "date_won",
        "value",
        "value_period",
        "confidence",
        "user_id",
        "contact_id",
        "note",
    ]
    assert keys[8:] == [f.key for f in edits_schema.custom_fields]


def test_read_only_reasons(edits_schema: OrgSchema) -> None:
    hidden = edits_schema.spec("cf_hidden")
    discount = edits_schema.spec("cf_discount")
    assert isinstance(hidden, FieldSpec)
    assert isinstance(discount, FieldSpec)
    assert hidden.read_only == "Internal Score is read-only: closetui cannot edit 'hidden' fields."
    assert discount.read_only == (
        "Discount Approved is read-only: only roles admin may edit it (your role: member)."
    )
