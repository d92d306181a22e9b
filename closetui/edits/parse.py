"""Raw user text to typed field values; cheap, and never raises on bad input."""

from __future__ import annotations

import calendar
import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from closetui.edits.fields import MAX_CENTS, MAX_NUMBER, VALUE_PERIODS, FieldProblem
from closetui.edits.schema import closest
from closetui.edits.values import Cleared, SetTo, unique

if TYPE_CHECKING:
    from closetui.api.models import Opportunity
    from closetui.edits.fields import FieldSpec
    from closetui.edits.schema import OrgSchema
    from closetui.edits.values import Scalar, Value

_MAX_NUMBER_CHARS = 40
# re.ASCII everywhere: \d would match any script's digits, and int() would read them.
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\S.*", re.ASCII)
_RELATIVE_RE = re.compile(
    r"([+-])\s*(\d{1,5})\s*(d|days?|w|wks?|weeks?|m|mos?|months?|y|yrs?|years?)", re.ASCII
)
_NUMBER_RE = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:[eE][-+]?\d+)?", re.ASCII)
_MONEY_RE = re.compile(r"(\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d*))?", re.ASCII)
_CURRENCY_CODE_RE = re.compile(r"[A-Z]{3}")
_CONTACT_RE = re.compile(r"cont_[A-Za-z0-9]+")
_ASCII_DIGITS = frozenset("0123456789")
_NUMERIC_KINDS = frozenset({"date", "datetime", "money", "number", "confidence"})
_NAMED_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}
_PERIOD_ALIASES = {
    "once": "one_time",
    "onetime": "one_time",
    "month": "monthly",
    "year": "annual",
    "yearly": "annual",
    "annually": "annual",
}


def parse_input(
    schema: OrgSchema,
    ref: str | FieldSpec,
    text: str,
    *,
    opportunity: Opportunity | None = None,
) -> SetTo | Cleared | FieldProblem:
    """Turn what the user typed for one field into a change, or say why it can't.

    Empty (or blank) text clears the field. Multi-value fields take one item or a
    comma-separated list (the whole list). ``opportunity`` scopes status labels to
    its current pipeline.
    """
    spec = schema.spec(ref) if isinstance(ref, str) else ref
    if isinstance(spec, FieldProblem):
        return spec
    if spec.read_only is not None:
        return FieldProblem(spec.read_only)
    if not text.strip():
        if spec.clearable:
            return Cleared()
        return FieldProblem(f"{spec.label} cannot be empty.")
    pipeline_id = schema.pipeline_id_of(opportunity) if opportunity is not None else None
    item = parse_item(schema, spec, text, pipeline_id=pipeline_id)
    if not spec.multi:
        return item if isinstance(item, FieldProblem) else SetTo(item)
    if not isinstance(item, FieldProblem):
        return SetTo((item,))
    parts = [part for part in text.split(",") if part.strip()]
    if len(parts) < 2:
        return item
    items: list[Scalar] = []
    for part in parts:
        parsed = parse_item(schema, spec, part, pipeline_id=pipeline_id)
        if isinstance(parsed, FieldProblem):
            return parsed
        items.append(parsed)
    return SetTo(unique(tuple(items)))


def parse_item(
    schema: OrgSchema, spec: FieldSpec, text: str, *, pipeline_id: str | None = None
) -> Scalar | FieldProblem:
    """One value of ``spec``'s kind from non-empty text (no read-only check)."""
    label, kind = spec.label, spec.kind
    if kind == "text":
        return text
    if kind in _NUMERIC_KINDS and (other := other_digits(text, label)) is not None:
        return other
    if kind == "date":
        return parse_date(text, schema.today, label)
    if kind == "datetime":
        return parse_datetime(text, label)
    if kind == "money":
        return parse_money(text, label, currency=schema.currency, symbol=schema.currency_symbol)
    if kind == "number":
        return parse_number(text, label)
    if kind == "confidence":
        return parse_confidence(text, label)
    if kind == "value_period":
        return parse_value_period(text, label)
    if kind == "choices":
        return parse_choice(text, spec.choices, label)
    if kind == "contact":
        return parse_contact(text, label)
    if kind == "user":
        user = schema.resolve_user(text, label=label)
        return user if isinstance(user, FieldProblem) else user.id
    if kind == "status":
        status = schema.resolve_status(text, pipeline_id=pipeline_id)
        return status if isinstance(status, FieldProblem) else status.id
    return FieldProblem(f"{label} cannot be edited.")


