"""The live list's poller: what changed on the server since the last look (no textual).

The UI runs :meth:`Poller.poll` on a timer of :meth:`Poller.interval` seconds and applies
the :class:`PollResult`; this module asks the questions, keeps the cursor and the budget.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from closetui.api.query import OpportunityQuery

if TYPE_CHECKING:
    from closetui.api.client import CloseClient
    from closetui.api.pages import DictPage

OVERLAP = timedelta(seconds=2)
"""Each poll asks again from this long before the cursor: a write that started earlier
can commit (and be seen) later."""
BUDGET_SHARE = 0.05
"""The share of the server's rate limit the poll may spend."""
PAGE_SIZE = 100
WHO_FIELDS = ("updated_by", "updated_by_name")
"""Asked for on top of the list's fields: who made each change."""
NEWEST_FIRST = "-date_updated"


class PollPaused(Exception):
    """A send is waiting on a 429: the poll stops before its next request."""


@dataclass(frozen=True, slots=True)
class LiveChange:
    """One opportunity that changed on the server, as the list's ``_fields`` JSON."""

    item: dict[str, Any]
    by: str | None
    """Who changed it: the name the server gave, else the user id."""
    mine: bool
    """Changed by the app's own user (applied without saying so)."""

    @property
    def id(self) -> str:
        """The opportunity's id."""
        return str(self.item["id"])


@dataclass(frozen=True, slots=True)
class PollResult:
    """What one poll found, split by what the list does with it."""

    changed: tuple[LiveChange, ...] = ()
    """Loaded rows that changed and still match: update in place."""
    added: tuple[LiveChange, ...] = ()
    """Changed rows that match and are not loaded: new to the list."""
    dropped: tuple[str, ...] = ()
    """Loaded ids that changed and no longer match the list's filters."""
    requests: int = 0
    """Requests this poll made."""

    @property
    def empty(self) -> bool:
        """True when there is nothing to apply."""
        return not (self.changed or self.added or self.dropped)


def has_filters(query: OpportunityQuery | None) -> bool:
    """True when ``query`` narrows the list (its sort alone does not)."""
    return query is not None and bool(dataclasses.replace(query, order_by=None).params())


