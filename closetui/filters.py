"""Server-side list filters: the words people type (or views store) -> Close's list params."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from closetui.api.query import OpportunityQuery

# The edit layer (FieldProblem, date words) is imported by the functions that resolve
# words: the main screen needs NO_FILTER at start-up, not the edit layer.
if TYPE_CHECKING:
    from closetui.api.models import OpportunityStatus, Pipeline, User
    from closetui.config.model import View
    from closetui.edits import FieldProblem, OrgSchema

T = TypeVar("T")

FILTER_FIELDS: tuple[str, ...] = (
    "pipeline",
    "status",
    "status_type",
    "owner",
    "date_won_from",
    "date_won_to",
    "query",
)
"""Every filter, in the order the filter bar and the config list them."""
FIELD_LABELS: Mapping[str, str] = {
    "pipeline": "Pipeline",
    "status": "Status",
    "status_type": "Status type",
    "owner": "Owner",
    "date_won_from": "Won from",
    "date_won_to": "Won to",
    "query": "Query",
}
"""How messages and the filter bar name each filter."""
MULTI_FIELDS = frozenset({"status", "status_type", "owner"})
"""Filters that take several values (comma-separated when typed), sent as ``__in``."""
STATUS_TYPES: tuple[str, ...] = ("active", "won", "lost")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class FilterWords:
    """A filter as people write it: labels, names, date words (``-1m``, ``today``).

    Nothing here is an id yet (ids work too); :func:`resolve_filter` turns the words into
    a query against one organisation on one day, so a saved view stays right tomorrow.
    Each word of a multi-value filter may itself be a comma-separated list.
    """

    pipeline: str = ""
    status: tuple[str, ...] = ()
    status_type: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    date_won_from: str = ""
    date_won_to: str = ""
    query: str = ""

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> FilterWords:
        """Words from one text per filter (as typed in the filter bar; blanks are unset)."""
        values: dict[str, object] = {}
        for name in FILTER_FIELDS:
            text = texts.get(name, "").strip()
            values[name] = ((text,) if text else ()) if name in MULTI_FIELDS else text
        return cls(**values)  # type: ignore[arg-type]

    @classmethod
    def from_view(cls, view: View) -> FilterWords:
        """The words a configured view stores."""
        return cls(
            pipeline=view.pipeline or "",
            status=view.status,
            status_type=view.status_type,
            owner=view.owner,
            date_won_from=view.date_won_from or "",
            date_won_to=view.date_won_to or "",
            query=view.query or "",
        )

    def to_view(self, order_by: str | None = None) -> View:
        """A view storing these words (and a sort, when given)."""
        from closetui.config.model import View

        return View(
            pipeline=self.pipeline or None,
            status=split_words(self.status),
            status_type=tuple(w.casefold() for w in split_words(self.status_type)),
            owner=split_words(self.owner),
            date_won_from=self.date_won_from or None,
            date_won_to=self.date_won_to or None,
            query=self.query or None,
            order_by=order_by,
        )

    def texts(self) -> dict[str, str]:
        """One text per filter, as the filter bar shows it."""
        out: dict[str, str] = {}
        for name in FILTER_FIELDS:
            value = getattr(self, name)
            out[name] = ", ".join(value) if isinstance(value, tuple) else value
        return out

    @property
    def empty(self) -> bool:
        """True when no filter is set."""
        return not any(getattr(self, name) for name in FILTER_FIELDS)


def split_words(words: Sequence[str]) -> tuple[str, ...]:
    """Each word split on commas, blanks dropped (``("Won, Lost",)`` -> ``("Won", "Lost")``)."""
    return tuple(part.strip() for word in words for part in word.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class ActiveFilter:
    """A resolved filter: the words, the query Close gets, and how the header shows it."""

    words: FilterWords = field(default_factory=FilterWords)
    query: OpportunityQuery = field(default_factory=OpportunityQuery)
    """The filter params (no ``order_by``: the list's sort is added per page)."""
    parts: tuple[str, ...] = ()
    """One short phrase per filter, e.g. ``status: Won``, ``won ≥ 2026-11-01``."""
    view: str | None = None
    """The view this came from, if any."""
    order_by: str | None = None
    """The sort the view asks for, if any."""

    @property
    def empty(self) -> bool:
        """True when nothing is filtered (and no view is applied)."""
        return not self.parts and self.view is None

    def summary(self) -> str:
        """``status: Won · owner: Ann Lee`` (a view's name first); empty for no filter."""
        text = " · ".join(self.parts)
        if self.view is not None:
            return f"{self.view}: {text}" if text else self.view
        return text

    def for_page(self, order_by: str | None) -> OpportunityQuery:
        """The query of one list page: these filters with the list's sort."""
        return replace(self.query, order_by=order_by)


NO_FILTER = ActiveFilter()
"""Everything is listed."""


class FilterError(Exception):
    """Some words do not resolve in this organisation; ``problems`` says which, by filter."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        """Filter name (``owner``, ``date_won_to``...) -> a message naming the word."""
        super().__init__(" ".join(self.problems.values()))


def resolve_pipeline(schema: OrgSchema, text: str) -> Pipeline | FieldProblem:
    """A pipeline from its id or name (case-insensitive)."""
    from closetui.edits import FieldProblem
    from closetui.edits.schema import closest

    text = text.strip()
    by_id = next((p for p in schema.pipelines if p.id == text), None)
    if by_id is not None:
        return by_id
    named = [p for p in schema.pipelines if _fold(p.name) == _fold(text)]
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(p.id for p in named)
        return FieldProblem(f"Pipeline {text!r} is ambiguous ({ids}); use the id.")
    guess = closest(text, [p.name for p in schema.pipelines])
    hint = f"; did you mean {guess!r}?" if guess else "."
    return FieldProblem(f"{text!r} is not a pipeline{hint}", guess)


def resolve_statuses(
    schema: OrgSchema, text: str, pipeline: Pipeline | None = None
) -> tuple[OpportunityStatus, ...] | FieldProblem:
    """The statuses a word means: an id, ``Pipeline/Label``, or a label.

    Unlike an edit, a filter can take a label shared by several pipelines ("Won") as all of
    them; ``pipeline`` narrows a label to that pipeline's status.
    """
    from closetui.edits import FieldProblem

    scope = pipeline.id if pipeline is not None else None
    found = schema.resolve_status(text, pipeline_id=scope)
    if isinstance(found, FieldProblem):
        same = schema.statuses_by_label(text)
        if pipeline is not None:
            same = tuple(s for s in same if s in pipeline.statuses)
        return same or found
    if pipeline is not None and found not in pipeline.statuses:
        return FieldProblem(f"Status {text.strip()!r} is not in the {pipeline.name} pipeline.")
    return (found,)


def resolve_status_type(text: str) -> str | FieldProblem:
    """``active``, ``won`` or ``lost`` (case-insensitive)."""
    from closetui.edits import FieldProblem
    from closetui.edits.schema import closest

    folded = _fold(text)
    if folded in STATUS_TYPES:
        return folded
    guess = closest(text, STATUS_TYPES)
    hint = f"; did you mean {guess!r}?" if guess else "."
    return FieldProblem(f"{text.strip()!r} is not a status type (active, won, lost){hint}", guess)


def _each(words: Sequence[str], one: Callable[[str], T | FieldProblem]) -> list[T] | FieldProblem:
    """Resolve every word; a word that fails whole is tried as a comma-separated list."""
    from closetui.edits import FieldProblem

    out: list[T] = []
    for word in words:
        if not word.strip():
            continue
        found = one(word)
        if isinstance(found, FieldProblem) and "," in word:
            for part in split_words((word,)):
                item = one(part)
                if isinstance(item, FieldProblem):
                    return item
                out.append(item)
        elif isinstance(found, FieldProblem):
            return found
        else:
            out.append(found)
    return out


def _unique(items: Sequence[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


def _status_text(schema: OrgSchema, statuses: tuple[OpportunityStatus, ...]) -> str:
    """A label when it says enough (one label, or all statuses with it), else Pipeline/Label."""
    first = statuses[0]
    if len(statuses) > 1 or len(schema.statuses_by_label(first.label)) == 1:
        return first.label
    pipeline = schema.pipeline_of(first.id)
    return f"{pipeline.name}/{first.label}" if pipeline else first.label


def resolve_filter(
    words: FilterWords,
    schema: OrgSchema,
    *,
    today: date | None = None,
    view: str | None = None,
    order_by: str | None = None,
) -> ActiveFilter:
    """Turn ``words`` into Close's list params for this org; FilterError names bad words.

    ``pipeline`` becomes ``status_id__in`` (Close has no pipeline filter), narrowed by the
    statuses when both are given; several values become ``__in``; the ``date_won`` range
    is inclusive and date words count from ``today`` (default: the schema's today, i.e. at
    the profile's UTC offset).
    """
    from closetui.edits import FieldProblem

    today = schema.today if today is None else today
    problems: dict[str, str] = {}
    parts: list[str] = []

    pipeline: Pipeline | None = None
    if words.pipeline.strip():
        found_pipeline = resolve_pipeline(schema, words.pipeline)
        if isinstance(found_pipeline, FieldProblem):
            problems["pipeline"] = found_pipeline.message
        else:
            pipeline = found_pipeline
            parts.append(f"pipeline: {pipeline.name}")

    status_ids: tuple[str, ...] = ()
    groups = _each(words.status, lambda text: resolve_statuses(schema, text, pipeline))
    if isinstance(groups, FieldProblem):
        problems["status"] = groups.message
    elif groups:
        status_ids = _unique([s.id for group in groups for s in group])
        shown = _unique([_status_text(schema, group) for group in groups])
        parts.append("status: " + ", ".join(shown))
    elif pipeline is not None:
        status_ids = tuple(s.id for s in pipeline.statuses)

    types: tuple[str, ...] = ()
    found_types = _each(words.status_type, resolve_status_type)
    if isinstance(found_types, FieldProblem):
        problems["status_type"] = found_types.message
    elif found_types:
        types = _unique(found_types)
        parts.append("type: " + ", ".join(types))

    owners: tuple[User, ...] = ()
    users = _each(words.owner, lambda text: schema.resolve_user(text, label="Owner"))
    if isinstance(users, FieldProblem):
        problems["owner"] = users.message
    elif users:
        owners = tuple({u.id: u for u in users}.values())
        parts.append("owner: " + ", ".join(u.full_name for u in owners))

    won_from = _date(words.date_won_from, today, "date_won_from", problems)
    won_to = _date(words.date_won_to, today, "date_won_to", problems)
    if won_from is not None and won_to is not None and won_from > won_to:
        problems["date_won_to"] = (
            f"Won to ({won_to.isoformat()}) is before Won from ({won_from.isoformat()})."
        )
    if won_from is not None and won_to is not None:
        parts.append(f"won {won_from.isoformat()}…{won_to.isoformat()}")
    elif won_from is not None:
        parts.append(f"won ≥ {won_from.isoformat()}")
    elif won_to is not None:
        parts.append(f"won ≤ {won_to.isoformat()}")

    query = words.query.strip()
    if query:
        parts.append(f"query: {query}")
    if problems:
        raise FilterError(problems)
    return ActiveFilter(
        words=words,
        query=OpportunityQuery(
            status_id=status_ids or None,
            status_type=types or None,
            user_id=tuple(u.id for u in owners) or None,
            date_won__gte=won_from,
            date_won__lte=won_to,
            query=query or None,
        ),
        parts=tuple(parts),
        view=view,
        order_by=order_by,
    )


def _date(text: str, today: date, name: str, problems: dict[str, str]) -> date | None:
    from closetui.edits import FieldProblem, parse_date

    if not text.strip():
        return None
    parsed = parse_date(text, today, FIELD_LABELS[name])
    if isinstance(parsed, FieldProblem):
        problems[name] = parsed.message
        return None
    return parsed


def resolve_view(
    name: str, view: View, schema: OrgSchema, *, today: date | None = None
) -> ActiveFilter:
    """A configured view applied to this org today; FilterError names the word that failed."""

    return resolve_filter(
        FilterWords.from_view(view), schema, today=today, view=name, order_by=view.order_by
    )
