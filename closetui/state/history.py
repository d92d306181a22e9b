"""Sent requests and their answers, kept per profile (bounded), with the bodies that undo them."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import platformdirs

from closetui.api.exchange import Exchange
from closetui.state.files import (
    StateProblem,
    is_temporary_name,
    move_aside,
    private_dir,
    remove_stale_temporaries,
    safe_name,
    write_atomic,
)
from closetui.state.reader import BadStateFile, read_json

if TYPE_CHECKING:
    from closetui.api.models import Opportunity

MAX_ENTRIES = 1000
"""Default bound on entries per profile; the oldest go first."""
MAX_BYTES = 16 * 1024 * 1024
"""Default bound on the bytes of one profile's history."""
MAX_ENTRY_BYTES = 4 * 1024 * 1024
"""Largest entry file read: an entry holds one request, one answer and the opportunity
before and after (a few KB); a body too large for it is cut (:data:`KEPT_BODY_CHARS`)."""
KEPT_BODY_CHARS = 256 * 1024
"""Characters of a request or response body kept when an entry would be too large."""
RESCAN_EVERY = 100
"""Appends between rescans of the folder (another process may share it)."""
_HIDDEN = frozenset({"authorization", "cookie", "set-cookie", "proxy-authorization"})


def history_root() -> Path:
    """``<user data dir>/history``: one folder per profile below it."""
    return platformdirs.user_data_path("closetui") / "history"


@dataclass(frozen=True)
class HistoryEntry:
    """One sent request, what came back, and the opportunity before and after it."""

    id: str
    """Sortable: nanoseconds since the epoch and a random suffix."""
    time: datetime
    """When the request was sent (its last attempt)."""
    profile: str
    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    """As sent, with ``Authorization`` redacted."""
    request_body: str
    status: int | None
    """None when no HTTP answer came (``error`` says why)."""
    response_headers: tuple[tuple[str, str], ...]
    response_body: str
    elapsed: float
    attempts: int
    error: str | None = None
    opportunity_id: str | None = None
    lead_name: str | None = None
    before: dict[str, Any] | None = None
    """The opportunity (JSON) the request was built against, when known."""
    after: dict[str, Any] | None = None
    """The opportunity (JSON) the server answered with, when it was accepted."""
    batch: str | None = None
    """Shared by every row of one bulk send (and its retries)."""
    reverts: str | None = None
    """The entry or batch id this request undid, if it was an undo."""

    @property
    def ok(self) -> bool:
        """True when the request was saved: a 2xx, or an unclear answer (a 502, a timeout)
        that reading the opportunity again found saved (``after`` is what it read)."""
        if self.status is not None and 200 <= self.status < 300:
            return True
        unclear = self.status is None or self.status >= 500  # refusals (4xx) never count
        return unclear and self.after is not None

    def before_opportunity(self) -> Opportunity | None:
        """``before`` as a model (None when unknown)."""
        return _opportunity(self.before) if self.before is not None else None

    def after_opportunity(self) -> Opportunity | None:
        """``after`` as a model (None when unknown)."""
        return _opportunity(self.after) if self.after is not None else None


class LoadedHistory(NamedTuple):
    """Entries (newest first) and the files that could not be read (moved aside)."""

    entries: list[HistoryEntry]
    problems: list[StateProblem]


@dataclass(frozen=True)
class Revert:
    """The body that undoes what one opportunity went through in an entry or batch."""

    opportunity_id: str
    lead_name: str | None
    body: dict[str, Any]
    """Empty when there is nothing to undo."""
    current: Opportunity
    """The state the undo is built against (the last ``after``)."""
    gaps: dict[str, str]
    """Fields that changed but cannot be restored, and why."""
    entry_ids: tuple[str, ...]