class Poller:
    """Asks ``date_updated__gt`` the cursor, keeps the cursor and paces itself.

    ``query`` is the list's server filter (None: every opportunity); ``fields`` the list's
    ``_fields``. Call :meth:`start` once when the list loads, then :meth:`poll`.
    """

    def __init__(
        self,
        client: CloseClient,
        fields: Sequence[str],
        query: OpportunityQuery | None = None,
        *,
        poll_seconds: float = 15.0,
        user_id: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.fields = [*dict.fromkeys([*fields, *WHO_FIELDS])]
        self.query = query
        self.poll_seconds = poll_seconds
        self.user_id = user_id
        """The app's own user (from ``/me/``): their changes are applied silently."""
        self.clock = clock
        self.cursor: str | None = None
        """The newest ``date_updated`` seen, exactly as the server wrote it."""
        self.floor = ""
        """The cursor at :meth:`start`: the list loaded after it, older stamps are known."""
        self.applied: dict[str, str] = {}
        """Id -> the ``date_updated`` last applied (answers inside the overlap repeat)."""
        self.requests = 0
        """Requests made since the start (the cursor's included)."""
        self.last_requests = 0
        """Requests of the latest poll."""
        self.limit: int | None = None
        """Requests per window the server last reported (``RateLimit``)."""
        self.window = 1.0
        """The window's length, estimated as the largest ``reset`` seen (at least 1 s)."""

    # -- pace ------------------------------------------------------------------------

    def interval(self) -> float:
        """Seconds until the next poll: ``poll_seconds``, or longer so that the last poll's
        requests stay within :data:`BUDGET_SHARE` of the rate limit."""
        if not self.limit:
            return self.poll_seconds
        spent = max(self.last_requests, 1) * self.window / (BUDGET_SHARE * self.limit)
        return max(self.poll_seconds, spent)

    def paused(self) -> bool:
        """True while the client waits on a 429 (a poll then would only add to it)."""
        return self.clock() < self.client.rate_limited_until

    # -- asking ----------------------------------------------------------------------

    async def _page(
        self, fields: Sequence[str], query: OpportunityQuery, skip: int, limit: int = PAGE_SIZE
    ) -> DictPage:
        """One page; counts the request and reads the rate limit the answer reports.

        Raises :class:`PollPaused` when a send began waiting on a 429 since the poll began.
        """
        if self.paused():
            raise PollPaused
        page = await self.client.list_opportunity_fields(
            list(fields), query, skip=skip, limit=limit
        )
        self.requests += 1
        self.last_requests += 1
        exchange = self.client.last_exchange
        state = exchange.rate_limit if exchange is not None else None
        if state is not None and state.limit:
            self.limit = state.limit
            self.window = max(self.window, state.reset or 0.0)
        return page

    async def _all(self, fields: Sequence[str], query: OpportunityQuery) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = await self._page(fields, query, len(items))
            items += page.data
            if not page.has_more or not page.data:
                return items

    async def start(self) -> None:
        """Set the cursor to the newest change on the server (one request)."""
        self.last_requests = 0
        page = await self._page(
            ["id", "date_updated"], OpportunityQuery(order_by=NEWEST_FIRST), 0, 1
        )
        self.cursor = next((str(i["date_updated"]) for i in page.data if i.get("date_updated")), "")
        self.floor = self.cursor

    def _since(self) -> str | None:
        if not self.cursor:
            return None
        return (_moment(self.cursor) - OVERLAP).isoformat()

    async def poll(self, loaded: Container[str]) -> PollResult:
        """Ask what changed since the cursor; ``loaded``: ids the list holds now.

        One request when nothing changed; a second query (paged) with the list's filters
        only when something did and the list is filtered.
        """
        if self.cursor is None:
            await self.start()
        self.last_requests = 0
        since = self._since()
        everything = OpportunityQuery(date_updated__gt=since, order_by=NEWEST_FIRST)
        fresh = [item for item in await self._all(self.fields, everything) if self._new(item)]
        if not fresh:
            return PollResult(requests=self.last_requests)
        matching = {str(item["id"]) for item in fresh}
        if has_filters(self.query):
            # A change that moves a row out of the filter never shows in the filtered
            # query: the unfiltered one says what changed, this one what still matches.
            assert self.query is not None
            narrowed = dataclasses.replace(
                self.query, date_updated__gt=since, order_by=NEWEST_FIRST
            )
            matching &= {str(i["id"]) for i in await self._all(["id"], narrowed)}
        for item in fresh:
            self.applied[str(item["id"])] = str(item["date_updated"])
            if not self.cursor or _moment(item["date_updated"]) > _moment(self.cursor):
                self.cursor = str(item["date_updated"])
        self._forget_old()
        changes = [self._change(item) for item in fresh if str(item["id"]) in matching]
        return PollResult(
            changed=tuple(c for c in changes if c.id in loaded),
            added=tuple(c for c in changes if c.id not in loaded),
            dropped=tuple(
                str(i["id"]) for i in fresh if str(i["id"]) not in matching and i["id"] in loaded
            ),
            requests=self.last_requests,
        )

    def _new(self, item: dict[str, Any]) -> bool:
        """False for a row already applied at this ``date_updated`` (the overlap)."""
        stamp = item.get("date_updated")
        if stamp is None or self.applied.get(str(item.get("id"))) == str(stamp):
            return False
        return not self.floor or _moment(stamp) > _moment(self.floor)

    def _forget_old(self) -> None:
        """Drop applied stamps older than the overlap: no answer can repeat them."""
        since = self._since()
        if since is None:
            return
        floor = _moment(since)
        self.applied = {k: stamp for k, stamp in self.applied.items() if _moment(stamp) > floor}

    def _change(self, item: dict[str, Any]) -> LiveChange:
        who = item.get("updated_by")
        name = item.get("updated_by_name") or who
        mine = who is not None and who == self.user_id
        row = {k: v for k, v in item.items() if k not in WHO_FIELDS}
        return LiveChange(row, str(name) if name else None, mine)


def _moment(stamp: object) -> datetime:
    """A server timestamp as a datetime (compared as moments, whatever the offset form)."""
    return datetime.fromisoformat(str(stamp))
