"""Filter words -> Close list params: tables against the test org (two pipelines, users)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from closetui.api.query import OpportunityQuery, check_order_by
from closetui.config import View
from closetui.edits import OrgSchema
from closetui.filters import (
    NO_FILTER,
    FilterError,
    FilterWords,
    resolve_filter,
    resolve_view,
)
from tests.unit.conftest import EDITS_NOW, EDITS_PIPELINES
from tests.unit.helpers import modules_after_import, ui_modules

SALES = ",".join(s["id"] for s in EDITS_PIPELINES[0]["statuses"])


def words(**texts: str) -> FilterWords:
    return FilterWords.from_texts(texts)


def params(schema: OrgSchema, **texts: str) -> dict[str, str]:
    return resolve_filter(words(**texts), schema).query.params()


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ({}, {}),
        ({"pipeline": "Sales"}, {"status_id__in": SALES}),
        ({"pipeline": "pipe_sales"}, {"status_id__in": SALES}),
        ({"pipeline": "sales", "status": "won"}, {"status_id": "stat_s_won"}),
        # A label that several pipelines use means all of them in a filter.
        ({"status": "Won"}, {"status_id__in": "stat_s_won,stat_r_won"}),
        ({"status": "Renewals/Won"}, {"status_id": "stat_r_won"}),
        ({"status": "Won, Churned"}, {"status_id__in": "stat_s_won,stat_r_won,stat_r_churn"}),
        ({"status": "stat_s_lead, Proposal"}, {"status_id__in": "stat_s_lead,stat_s_prop"}),
        ({"status_type": "won"}, {"status_type": "won"}),
        ({"status_type": "Won, LOST"}, {"status_type__in": "won,lost"}),
        ({"owner": "Bob Stone"}, {"user_id": "user_bob"}),
        ({"owner": "bob@example.com, cy young"}, {"user_id__in": "user_bob,user_cy"}),
        ({"owner": "user_ann2"}, {"user_id": "user_ann2"}),
        ({"date_won_from": "2026-11-01"}, {"date_won__gte": "2026-11-01"}),
        ({"date_won_to": "yesterday"}, {"date_won__lte": "2026-11-26"}),
        (
            {"date_won_from": "-1m", "date_won_to": "today"},
            {"date_won__gte": "2026-10-27", "date_won__lte": "2026-11-27"},
        ),
        ({"query": "  note:renewal  "}, {"query": "note:renewal"}),
        (
            {"pipeline": "Renewals", "status_type": "active", "owner": "Cy Young"},
            {
                "status_id__in": "stat_r_open,stat_r_won,stat_r_lost,stat_r_churn",
                "status_type": "active",
                "user_id": "user_cy",
            },
        ),
    ],
)
def test_words_become_close_params(
    edits_schema: OrgSchema, texts: dict[str, str], expected: dict[str, str]
) -> None:
    assert params(edits_schema, **texts) == expected


def test_empty_filter_sends_nothing_but_the_sort(edits_schema: OrgSchema) -> None:
    active = resolve_filter(FilterWords(), edits_schema)
    assert active.empty
    assert active.summary() == ""
    assert active.for_page("-value").params() == {"_order_by": "-value"}
    assert NO_FILTER.for_page(None).params() == {}


def test_the_sort_rides_along_with_the_filter(edits_schema: OrgSchema) -> None:
    active = resolve_filter(words(status_type="lost"), edits_schema)
    assert active.for_page("user_name").params() == {
        "status_type": "lost",
        "_order_by": "user_name",
    }


@pytest.mark.parametrize(
    ("tz_offset", "word", "expected"),
    [
        # EDITS_NOW is 2026-11-27 20:00 UTC: already the 28th at +5.5, still the 27th at -5.
        (0.0, "today", "2026-11-27"),
        (5.5, "today", "2026-11-28"),
        (-5.0, "today", "2026-11-27"),
        (5.5, "yesterday", "2026-11-27"),
        (5.5, "-1w", "2026-11-21"),
        (5.5, "-1m", "2026-10-28"),
        (-5.0, "+1y", "2027-11-27"),
    ],
)
def test_date_words_count_from_today_at_the_profile_offset(
    edits_schema_factory: Callable[..., OrgSchema], tz_offset: float, word: str, expected: str
) -> None:
    schema = edits_schema_factory(tz_offset=tz_offset)
    assert params(schema, date_won_from=word) == {"date_won__gte": expected}


def test_a_later_day_moves_relative_words(edits_schema: OrgSchema) -> None:
    later = resolve_filter(words(date_won_from="-1w"), edits_schema, today=date(2027, 1, 10))
    assert later.query.date_won__gte == date(2027, 1, 3)


@pytest.mark.parametrize(
    ("texts", "field", "fragment"),
    [
        ({"pipeline": "Sails"}, "pipeline", "did you mean 'Sales'?"),
        ({"status": "Wonn"}, "status", "did you mean 'Won'?"),
        ({"pipeline": "Sales", "status": "Churned"}, "status", "not in the Sales pipeline"),
        ({"status": "Won, Nope"}, "status", "'Nope' is not a status"),
        ({"status_type": "wonn"}, "status_type", "did you mean 'won'?"),
        ({"owner": "Ada"}, "owner", "'Ada' is not a user for Owner"),
        ({"owner": "Ann Lee"}, "owner", "ambiguous"),
        ({"owner": "Bob Stone, Ada"}, "owner", "'Ada' is not a user"),
        ({"date_won_from": "31/12"}, "date_won_from", "Won from: '31/12' is not a date"),
        ({"date_won_to": "2026-02-30"}, "date_won_to", "not a valid date"),
        (
            {"date_won_from": "2026-11-10", "date_won_to": "2026-11-01"},
            "date_won_to",
            "Won to (2026-11-01) is before Won from (2026-11-10)",
        ),
    ],
)
def test_bad_words_name_the_field_and_the_word(
    edits_schema: OrgSchema, texts: dict[str, str], field: str, fragment: str
) -> None:
    with pytest.raises(FilterError) as caught:
        resolve_filter(words(**texts), edits_schema)
    assert list(caught.value.problems) == [field]
    assert fragment in caught.value.problems[field]


def test_every_bad_field_is_reported_at_once(edits_schema: OrgSchema) -> None:
    with pytest.raises(FilterError) as caught:
        resolve_filter(words(owner="Ada", date_won_from="soon", query="ok"), edits_schema)
    assert set(caught.value.problems) == {"owner", "date_won_from"}


@pytest.mark.parametrize(
    ("texts", "summary"),
    [
        ({"status": "Won"}, "status: Won"),
        ({"status": "Sales/Won"}, "status: Sales/Won"),
        ({"status": "stat_r_churn"}, "status: Churned"),
        ({"pipeline": "sales", "status": "won"}, "pipeline: Sales · status: Sales/Won"),
        ({"status_type": "won,won"}, "type: won"),
        ({"owner": "bob@example.com"}, "owner: Bob Stone"),
        ({"date_won_from": "2026-11-01"}, "won ≥ 2026-11-01"),
        ({"date_won_to": "2026-11-01"}, "won ≤ 2026-11-01"),
        ({"date_won_from": "-1w", "date_won_to": "today"}, "won 2026-11-20…2026-11-27"),
        ({"query": "note:x"}, "query: note:x"),
    ],
)
def test_the_summary_says_what_is_filtered(
    edits_schema: OrgSchema, texts: dict[str, str], summary: str
) -> None:
    assert resolve_filter(words(**texts), edits_schema).summary() == summary


def test_words_round_trip_through_texts_and_views() -> None:
    typed = words(status="Won, Lost", owner="Bob Stone", date_won_from="-1m", query="a b")
    assert FilterWords.from_texts(typed.texts()) == typed
    view = typed.to_view("-date_won")
    assert view.status == ("Won", "Lost")
    assert view.owner == ("Bob Stone",)
    assert view.order_by == "-date_won"
    back = FilterWords.from_view(view)
    assert back.texts() == typed.texts()
    assert FilterWords().empty
    assert not typed.empty


def test_a_view_resolves_today_and_carries_its_name_and_sort(edits_schema: OrgSchema) -> None:
    view = View(status_type=("won",), date_won_from="-1m", order_by="-date_won")
    active = resolve_view("Won this month", view, edits_schema)
    assert active.view == "Won this month"
    assert active.order_by == "-date_won"
    assert active.summary() == "Won this month: type: won · won ≥ 2026-10-27"
    tomorrow = resolve_view("Won this month", view, edits_schema, today=date(2026, 11, 28))
    assert tomorrow.query.date_won__gte == date(2026, 10, 28)


def test_a_view_that_does_not_fit_the_org_names_the_word(edits_schema: OrgSchema) -> None:
    with pytest.raises(FilterError) as caught:
        resolve_view("Ada's", View(owner=("Ada Lovelace",)), edits_schema)
    assert "'Ada Lovelace' is not a user for Owner" in str(caught.value)


@pytest.mark.parametrize("field", ["status_id", "status_type", "user_id"])
def test_query_in_form_only_for_several_values(field: str) -> None:
    one: Any = OpportunityQuery(**{field: ("a",)})
    many: Any = OpportunityQuery(**{field: ("a", "b")})
    assert one.params() == {field: "a"}
    assert many.params() == {f"{field}__in": "a,b"}


@pytest.mark.parametrize("text", ["value", "-date_won", "annualized_expected_value"])
def test_order_by_accepts_what_close_documents(text: str) -> None:
    assert check_order_by(text) == text


@pytest.mark.parametrize("text", ["lead_name", "--value", "", "date_won,value"])
def test_order_by_refuses_the_rest(text: str) -> None:
    with pytest.raises(ValueError, match="expected one of date_won"):
        check_order_by(text)


def test_edits_now_is_the_27th() -> None:
    """The table above counts from this day (UTC)."""
    assert EDITS_NOW.date() == date(2026, 11, 27)


def test_filters_are_domain_code() -> None:
    """The CLI resolves filters too: no textual or rich behind them."""
    assert not ui_modules(modules_after_import("closetui.filters"))


def test_the_query_params_come_in_the_fields_order_and_cover_every_field() -> None:
    assert sorted(OpportunityQuery.PARAM_ORDER) == sorted(OpportunityQuery.__slots__)
    query = OpportunityQuery(
        order_by="-value", status_type=("won", "lost"), date_won__gte=date(2026, 1, 2), query="x"
    )
    assert list(query.params().items()) == [
        ("status_type__in", "won,lost"),
        ("query", "x"),
        ("date_won__gte", "2026-01-02"),
        ("_order_by", "-value"),
    ]
    assert replace(query, order_by=None).params() == {
        "status_type__in": "won,lost",
        "query": "x",
        "date_won__gte": "2026-01-02",
    }