class History:
    """One profile's history: a 0600 JSON file per entry, the oldest dropped past bounds."""

    def __init__(
        self,
        profile: str,
        root: Path | None = None,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        self.profile = profile
        self.folder = (root or history_root()) / safe_name(profile)
        """Where this profile's entries live (created on first append)."""
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._last_ns = 0
        self._index: list[tuple[str, int]] | None = None
        self._appends = 0

    def append(
        self,
        exchange: Exchange,
        *,
        opportunity_id: str | None = None,
        lead_name: str | None = None,
        before: Opportunity | Mapping[str, Any] | None = None,
        after: Opportunity | Mapping[str, Any] | None = None,
        batch: str | None = None,
        reverts: str | None = None,
    ) -> HistoryEntry:
        """Store one exchange (the last attempt of a send) with its context."""
        request = exchange.request
        entry = HistoryEntry(
            id=self._new_id(),
            time=exchange.started_at,
            profile=self.profile,
            method=request.method,
            url=request.url,
            request_headers=_redacted(request.headers),
            request_body=request.body_text(),
            status=exchange.status,
            response_headers=_redacted(exchange.response_headers),
            response_body=exchange.body_text(),
            elapsed=exchange.elapsed,
            attempts=exchange.attempt,
            error=exchange.error,
            opportunity_id=opportunity_id,
            lead_name=lead_name,
            before=_as_json(before),
            after=_as_json(after),
            batch=batch,
            reverts=reverts,
        )
        private_dir(self.folder)
        data = _dump(entry)
        if len(data) > MAX_ENTRY_BYTES:  # an HTML error page of megabytes, say
            entry = replace(
                entry,
                request_body=_cut(entry.request_body),
                response_body=_cut(entry.response_body),
            )
            data = _dump(entry)
        write_atomic(self.folder / f"{entry.id}.json", data)
        self._appends += 1
        if self._index is not None:
            self._index.append((f"{entry.id}.json", len(data)))
        self.prune(keep=entry.id)
        return entry

    def entries(self, limit: int | None = None, *, batch: str | None = None) -> LoadedHistory:
        """Entries newest first (at most ``limit``; only one batch's when ``batch``)."""
        found: list[HistoryEntry] = []
        problems: list[StateProblem] = []
        for name in reversed(self._names()):
            path = self.folder / name
            if limit is not None and len(found) >= limit:
                break
            entry = self._read(path)
            if isinstance(entry, StateProblem):
                problems.append(entry)
            elif entry is not None and (batch is None or entry.batch == batch):
                found.append(entry)
        return LoadedHistory(found, problems)

    def get(self, entry_id: str) -> HistoryEntry | None:
        """One entry by id (None when unknown, dropped or unreadable)."""
        path = self.folder / f"{safe_name(entry_id)}.json"
        entry = self._read(path) if path.exists() else None
        return entry if isinstance(entry, HistoryEntry) else None

    def batch(self, batch_id: str) -> list[HistoryEntry]:
        """Every entry of one bulk send, oldest first (the order they were sent)."""
        return list(reversed(self.entries(batch=batch_id).entries))

    def prune(self, keep: str | None = None) -> int:
        """Drop the oldest entries beyond the bounds (never ``keep``); how many went."""
        index = self._sizes()
        total, dropped = sum(size for _, size in index), 0
        kept: list[tuple[str, int]] = []
        for position, (name, size) in enumerate(index):
            if len(index) - dropped <= self.max_entries and total <= self.max_bytes:
                kept += index[position:]
                break
            if name == f"{keep}.json":
                kept.append((name, size))
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / name)
            total, dropped = total - size, dropped + 1
        self._index = kept
        return dropped

    def _sizes(self) -> list[tuple[str, int]]:
        """(file name, bytes) of every entry, oldest first.

        Kept in memory between appends (a scan of a full history costs milliseconds)
        and rescanned now and then, in case another closetui shares the profile.
        """
        if self._index is None or self._appends % RESCAN_EVERY == 0:
            names = self._names()
            index = []
            for name in names:
                try:
                    index.append((name, (self.folder / name).stat().st_size))
                except OSError:
                    continue
            self._index = index
        return self._index

    def _names(self) -> list[str]:
        """Entry file names, oldest first (names sort by time)."""
        if not self.folder.is_dir():
            return []
        remove_stale_temporaries(self.folder)
        with os.scandir(self.folder) as found:
            return sorted(
                e.name for e in found if e.name.endswith(".json") and not is_temporary_name(e.name)
            )

    def _new_id(self) -> str:
        now = max(time.time_ns(), self._last_ns + 1)
        self._last_ns = now
        return f"{now:020d}-{secrets.token_hex(3)}"

    def _read(self, path: Path) -> HistoryEntry | StateProblem | None:
        try:
            raw = read_json(path, MAX_ENTRY_BYTES)
        except FileNotFoundError:
            return None
        except OSError as exc:
            return move_aside(path, f"cannot read it ({exc.strerror or exc})")
        except BadStateFile as exc:
            return move_aside(path, str(exc))
        try:
            return _parse(raw)
        except (ValueError, TypeError, KeyError) as exc:
            return move_aside(path, f"not a history entry ({exc})"[:300])


