"""The async Close client: one pooled httpx client, retries, and recorded exchanges."""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import random
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self

import httpx

from closetui import __version__
from closetui.api.calls import CloseCalls
from closetui.api.errors import ApiError, TransportError, UnreadableAnswer, error_for
from closetui.api.exchange import Exchange, OnExchange, RequestView
from closetui.api.ids import opportunity_path
from closetui.api.ratelimit import parse_ratelimit, retry_delay

if TYPE_CHECKING:
    from closetui.api.credentials import Credential

# The models (pydantic) load on a model's first use, not with the client: the list's
# rows arrive as plain dicts (DictPage), so the app shows them before pydantic has loaded.

DEFAULT_BASE_URL = "https://api.close.com/api/v1/"
"""Close's production API."""

_log = logging.getLogger("closetui.api")
"""Each exchange and wait, at debug/info (the debug log; the URL is never the key's place)."""

WaitReason = Literal["rate_limited", "unavailable", "bad_gateway", "connect_failed"]


@dataclass(frozen=True, slots=True)
class Wait:
    """A pause before a retry, reported so a UI can show a countdown."""

    reason: WaitReason
    seconds: float
    attempt: int
    """The attempt that failed (1-based); the retry is ``attempt + 1``."""
    method: str
    url: str


OnWait = Callable[[Wait], Awaitable[None] | None]
BeforeAttempt = Callable[[int], Awaitable[None]]
"""Awaited before each attempt of one call (1-based), retries included: a pacing hook."""


def local_tz_offset() -> float:
    """This machine's current UTC offset in hours (positive east of UTC)."""
    offset = datetime.now().astimezone().utcoffset()
    return offset.total_seconds() / 3600 if offset else 0.0


def format_tz_offset(hours: float) -> str:
    """``X-TZ-Offset`` as Close documents it: decimal hours, ``-5`` or ``5.5``."""
    return str(int(hours)) if float(hours).is_integer() else f"{hours:g}"


