"""Raw text to field values: every input form, and a clear message for bad input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from closetui.api.models import Opportunity
from closetui.edits import (
    Cleared,
    FieldProblem,
    FieldSpec,
    OrgSchema,
    SetTo,
    Value,
    format_input,
    parse_date,
    parse_input,
)
from closetui.edits.fields import MAX_CENTS, MAX_NUMBER

NEAR_MIDNIGHT = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
"""At 20:00 UTC it is already the 28th at +5.5 and still the 27th at -2.5."""
AFTER_MIDNIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
"""At 01:00 UTC it is the 28th at +5.5 and still the 27th at -2.5."""


def _problem(result: object) -> str:
    assert isinstance(result, FieldProblem), result
    return result.message


@pytest.mark.parametrize(
    ("now", "offset", "text", "expected"),
    [
        (NEAR_MIDNIGHT, 0, "today", date(2026, 11, 27)),
        (NEAR_MIDNIGHT, 5.5, "today", date(2026, 11, 28)),
        (NEAR_MIDNIGHT, -2.5, "today", date(2026, 11, 27)),
        (AFTER_MIDNIGHT, 0, "today", date(2026, 11, 28)),
        (AFTER_MIDNIGHT, -2.5, "today", date(2026, 11, 27)),
        (AFTER_MIDNIGHT, 5.5, "Today", date(2026, 11, 28)),
        (NEAR_MIDNIGHT, 5.5, "yesterday", date(2026, 11, 27)),
        (NEAR_MIDNIGHT, 5.5, "TOMORROW", date(2026, 11, 29)),
        (AFTER_MIDNIGHT, -2.5, "tomorrow", date(2026, 11, 28)),
        (NEAR_MIDNIGHT, 5.5, "+3d", date(2026, 12, 1)),
        (NEAR_MIDNIGHT, -2.5, "+3d", date(2026, 11, 30)),
        (NEAR_MIDNIGHT, 0, "-1w", date(2026, 11, 20)),
        (NEAR_MIDNIGHT, 0, "+2w", date(2026, 12, 11)),
        (NEAR_MIDNIGHT, 0, "+ 10 days", date(2026, 12, 7)),
        (NEAR_MIDNIGHT, 0, "+0d", date(2026, 11, 27)),
        (NEAR_MIDNIGHT, 0, "+2m", date(2027, 1, 27)),
        (NEAR_MIDNIGHT, 0, "-11m", date(2025, 12, 27)),
        (NEAR_MIDNIGHT, 0, "+1y", date(2027, 11, 27)),
        (datetime(2026, 1, 31, 12, tzinfo=UTC), 0, "+1m", date(2026, 2, 28)),
        (datetime(2028, 2, 29, 12, tzinfo=UTC), 0, "+1y", date(2029, 2, 28)),
        (NEAR_MIDNIGHT, 0, "2026-03-31", date(2026, 3, 31)),
        (NEAR_MIDNIGHT, 0, " 2024-02-29 ", date(2024, 2, 29)),
    ],
)
def test_date_forms(
    edits_schema_factory: Callable[..., OrgSchema],
    now: datetime,
    offset: float,
    text: str,
    expected: date,
) -> None:
    schema = edits_schema_factory(now=now, tz_offset=offset)
    assert parse_input(schema, "date_won", text) == SetTo(expected)
    assert parse_input(schema, "Start Date", text) == SetTo(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30", "Date won: '2026-02-30' is not a valid date."),
        ("+99999y", "Date won: '+99999y' is not a valid date."),
        ("-99999m", "Date won: '-99999m' is not a valid date."),
        ("next week", "Date won: 'next week' is not a date; use YYYY-MM-DD, today, yesterday, "
         "tomorrow or a shift like +3d, -1w, +2m, +1y."),
        ("3d", "Date won: '3d' is not a date; use YYYY-MM-DD, today, yesterday, "
         "tomorrow or a shift like +3d, -1w, +2m, +1y."),
        ("28/11/2026", "Date won: '28/11/2026' is not a date; use YYYY-MM-DD, today, yesterday, "
         "tomorrow or a shift like +3d, -1w, +2m, +1y."),
    ],
)  # fmt: skip
def test_bad_dates(edits_schema: OrgSchema, text: str, message: str) -> None:
    assert _problem(parse_input(edits_schema, "date_won", text)) == message


def test_parse_date_far_shift_never_raises() -> None:
    assert isinstance(parse_date("+99999d", date(9999, 12, 1)), FieldProblem)
    assert isinstance(parse_date("-1d", date(1, 1, 1)), FieldProblem)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T10:00:00+01:00", datetime(2026, 11, 28, 9, 0, tzinfo=UTC)),
        ("2026-11-28T10:00:00Z", datetime(2026, 11, 28, 10, 0, tzinfo=UTC)),
        ("2026-11-28 10:00+05:30", datetime(2026, 11, 28, 4, 30, tzinfo=UTC)),
        ("2026-11-28T10:00:00.250-02:30", datetime(2026, 11, 28, 12, 30, 0, 250000, tzinfo=UTC)),
    ],
)
def test_datetime_forms(edits_schema: OrgSchema, text: str, expected: datetime) -> None:
    result = parse_input(edits_schema, "Demo At", text)
    assert isinstance(result, SetTo)
    assert result.value == expected


def test_datetime_keeps_the_offset_typed(edits_schema: OrgSchema) -> None:
    result = parse_input(edits_schema, "cf_demo", "2026-11-28T10:00:00+01:00")
    assert result == SetTo(datetime(2026, 11, 28, 10, tzinfo=timezone(timedelta(hours=1))))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-11-28T10:00:00", "Demo At: '2026-11-28T10:00:00' has no UTC offset; "
         "add one like +01:00 or Z."),
        ("2026-11-28", "Demo At: '2026-11-28' is not a date and time; use ISO 8601 like "
         "2026-11-28T10:00:00+01:00."),
        ("2026-11-28T25:00Z", "Demo At: '2026-11-28T25:00Z' is not a date and time; use ISO "
         "8601 like 2026-11-28T10:00:00+01:00."),
        ("tomorrow", "Demo At: 'tomorrow' is not a date and time; use ISO 8601 like "
         "2026-11-28T10:00:00+01:00."),
    ],
)  # fmt: skip
def test_bad_datetimes(edits_schema: OrgSchema, text: str, message: str) -> None:
    assert _problem(parse_input(edits_schema, "Demo At", text)) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("-3", -3),
        ("+7", 7),
        ("1,250", 1250),
        ("1,250.5", 1250.5),
        ("0.25", 0.25),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("12,345,678", 12345678),
    ],
)
def test_number_forms(edits_schema: OrgSchema, text: str, expected: float) -> None:
    result = parse_input(edits_schema, "Seats", text)
    assert result == SetTo(expected)
    assert isinstance(result, SetTo)
    assert type(result.value) is type(expected)


@pytest.mark.parametrize("text", ["abc", "1,25", "12,34.5", "1.2.3", ".", "-", "1e400", "9" * 41])
def test_bad_numbers(edits_schema: OrgSchema, text: str) -> None:
    assert _problem(parse_input(edits_schema, "Seats", text)) == f"Seats: {text!r} is not a number."


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("1,250.50", 125050),
        ("$1,250.50", 125050),
        ("1250", 125000),
        ("1250.5", 125050),
        ("$ 99", 9900),
        ("0.07", 7),
        ("0", 0),
        (".5", 50),
        ("12.", 1200),
        ("1,000,000", 100000000),
        ("20 USD", 2000),
        ("usd 20", 2000),
        ("99", 9900),
    ],
)
def test_money_forms(edits_schema: OrgSchema, text: str, cents: int) -> None:
    assert parse_input(edits_schema, "value", text) == SetTo(cents)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1,250.505", "Value: '1,250.505' has more than 2 decimals."),
        ("1.234", "Value: '1.234' has more than 2 decimals."),
        ("-5", "Value cannot be negative."),
        ("-$5", "Value cannot be negative."),
        ("$-5", "Value cannot be negative."),
        ("1,25", "Value: '1,25' is not an amount; use digits with '.' for cents and ',' only "
         "between thousands (1,250.50)."),
        ("ten", "Value: 'ten' is not an amount; use digits with '.' for cents and ',' only "
         "between thousands (1,250.50)."),
        ("$", "Value: '$' is not an amount; use digits with '.' for cents and ',' only "
         "between thousands (1,250.50)."),
    ],
)  # fmt: skip
def test_bad_money(edits_schema: OrgSchema, text: str, message: str) -> None:
    assert _problem(parse_input(edits_schema, "value", text)) == message


@pytest.mark.parametrize("text", ["", "   "])
@pytest.mark.parametrize("field", ["value", "date_won", "contact_id", "note", "cf_source", "Tags"])
def test_empty_input_clears(edits_schema: OrgSchema, field: str, text: str) -> None:
    assert parse_input(edits_schema, field, text) == Cleared()


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("status_id", "Status"),
        ("confidence", "Confidence"),
        ("value_period", "Value period"),
        ("user_id", "Owner"),
    ],
)
def test_required_fields_cannot_be_emptied(edits_schema: OrgSchema, field: str, label: str) -> None:
    assert _problem(parse_input(edits_schema, field, "")) == f"{label} cannot be empty."


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80", 80), ("80%", 80), (" 80 % ", 80), ("0", 0), ("100", 100), ("+5", 5)],
)
def test_confidence_forms(edits_schema: OrgSchema, text: str, expected: int) -> None:
    assert parse_input(edits_schema, "confidence", text) == SetTo(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("101", "Confidence must be between 0 and 100, not 101."),
        ("-1", "Confidence must be between 0 and 100, not -1."),
        ("80.5", "Confidence: '80.5' is not a whole percentage (0 to 100)."),
        ("high", "Confidence: 'high' is not a whole percentage (0 to 100)."),
    ],
)
def test_bad_confidence(edits_schema: OrgSchema, text: str, message: str) -> None:
    assert _problem(parse_input(edits_schema, "confidence", text)) == message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one_time", "one_time"),
        ("one time", "one_time"),
        ("One-Time", "one_time"),
        ("ONE TIME", "one_time"),
        ("monthly", "monthly"),
        ("Annual", "annual"),
        ("yearly", "annual"),
    ],
)
def test_value_period_forms(edits_schema: OrgSchema, text: str, expected: str) -> None:
    assert parse_input(edits_schema, "value_period", text) == SetTo(expected)


def test_bad_value_period(edits_schema: OrgSchema) -> None:
    assert parse_input(edits_schema, "value_period", "monthy") == FieldProblem(
        "Value period: 'monthy' is not one of one_time, monthly, annual; did you mean 'monthly'?",
        "monthly",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Inbound", "Inbound"), ("inbound", "Inbound"), ("  PARTNER ", "Partner")],
)
def test_choice_resolves_to_canonical_spelling(
    edits_schema: OrgSchema, text: str, expected: str
) -> None:
    assert parse_input(edits_schema, "Deal Source", text) == SetTo(expected)


@pytest.mark.parametrize(
    ("text", "message", "suggestion"),
    [
        ("Inbund", "'Inbund' is not a choice for Deal Source; did you mean 'Inbound'?", "Inbound"),
        ("part", "'part' is not a choice for Deal Source; did you mean 'Partner'?", "Partner"),
        ("Referral", "'Referral' is not a choice for Deal Source.", None),
    ],
)
def test_bad_choice_suggests(
    edits_schema: OrgSchema, text: str, message: str, suggestion: str | None
) -> None:
    assert parse_input(edits_schema, "Deal Source", text) == FieldProblem(message, suggestion)


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("Tags", "beta", ("Beta",)),
        ("Tags", "alpha, GAMMA", ("Alpha", "Gamma")),
        ("Tags", "alpha,alpha , beta,", ("Alpha", "Beta")),
        ("Reviewers", "Bob Stone, cy@example.com", ("user_bob", "user_cy")),
        ("Reviewers", "user_ann", ("user_ann",)),
        ("Stakeholders", "cont_a1, cont_b2", ("cont_a1", "cont_b2")),
    ],
)
def test_multi_value_input_is_a_whole_list(
    edits_schema: OrgSchema, field: str, text: str, expected: tuple[str, ...]
) -> None:
    assert parse_input(edits_schema, field, text) == SetTo(expected)


def test_multi_value_item_problem_is_reported(edits_schema: OrgSchema) -> None:
    assert _problem(parse_input(edits_schema, "Tags", "alpha, epsilon")) == (
        "'epsilon' is not a choice for Tags."
    )


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("user_id", "Bob Stone", "user_bob"),
        ("owner", "bob@example.com", "user_bob"),
        ("Champion", "ANN.LEE@OTHER.TEST", "user_ann2"),
        ("Champion", "user_cy", "user_cy"),
        ("contact_id", "cont_9xYz", "cont_9xYz"),
        ("Signer", " cont_1 ", "cont_1"),
        ("note", "  keep my spacing ", "  keep my spacing "),
        ("Project", "Falcon 2", "Falcon 2"),
        ("Details", "line 1\nline 2", "line 1\nline 2"),
    ],
)
def test_people_and_text(edits_schema: OrgSchema, field: str, text: str, expected: str) -> None:
    assert parse_input(edits_schema, field, text) == SetTo(expected)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("user_id", "Ann Lee", "'Ann Lee' is ambiguous for Owner: Ann Lee <ann@example.com>, "
         "Ann Lee <ann.lee@other.test> — use the email or id."),
        ("Champion", "dan@example.com", "'dan@example.com' is not a user for Champion; "
         "did you mean 'ann@example.com'?"),
        ("contact_id", "Jane Doe", "Contact: 'Jane Doe' is not a contact id (cont_...)."),
        ("Signer", "cont_", "Signer: 'cont_' is not a contact id (cont_...)."),
    ],
)  # fmt: skip
def test_people_problems(edits_schema: OrgSchema, field: str, text: str, message: str) -> None:
    assert _problem(parse_input(edits_schema, field, text)) == message


@pytest.mark.parametrize(
    ("status_id", "text", "expected"),
    [
        ("stat_s_prop", "won", "stat_s_won"),
        ("stat_r_open", "won", "stat_r_won"),
        ("stat_r_open", "Sales/Won", "stat_s_won"),
        ("stat_s_prop", "stat_r_won", "stat_r_won"),
        ("stat_s_prop", "churned", "stat_r_churn"),
    ],
)
def test_status_labels_scope_to_the_opportunitys_pipeline(
    edits_schema: OrgSchema,
    edits_opp_factory: Callable[..., Opportunity],
    status_id: str,
    text: str,
    expected: str,
) -> None:
    opp = edits_opp_factory(status_id=status_id)
    assert parse_input(edits_schema, "status", text, opportunity=opp) == SetTo(expected)


def test_status_label_without_opportunity_is_ambiguous(edits_schema: OrgSchema) -> None:
    assert _problem(parse_input(edits_schema, "status", "Won")) == (
        "Status 'Won' is ambiguous: Won (Sales), Won (Renewals) — use the id or 'Pipeline/Label'."
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("Internal Score", "Internal Score is read-only: closetui cannot edit 'hidden' fields."),
        ("cf_discount", "Discount Approved is read-only: only roles admin may edit it "
         "(your role: member)."),
        ("Region", "Region is read-only: only roles admin, manager may edit it "
         "(your role: member)."),
    ],
)  # fmt: skip
def test_read_only_fields_refuse_input(edits_schema: OrgSchema, field: str, message: str) -> None:
    assert _problem(parse_input(edits_schema, field, "Yes")) == message
    assert _problem(parse_input(edits_schema, field, "")) == message


def test_admin_may_edit_role_limited_fields(edits_schema_factory: Callable[..., OrgSchema]) -> None:
    schema = edits_schema_factory(role="admin")
    assert parse_input(schema, "Discount Approved", "yes") == SetTo("Yes")
    assert parse_input(schema, "Region", "APAC") == SetTo("APAC")


def test_unknown_field(edits_schema: OrgSchema) -> None:
    assert _problem(parse_input(edits_schema, "Budget", "5")) == "Unknown field 'Budget'."


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ("value", 125050, "1,250.50"),
        ("value", 125000, "1,250"),
        ("value", 7, "0.07"),
        ("date_won", date(2026, 3, 1), "2026-03-01"),
        ("status_id", "stat_s_prop", "Proposal"),
        ("status_id", "stat_s_won", "Sales/Won"),
        ("user_id", "user_bob", "Bob Stone"),
        ("user_id", "user_ann", "ann@example.com"),
        ("custom.cf_tags", ("Alpha", "Beta"), "Alpha, Beta"),
        ("custom.cf_demo", datetime(2026, 1, 1, 9, tzinfo=UTC), "2026-01-01T09:00:00+00:00"),
        ("note", None, ""),
    ],
)
def test_format_input_reads_back(
    edits_schema: OrgSchema, field: str, value: Value | None, text: str
) -> None:
    spec = edits_schema.spec(field)
    assert isinstance(spec, FieldSpec)
    assert format_input(edits_schema, spec, value) == text
    expected = Cleared() if value is None else SetTo(value)
    assert parse_input(edits_schema, spec, text) == expected


@pytest.mark.parametrize("text", ["€5", "5€", "£5", "¥5", "EUR 5", "5 GBP", "₹5", "$€5"])
def test_money_in_another_currency_is_refused(edits_schema: OrgSchema, text: str) -> None:
    assert _problem(parse_input(edits_schema, "value", text)) == (
        f"Value: {text!r} is in another currency; this organisation's is USD ($)."
    )


def test_money_in_the_orgs_own_currency(edits_schema: OrgSchema) -> None:
    euros = replace(edits_schema, currency="EUR", currency_symbol="€")
    assert parse_input(euros, "value", "€5") == SetTo(500)
    assert parse_input(euros, "value", "5 EUR") == SetTo(500)
    assert _problem(parse_input(euros, "value", "$5")) == (
        "Value: '$5' is in another currency; this organisation's is EUR (€)."
    )


@pytest.mark.parametrize(
    "text", ["99999999999999999999999999999999", "7,686,143,364,045,646.51", "1" + "0" * 20]
)
def test_money_beyond_what_close_stores(edits_schema: OrgSchema, text: str) -> None:
    assert _problem(parse_input(edits_schema, "value", text)) == (
        f"Value: {text!r} is more than Close can store (at most 7,686,143,364,045,646.50)."
    )
    assert parse_input(edits_schema, "value", "7,686,143,364,045,646.50") == SetTo(MAX_CENTS)


@pytest.mark.parametrize("text", ["9223372036854775808", "-9223372036854775808", "1e19"])
def test_numbers_beyond_what_close_stores(edits_schema: OrgSchema, text: str) -> None:
    assert _problem(parse_input(edits_schema, "Seats", text)).startswith(
        f"Seats: {text!r} is larger than Close can store"
    )
    assert parse_input(edits_schema, "Seats", str(MAX_NUMBER)) == SetTo(MAX_NUMBER)


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("value", "\u0665\u0660"),  # Arabic-Indic 50
        ("value", "\uff15\uff10"),  # full-width 50
        ("value", "$\u06f1,\u06f0\u06f0\u06f0"),  # extended Arabic-Indic
        ("Seats", "\u0663"),
        ("Seats", "1\u0660.5"),
        ("confidence", "\u0665\u0660"),
        ("date_won", "\u0662\u0660\u0662\u0666-\u0661\u0661-\u0660\u0661"),
        ("date_won", "+\uff13d"),
        ("Demo At", "\uff12\uff10\uff12\uff16-11-28T10:00:00+01:00"),
        ("Start Date", "2026-11-2\uff18"),
    ],
)
def test_digits_other_than_ascii_are_refused(
    edits_schema: OrgSchema, field: str, text: str
) -> None:
    label = edits_schema.spec(field)
    assert not isinstance(label, FieldProblem)
    assert _problem(parse_input(edits_schema, field, text)) == (
        f"{label.label}: {text!r} has digits other than 0-9; type ASCII 0-9."
    )