def other_digits(text: str, label: str) -> FieldProblem | None:
    """A problem when ``text`` has digits other than ASCII 0-9 (Arabic-Indic, full-width…):
    Python's int() reads them, Close's forms do not, and the user may not see the difference."""
    if any(ch.isdigit() and ch not in _ASCII_DIGITS for ch in text):
        return FieldProblem(f"{label}: {text.strip()!r} has digits other than 0-9; type ASCII 0-9.")
    return None


def parse_date(text: str, today: date, label: str = "Date") -> date | FieldProblem:
    """``YYYY-MM-DD``, ``today``/``yesterday``/``tomorrow``, or ``+3d``/``-1w``/``+2m``/``+1y``."""
    folded = text.strip().lower()
    if folded in _NAMED_DAYS:
        return today + timedelta(days=_NAMED_DAYS[folded])
    try:
        if _DATE_RE.fullmatch(folded):
            return date.fromisoformat(folded)
        relative = _RELATIVE_RE.fullmatch(folded)
        if relative:
            sign, amount, unit = relative.groups()
            return _shift(today, int(amount) * (1 if sign == "+" else -1), unit[0])
    except (ValueError, OverflowError):
        return FieldProblem(f"{label}: {text.strip()!r} is not a valid date.")
    return FieldProblem(
        f"{label}: {text.strip()!r} is not a date; use YYYY-MM-DD, today, yesterday, "
        "tomorrow or a shift like +3d, -1w, +2m, +1y."
    )


def _shift(day: date, amount: int, unit: str) -> date:
    """``day`` moved by ``amount`` days/weeks/months/years (month ends are clamped)."""
    if unit in "dw":
        return day + timedelta(days=amount * (7 if unit == "w" else 1))
    months = day.year * 12 + day.month - 1 + amount * (12 if unit == "y" else 1)
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1] if 1 <= year <= 9999 else 0
    return date(year, month + 1, min(day.day, last))


def parse_datetime(text: str, label: str = "Datetime") -> datetime | FieldProblem:
    """ISO 8601 with a UTC offset (``2026-11-28T10:00:00+01:00``, ``...Z``)."""
    stripped = text.strip()
    try:
        parsed = datetime.fromisoformat(stripped) if _DATETIME_RE.fullmatch(stripped) else None
    except ValueError:
        parsed = None
    if parsed is None:
        return FieldProblem(
            f"{label}: {stripped!r} is not a date and time; use ISO 8601 like "
            "2026-11-28T10:00:00+01:00."
        )
    if parsed.tzinfo is None:
        return FieldProblem(f"{label}: {stripped!r} has no UTC offset; add one like +01:00 or Z.")
    return parsed


def parse_number(text: str, label: str = "Number") -> int | float | FieldProblem:
    """An int or a float; ``,`` is accepted between thousands (``1,250.5``)."""
    stripped = text.strip()
    problem = FieldProblem(f"{label}: {stripped!r} is not a number.")
    if len(stripped) > _MAX_NUMBER_CHARS or not _NUMBER_RE.fullmatch(stripped):
        return problem
    plain = stripped.replace(",", "")
    if not any(ch.isdigit() for ch in plain.split("e")[0].split("E")[0]):
        return problem
    try:
        number: int | float = float(plain) if any(ch in plain for ch in ".eE") else int(plain)
    except ValueError:
        return problem
    if not math.isfinite(number):
        return problem
    if abs(number) > MAX_NUMBER:
        return FieldProblem(
            f"{label}: {stripped!r} is larger than Close can store (at most {MAX_NUMBER:,})."
        )
    return number


def parse_money(
    text: str, label: str = "Value", *, currency: str = "USD", symbol: str = "$"
) -> int | FieldProblem:
    """An amount in cents: ``1,250.50``, ``$1,250.50`` -> 125050; ``1250`` -> 125000.

    The organisation's ``symbol`` or ``currency`` code may come before or after the
    amount; another currency's is refused (Close stores amounts in the org's currency).
    """
    stripped = text.strip()
    if (other := other_digits(stripped, label)) is not None:
        return other
    negative = stripped.startswith("-")
    body = _without_currency(stripped.removeprefix("-").strip(), currency, symbol)
    if negative or body.startswith("-"):
        return FieldProblem(f"{label} cannot be negative.")
    match = _MONEY_RE.fullmatch(body) if len(body) <= _MAX_NUMBER_CHARS else None
    if match is None and _names_a_currency(body):
        return FieldProblem(
            f"{label}: {stripped!r} is in another currency; this organisation's is "
            f"{currency} ({symbol or currency})."
        )
    if match is None or not any(ch in _ASCII_DIGITS for ch in body):
        return FieldProblem(
            f"{label}: {stripped!r} is not an amount; use digits with '.' for cents "
            "and ',' only between thousands (1,250.50)."
        )
    whole, cents = match.group(1), match.group(2) or ""
    if len(cents) > 2:
        return FieldProblem(f"{label}: {stripped!r} has more than 2 decimals.")
    amount = int(Decimal(whole.replace(",", "") or "0") * 100 + Decimal(cents.ljust(2, "0")))
    if amount > MAX_CENTS:
        whole_max, cents_max = divmod(MAX_CENTS, 100)
        return FieldProblem(
            f"{label}: {stripped!r} is more than Close can store "
            f"(at most {whole_max:,}.{cents_max:02d})."
        )
    return amount