class CloseClient(CloseCalls):
    """Async client for the parts of the Close API closetui uses.

    Use it as ``async with CloseClient(cred) as close: ...``; every exchange is kept
    in :attr:`exchanges` (newest last) and passed to ``on_exchange``.
    """

    def __init__(
        self,
        credential: Credential,
        *,
        base_url: str = DEFAULT_BASE_URL,
        tz_offset: float | None = None,
        timeout: float | httpx.Timeout = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_attempts: int = 5,
        max_wait: float = 60.0,
        backoff: float = 1.0,
        on_wait: OnWait | None = None,
        on_exchange: OnExchange | None = None,
        history: int = 200,
        rng: random.Random | None = None,
    ) -> None:
        self.credential = credential
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.tz_offset = local_tz_offset() if tz_offset is None else tz_offset
        self.max_attempts = max_attempts
        """Attempts in total per call, retries included."""
        self.max_wait = max_wait
        """Longest single wait; a 429 asking for more fails at once with RateLimited."""
        self.backoff = backoff
        """Base of the exponential wait after 503 / 502 / 504 / connection failures."""
        self.rng = rng if rng is not None else random.Random()
        """Draws the jitter of each back-off (seed one in tests to know the waits)."""
        self.on_wait = on_wait
        self.on_exchange = on_exchange
        self.exchanges: deque[Exchange] = deque(maxlen=history)
        self.writes_in_flight = 0
        """Writes (not GETs) on the wire now: what quitting could leave half-done (a wait
        between retries does not count, nothing is out then)."""
        self.rate_limited_until = 0.0
        """``time.monotonic()`` when the latest wait on a 429 ends: a poller holds off
        until then (read-only for callers)."""
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": f"closetui/{__version__}", "Accept": "application/json"},
            limits=httpx.Limits(max_connections=8, max_keepalive_connections=8),
        )
        self._joined: tuple[str, httpx.URL] = ("", httpx.URL(self.base_url))
        """The last path joined to the base URL: the preview builds the same path's
        request again on every keystroke."""
        self._update_view: tuple[object, RequestView] = ((), RequestView("", "", ()))
        """(opportunity id and settings, the view of its update) for :meth:`describe_update`."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    @property
    def last_exchange(self) -> Exchange | None:
        """The most recent exchange, if any."""
        return self.exchanges[-1] if self.exchanges else None

    # -- building and describing requests -------------------------------------------

    def build_request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> httpx.Request:
        """An ``httpx.Request`` with auth, ``X-TZ-Offset`` and a JSON body."""
        # The credential goes in last, straight into the built request: no local variable
        # ever holds it, so a crash report that prints locals cannot show it.
        headers = {"Authorization": "", "X-TZ-Offset": format_tz_offset(self.tz_offset)}
        content = None
        if body is not None:
            content = encode_body(body)
            headers["Content-Type"] = "application/json"
        if self._joined[0] != path:
            self._joined = (path, self._http.build_request("GET", path).url)
        request = self._http.build_request(
            method, self._joined[1], params=params, content=content, headers=headers
        )
        request.headers["Authorization"] = self.credential.header_value()
        return request

    def build_update_request(self, opportunity_id: str, body: Mapping[str, Any]) -> httpx.Request:
        """The ``PUT /opportunity/{id}/`` request for an update body."""
        return self.build_request("PUT", opportunity_path(opportunity_id), body=dict(body))

    def describe(self, request: httpx.Request) -> RequestView:
        """The redacted view of a request, as previews and logs show it."""
        return RequestView.from_httpx(request, self.credential)

    def describe_update(self, opportunity_id: str, body: Mapping[str, Any]) -> RequestView:
        """``describe(build_update_request(opportunity_id, body))``, without building it.

        The preview asks on every keystroke, too often to build an httpx request each. The
        one built here (with an empty body, once per opportunity and settings) differs
        only in the body and its ``Content-Length``.
        """
        key = (opportunity_id, self.tz_offset, self.credential)
        if self._update_view[0] != key:
            self._update_view = (key, self.describe(self.build_update_request(opportunity_id, {})))
        return self._update_view[1].with_body(encode_body(dict(body)))

    # -- sending ---------------------------------------------------------------------

    async def send(
        self,
        request: httpx.Request,
        *,
        before_attempt: BeforeAttempt | None = None,
        on_exchange: OnExchange | None = None,
    ) -> Any:
        """Send a built request with Close's retry rules; the decoded JSON answer.

        ``before_attempt`` is awaited before every attempt (a rate pacer may wait or
        raise there); ``on_exchange`` sees this call's exchanges, after the client-wide
        ``on_exchange``.
        """
        attempt = 0
        while True:
            attempt += 1
            if before_attempt is not None:
                await before_attempt(attempt)
            started = datetime.now(UTC)
            clock = time.perf_counter()
            try:
                response = await self._exchange(request)
            except (httpx.TransportError, OSError) as exc:
                # OSError: an in-process transport (the demo sandbox) resetting a connection.
                self._record(request, started, clock, attempt, on_exchange, error=_describe(exc))
                connect = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                retryable = connect or request.method == "GET"
                if retryable and attempt < self.max_attempts:
                    await self._wait("connect_failed", self._backoff(attempt), attempt, request)
                    continue
                raise TransportError(
                    _describe(exc),
                    timeout=isinstance(exc, httpx.TimeoutException),
                    connect=connect or isinstance(exc, httpx.PoolTimeout),
                ) from None
            self._record(request, started, clock, attempt, on_exchange, response=response)
            status = response.status_code
            if status < 400:
                data = _decode(response)
                if isinstance(data, str):  # a proxy's HTML page: never handed on as data
                    raise UnreadableAnswer(status, data)
                return data
            delay = self._retry_delay(request, response, attempt)
            if delay is not None:
                reason: WaitReason = (
                    "rate_limited"
                    if status == 429
                    else "unavailable"
                    if status == 503
                    else "bad_gateway"
                )
                await self._wait(reason, delay, attempt, request)
                continue
            retry_after = retry_delay(response.headers) if status == 429 else None
            raise error_for(status, _decode(response), retry_after)

    async def _exchange(self, request: httpx.Request) -> httpx.Response:
        """One attempt on the wire, read in full (counted in :attr:`writes_in_flight`)."""
        write = int(request.method != "GET")
        self.writes_in_flight += write
        try:
            response = await self._http.send(request)
            await response.aread()
            return response
        finally:
            self.writes_in_flight -= write

    def _retry_delay(
        self, request: httpx.Request, response: httpx.Response, attempt: int
    ) -> float | None:
        """How long to wait before retrying, or None when this answer is final."""
        if attempt >= self.max_attempts:
            return None
        status = response.status_code
        if status == 429:
            delay = retry_delay(response.headers)
            delay = 2.0 if delay is None else delay
            return delay if delay <= self.max_wait else None
        if status == 503 or (status in (502, 504) and request.method == "GET"):
            hinted = retry_delay(response.headers)
            return min(hinted, self.max_wait) if hinted is not None else self._backoff(attempt)
        return None

    def _backoff(self, attempt: int) -> float:
        """Equal jitter: half the exponential step for sure, the other half at random, so
        clients that failed together do not all come back in the same instant."""
        step = min(self.backoff * 2 ** (attempt - 1), self.max_wait)
        return float(step / 2 + self.rng.uniform(0, step / 2))

    async def _wait(
        self, reason: WaitReason, seconds: float, attempt: int, req: httpx.Request
    ) -> None:
        _log.info(
            "waiting %.1f s (%s) before attempt %d of %s %s",
            seconds,
            reason,
            attempt + 1,
            req.method,
            req.url,
        )
        if reason == "rate_limited":
            self.rate_limited_until = max(self.rate_limited_until, time.monotonic() + seconds)
        if self.on_wait is not None:
            result = self.on_wait(Wait(reason, seconds, attempt, req.method, str(req.url)))
            if inspect.isawaitable(result):
                await result
        await asyncio.sleep(seconds)

    def _record(
        self,
        request: httpx.Request,
        started: datetime,
        clock: float,
        attempt: int,
        on_exchange: OnExchange | None = None,
        *,
        response: httpx.Response | None = None,
        error: str | None = None,
    ) -> None:
        exchange = Exchange(
            request=self.describe(request),
            started_at=started,
            elapsed=time.perf_counter() - clock,
            status=response.status_code if response is not None else None,
            response_headers=tuple(
                (k, v)
                for k, v in (response.headers.multi_items() if response else [])
                if k.lower() != "set-cookie"
            ),
            response_body=response.content if response is not None else b"",
            rate_limit=parse_ratelimit(response.headers) if response is not None else None,
            error=error,
            attempt=attempt,
        )
        self.exchanges.append(exchange)
        if _log.isEnabledFor(logging.DEBUG):
            answer = exchange.status if exchange.status is not None else exchange.error
            _log.debug(
                "%s %s -> %s in %.0f ms (attempt %d)",
                request.method,
                exchange.request.url,
                answer,
                exchange.elapsed * 1000,
                attempt,
            )
        if self.on_exchange is not None:
            self.on_exchange(exchange)
        if on_exchange is not None:
            on_exchange(exchange)

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Any:
        return await self.send(self.build_request("GET", path, params=params))


def encode_body(body: Any) -> bytes:
    """The JSON bytes of a request body: the same text the preview shows."""
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


def _decode(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _describe(exc: Exception) -> str:
    kind = type(exc).__name__
    detail = str(exc).strip()
    return f"{kind}: {detail}" if detail else kind


__all__ = ["DEFAULT_BASE_URL", "ApiError", "CloseClient", "Wait"]