def _redacted(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Headers with every credential-bearing value hidden (a second line of defence)."""
    return tuple(
        (k, v if k.lower() not in _HIDDEN or v.endswith("***") else "***") for k, v in headers
    )


def _as_json(value: Opportunity | Mapping[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return dict(value)
    return value.model_dump(mode="json")


def _opportunity(raw: Mapping[str, Any]) -> Opportunity:
    # Imported here: pydantic loads when a model is asked for, not with the history.
    from closetui.api.models import Opportunity

    return Opportunity.model_validate(raw)


def _dump(entry: HistoryEntry) -> bytes:
    data = asdict(entry)
    data["time"] = entry.time.isoformat()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cut(body: str) -> str:
    if len(body) <= KEPT_BODY_CHARS:
        return body
    return body[:KEPT_BODY_CHARS] + f"\n… ({len(body) - KEPT_BODY_CHARS} more characters not kept)"


_TEXT = (str,)
_MAYBE_TEXT = (str, type(None))
_SHAPES: dict[str, tuple[type, ...]] = {
    "id": _TEXT,
    "time": _TEXT,
    "profile": _TEXT,
    "method": _TEXT,
    "url": _TEXT,
    "request_headers": (list,),
    "request_body": _TEXT,
    "status": (int, type(None)),
    "response_headers": (list,),
    "response_body": _TEXT,
    "elapsed": (int, float),
    "attempts": (int,),
    "error": _MAYBE_TEXT,
    "opportunity_id": _MAYBE_TEXT,
    "lead_name": _MAYBE_TEXT,
    "before": (dict, type(None)),
    "after": (dict, type(None)),
    "batch": _MAYBE_TEXT,
    "reverts": _MAYBE_TEXT,
}
"""The JSON type of every field of a stored entry (a missing optional one is None)."""


def _parse(raw: Any) -> HistoryEntry:
    """The entry of a stored file; TypeError, ValueError or KeyError for any other shape
    (an entry that loads is one that listing, inspecting and undoing can use)."""
    if not isinstance(raw, dict):
        raise TypeError("not an object")
    data: dict[str, Any] = {}
    for name, shape in _SHAPES.items():  # newer files may carry more: ignored
        value = raw[name] if type(None) not in shape else raw.get(name)
        if not isinstance(value, shape) or isinstance(value, bool):
            raise TypeError(f"{name} is a {type(value).__name__}")
        data[name] = value
    data["time"] = datetime.fromisoformat(data["time"])
    for key in ("request_headers", "response_headers"):
        data[key] = tuple(_header(key, pair) for pair in data[key])
    return HistoryEntry(**data)


def _header(field: str, pair: Any) -> tuple[str, str]:
    if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(x, str) for x in pair):
        raise TypeError(f"{field}: a header is not a [name, value] pair")
    return pair[0], pair[1]
