"""The pipeline board without drawing: its columns, their counts and sums, a card's text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from closetui.display import format as fmt

STATUS_ORDER = {"active": 0, "won": 1, "lost": 2}
"""Columns by status type: active ones first, then won, then lost."""


class StatusLike(Protocol):
    """A pipeline's status as the board needs it (the API's ``OpportunityStatus``)."""

    @property
    def id(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def type(self) -> str: ...


class CardRow(Protocol):
    """What a card shows of an opportunity (the list's compact row)."""

    @property
    def lead_name(self) -> str: ...
    @property
    def status_type(self) -> str | None: ...
    @property
    def value(self) -> int | None: ...
    @property
    def value_currency(self) -> str | None: ...
    @property
    def value_period(self) -> str | None: ...
    @property
    def confidence(self) -> int | None: ...
    @property
    def user_name(self) -> str | None: ...
    @property
    def date_won(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class BoardStatus:
    """One column of the board: a status of the pipeline."""

    id: str
    label: str
    type: str
    """``active`` / ``won`` / ``lost``."""


def board_statuses(statuses: Iterable[StatusLike]) -> tuple[BoardStatus, ...]:
    """The pipeline's statuses as columns: active ones first, then won, then lost, each
    group in the pipeline's own order."""
    columns = [BoardStatus(s.id, s.label, str(s.type)) for s in statuses]
    return tuple(sorted(columns, key=lambda s: STATUS_ORDER.get(s.type, 0)))


def step_status(columns: Sequence[BoardStatus], status_id: str, step: int) -> BoardStatus | None:
    """The column ``step`` places after (before, when negative) ``status_id``; None at
    either end or when the status is not on this board."""
    ids = [c.id for c in columns]
    if status_id not in ids:
        return None
    index = ids.index(status_id) + step
    return columns[index] if 0 <= index < len(columns) else None


def annualized(cents: int | None, period: str | None) -> int:
    """A value over a year, as Close annualises it (monthly times twelve)."""
    if cents is None:
        return 0
    return cents * 12 if period == "monthly" else cents


@dataclass(frozen=True, slots=True)
class ColumnSums:
    """A column header's figures: how many, and the sums of value and expected value."""

    count: int | None
    """Matches on the server (None until the first page came)."""
    value: int
    """Annualised value, minor units."""
    expected: int
    """Annualised expected value (value times confidence), minor units."""
    partial: bool = False
    """True when summed over the pages read only (the server sent no aggregates)."""

    @classmethod
    def from_server(cls, count: int | None, value: int, expected: int) -> ColumnSums:
        """Exact figures over every match, as the server answered them."""
        return cls(count, value, expected)

    @classmethod
    def from_rows(cls, count: int | None, rows: Iterable[CardRow]) -> ColumnSums:
        """Sums over the rows read so far; partial unless they are every match."""
        value = expected = seen = 0
        for row in rows:
            seen += 1
            yearly = annualized(row.value, row.value_period)
            value += yearly
            expected += yearly * (row.confidence or 0) // 100
        return cls(count, value, expected, partial=count is None or seen < count)


LOADING = ColumnSums(None, 0, 0)
"""A column whose first page has not come yet."""


def header_texts(status: BoardStatus, sums: ColumnSums) -> tuple[str, str, str, str]:
    """A column's title, count, value and expected value:
    ``("✓ Won", "1,234", "$12,000 value", "$6,000 expected")`` (``≥ $12,000…`` when partial)."""
    mark = {"won": "✓ ", "lost": "✗ "}.get(status.type, "")
    title = mark + status.label
    if sums.count is None:
        return title, "…", "", ""
    value = fmt.money(sums.value) or "$0"
    expected = fmt.money(sums.expected) or "$0"
    if sums.partial:
        value, expected = f"≥ {value}…", f"≥ {expected}…"
    return title, f"{sums.count:,}", f"{value} value", f"{expected} expected"


def card_texts(row: CardRow, moving_to: str | None = None) -> tuple[str, str, str]:
    """A card's three lines: lead; value and confidence; ``date_won`` when won and the owner
    (``moving_to``: the status a draft moves it to, shown instead)."""
    money = fmt.money(row.value, row.value_currency, row.value_period)
    confidence = fmt.confidence(row.confidence)
    second = " · ".join(part for part in (money, confidence) if part) or "no value"
    if moving_to is not None:
        third = f"→ {moving_to}"
    else:
        won = f"won {row.date_won}" if row.status_type == "won" and row.date_won else ""
        third = " · ".join(part for part in (won, row.user_name or "") if part)  # date kept
    return row.lead_name, second, third