def _without_currency(text: str, currency: str, symbol: str) -> str:
    """``text`` without one leading or trailing org symbol or code (``$5``, ``5 USD``)."""
    marks = sorted({m for m in (symbol, currency) if m}, key=len, reverse=True)
    for mark in marks:
        if text[: len(mark)].casefold() == mark.casefold():
            return text[len(mark) :].strip()
        if len(text) > len(mark) and text[-len(mark) :].casefold() == mark.casefold():
            return text[: -len(mark)].strip()
    return text


def _names_a_currency(text: str) -> bool:
    """True when ``text`` has a currency sign (``€``, ``£``…) or a code-like word (``EUR``)."""
    if any(unicodedata.category(ch) == "Sc" for ch in text):
        return True
    words = re.split(r"[\s\d.,]+", text)
    return any(_CURRENCY_CODE_RE.fullmatch(word) for word in words)


def parse_confidence(text: str, label: str = "Confidence") -> int | FieldProblem:
    """A whole percentage 0..100 (``80`` or ``80%``)."""
    stripped = text.strip()
    number = stripped.removesuffix("%").strip()
    if len(number) > 5 or not re.fullmatch(r"[-+]?[0-9]+", number):
        return FieldProblem(f"{label}: {stripped!r} is not a whole percentage (0 to 100).")
    value = int(number)
    if not 0 <= value <= 100:
        return FieldProblem(f"{label} must be between 0 and 100, not {value}.")
    return value


def parse_value_period(text: str, label: str = "Value period") -> str | FieldProblem:
    """``one_time``, ``monthly`` or ``annual`` (``one time``, ``One-Time``, ``yearly`` too)."""
    folded = re.sub(r"[\s-]+", "_", text.strip().lower())
    folded = _PERIOD_ALIASES.get(folded, folded)
    if folded in VALUE_PERIODS:
        return folded
    guess = closest(text, VALUE_PERIODS)
    hint = f"; did you mean {guess!r}?" if guess else "."
    return FieldProblem(
        f"{label}: {text.strip()!r} is not one of one_time, monthly, annual{hint}", guess
    )


def parse_choice(text: str, choices: tuple[str, ...], label: str) -> str | FieldProblem:
    """One of ``choices`` (case-insensitive, answered in its canonical spelling)."""
    stripped = text.strip()
    for choice in choices:
        if choice.casefold() == stripped.casefold():
            return choice
    guess = closest(stripped, choices)
    hint = f"; did you mean {guess!r}?" if guess else "."
    return FieldProblem(f"{stripped!r} is not a choice for {label}{hint}", guess)


def parse_contact(text: str, label: str = "Contact") -> str | FieldProblem:
    """A contact id (``cont_...``)."""
    stripped = text.strip()
    if _CONTACT_RE.fullmatch(stripped):
        return stripped
    return FieldProblem(f"{label}: {stripped!r} is not a contact id (cont_...).")


def format_input(schema: OrgSchema, spec: FieldSpec, value: Value | None) -> str:
    """Text that :func:`parse_input` reads back as ``value`` (empty for unset)."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(format_input(schema, spec, item) for item in value)
    if spec.kind == "money" and isinstance(value, int):
        whole, cents = divmod(value, 100)
        return f"{whole:,}" + (f".{cents:02d}" if cents else "")
    if isinstance(value, date):
        return value.isoformat()
    if spec.kind == "user" and isinstance(value, str):
        user = schema.user(value)
        for text in (user.full_name, user.email) if user is not None else ():
            if not text:
                continue
            owner = schema.resolve_user(text)
            if not isinstance(owner, FieldProblem) and owner.id == value:
                return text
    if spec.kind == "status" and isinstance(value, str):
        status, pipeline = schema.status(value), schema.pipeline_of(value)
        if status is not None and pipeline is not None:
            for text in (status.label, f"{pipeline.name}/{status.label}"):
                found = schema.resolve_status(text)
                if not isinstance(found, FieldProblem) and found.id == value:
                    return text
    return str(value)
