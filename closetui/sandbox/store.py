"""The live sandbox: seeded state, credentials, request log, faults and rate-limit windows."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from closetui.sandbox.auth import parse_authorization
from closetui.sandbox.config import SandboxConfig
from closetui.sandbox.derive import iso
from closetui.sandbox.errors import ValidationFailed, not_found
from closetui.sandbox.listing import ListingCache, list_page, today_in
from closetui.sandbox.org import JSON, ORG_ID, Org, build_org
from closetui.sandbox.records import Records
from closetui.sandbox.seed import Data, generate, new_id

if TYPE_CHECKING:
    from closetui.sandbox.faults import Fault
    from closetui.sandbox.updates import Change


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One API request as the sandbox received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    """Lower-cased header names."""
    body: bytes


@dataclass(frozen=True, slots=True)
class RateDecision:
    """The outcome of counting one request against its key's window."""

    allowed: bool
    limit: int
    remaining: int
    reset: int
    """Whole seconds until the window resets (>= 1)."""


class Sandbox:
    """Everything a running sandbox knows; tests read and steer it at runtime."""

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.clock: Callable[[], float] = time.monotonic
        """Monotonic seconds used for rate-limit windows (tests may replace it)."""
        self._lock = threading.Lock()  # tests script faults while a server thread takes them
        self.reset()

    def reset(self) -> None:
        """Back to the seeded state: data, credentials, settings from config; logs cleared."""
        cfg = self.config
        self.org: Org = build_org(cfg.api_key, cfg.pipelines)
        self.data: Data = generate(self.org, cfg.opportunities, cfg.seed, cfg.anchor)
        self.rate_limit: float | None = cfg.rate_limit
        self.rate_limit_separator: str = cfg.rate_limit_separator
        self.latency: float = cfg.latency
        self.error_rate: float = cfg.error_rate
        self.drop_rate: float = cfg.drop_rate
        self.fault_rng = random.Random(cfg.seed)
        """Draws for random faults, separate from the data generator."""
        self.faults: list[tuple[Fault, int | None]] = []
        """Scripted faults with how many matching requests each still applies to."""
        self.requests_seen: list[tuple[str, str]] = []
        """``(method, path)`` of every API request received (admin calls excluded)."""
        self.requests: list[RecordedRequest] = []
        """The same requests with query, headers and body."""
        self._windows: dict[str, tuple[float, int]] = {}
        self._created = 0
        self._listing = ListingCache()
        """Sorted matches and totals per list query, emptied by any opportunity change."""

    # -- org data, in Close's JSON shapes -------------------------------------------------

    @property
    def organization_id(self) -> str:
        """The organization's id."""
        return ORG_ID

    @property
    def users(self) -> dict[str, JSON]:
        """Users by id (the demo admin first)."""
        return self.org.users

    @property
    def pipelines(self) -> list[JSON]:
        """Pipelines with their statuses in display order."""
        return self.org.pipelines

    @property
    def statuses(self) -> dict[str, JSON]:
        """Opportunity statuses by id (``id``, ``label``, ``type``, ``pipeline_id``)."""
        return self.org.statuses

    @property
    def custom_fields(self) -> dict[str, JSON]:
        """Regular opportunity custom fields by id."""
        return self.org.custom_fields

    @property
    def shared_fields(self) -> dict[str, JSON]:
        """Shared custom fields by id."""
        return self.org.shared_fields

    @property
    def leads(self) -> dict[str, JSON]:
        """Leads by id: ``id``, ``display_name``, ``contact_ids``."""
        return self.data.leads

    @property
    def contacts(self) -> dict[str, JSON]:
        """Contacts by id: ``id``, ``name``, ``lead_id``."""
        return self.data.contacts

    @property
    def opportunities(self) -> Records:
        """Opportunities by id, exactly as the API returns them (replace, never edit in place)."""
        return self.data.opportunities

    @property
    def keys(self) -> dict[str, str]:
        """API key -> user id."""
        return self.org.keys

    @property
    def tokens(self) -> dict[str, str]:
        """OAuth bearer token -> user id."""
        return self.org.tokens

    def user_id_by_name(self, first_name: str) -> str:
        """The id of a seeded user by first name (e.g. ``"Blake"``)."""
        return next(str(u["id"]) for u in self.users.values() if u["first_name"] == first_name)

    def status_id(self, pipeline: str, label: str) -> str:
        """The id of a status by pipeline name and label (labels repeat across pipelines)."""
        pipe = next(p for p in self.pipelines if p["name"] == pipeline)
        return next(str(s["id"]) for s in pipe["statuses"] if s["label"] == label)

    def now(self) -> datetime:
        """Current time (the config's frozen clock when given)."""
        return self.config.now() if self.config.now is not None else datetime.now(UTC)

    # -- steering -------------------------------------------------------------------------

    def script_faults(self, *faults: Fault) -> None:
        """Queue faults; each applies to the next ``count`` API requests it matches."""
        with self._lock:
            self.faults.extend((f, f.count) for f in faults)

    def clear_faults(self) -> None:
        """Forget every scripted fault."""
        with self._lock:
            self.faults.clear()

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first queued fault matching this request, consuming one of its uses."""
        with self._lock:
            for index, (fault, left) in enumerate(self.faults):
                if fault.matches(method, path):
                    if left is not None:
                        if left <= 1:
                            del self.faults[index]
                        else:
                            self.faults[index] = (fault, left - 1)
                    return fault
        return None

    def set_rate_limit(self, rps: float | None, separator: str = ",") -> None:
        """Turn rate limiting on (``rps`` requests per second per key) or off (None)."""
        if separator not in (",", ";"):
            raise ValueError("separator must be ',' or ';'")
        self.rate_limit, self.rate_limit_separator = rps, separator
        self._windows.clear()

    def count_request(self, credential: str) -> RateDecision | None:
        """Count a request in its key's fixed one-second window; None when limiting is off."""
        if self.rate_limit is None:
            return None
        limit = max(1, int(self.rate_limit))
        now = self.clock()
        start, used = self._windows.get(credential, (now, 0))
        if now - start >= 1.0:
            start, used = now, 0
        used += 1
        self._windows[credential] = (start, used)
        reset = max(1, math.ceil(start + 1.0 - now))
        return RateDecision(used <= limit, limit, max(0, limit - used), reset)

    def ratelimit_header(self, limit: int, remaining: int, reset: int) -> str:
        """The ``RateLimit`` header value with the configured separator."""
        sep = self.rate_limit_separator + " "
        return f"limit={limit}{sep}remaining={remaining}{sep}reset={reset}"

    def user_for(self, authorization: str | None) -> tuple[str, str] | None:
        """``(credential, user id)`` for an Authorization header value, None if invalid."""
        parsed = parse_authorization(authorization)
        if parsed is None:
            return None
        kind, credential = parsed
        user_id = (self.keys if kind == "basic" else self.tokens).get(credential)
        return None if user_id is None else (credential, user_id)

    # -- opportunities --------------------------------------------------------------------

    def _change(self, caller_id: str, offset_hours: float) -> Change:
        # The update rules load with the first write: the demo starts by only reading.
        from closetui.sandbox.updates import Change

        now = self.now()
        return Change(self.org, self.data, caller_id, now, today_in(offset_hours, now))

    def get_opportunity(self, opp_id: str) -> JSON:
        """One opportunity (404 when unknown)."""
        opp = self.opportunities.get(opp_id)
        if opp is None:
            raise not_found()
        return opp

    def list_opportunities(self, params: Mapping[str, str], offset_hours: float) -> JSON:
        """``GET /opportunity/`` with Close's filters, ordering, paging and totals."""
        return list_page(self.data.opportunities, params, offset_hours, self._listing)

    def update_opportunity(
        self, opp_id: str, body: JSON, caller_id: str, offset_hours: float = 0.0
    ) -> JSON:
        """PUT semantics (only sent keys change); 400 leaves the record untouched."""
        opp = self.get_opportunity(opp_id)
        from closetui.sandbox.updates import apply_changes

        new = apply_changes(opp, body, self._change(caller_id, offset_hours))
        self.opportunities[opp_id] = new
        return new

    def create_opportunity(self, body: JSON, caller_id: str, offset_hours: float = 0.0) -> JSON:
        """POST semantics: defaults for status, owner and confidence; answers the full object."""
        change = self._change(caller_id, offset_hours)
        self._created += 1
        id_rng = random.Random(f"create:{self.config.seed}:{self._created}")
        lead_id = body.get("lead_id")
        if lead_id is None:  # Close creates an "Untitled" lead for a lead-less opportunity
            lead_id = new_id(id_rng, "lead_")
            self.leads[lead_id] = {"contact_ids": [], "display_name": "Untitled", "id": lead_id}
        elif lead_id not in self.leads:
            raise ValidationFailed([], {"lead_id": "Invalid lead."})
        when = change.now
        if body.get("date_created") is not None:
            when = _parse_moment(body["date_created"])
        first_status = self.pipelines[0]["statuses"][0]
        skeleton = _skeleton(
            opp_id=new_id(id_rng, "oppo_"),
            lead_id=lead_id,
            status_id=first_status["id"],
            pipeline_id=self.pipelines[0]["id"],
            caller_id=caller_id,
            created=iso(when),
        )
        rest = {k: v for k, v in body.items() if k not in ("lead_id", "date_created")}
        rest.setdefault("user_id", caller_id)
        from closetui.sandbox.updates import apply_changes

        new = apply_changes(skeleton, rest, change)
        self.opportunities[new["id"]] = new
        return new

    def delete_opportunity(self, opp_id: str) -> None:
        """Remove an opportunity (404 when unknown)."""
        if self.opportunities.pop(opp_id, None) is None:
            raise not_found()


def _parse_moment(value: object) -> datetime:
    """A datetime sent on create (naive = UTC); 400 when malformed."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationFailed([], {"date_created": "Enter a valid datetime."})
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _skeleton(
    *, opp_id: str, lead_id: str, status_id: str, pipeline_id: str, caller_id: str, created: str
) -> JSON:
    """A new opportunity before the request's keys are applied."""
    return {
        "annualized_expected_value": None,
        "annualized_value": None,
        "attachments": [],
        "confidence": 50,
        "contact_id": None,
        "contact_name": None,
        "created_by": caller_id,
        "created_by_name": None,
        "date_created": created,
        "date_lost": None,
        "date_updated": created,
        "date_won": None,
        "expected_value": None,
        "id": opp_id,
        "integration_links": [],
        "lead_id": lead_id,
        "lead_name": None,
        "note": None,
        "note_html": None,
        "organization_id": ORG_ID,
        "pipeline_id": pipeline_id,
        "pipeline_name": None,
        "status_display_name": "",
        "status_id": status_id,
        "status_label": "",
        "status_type": "active",
        "updated_by": caller_id,
        "updated_by_name": None,
        "user_id": caller_id,
        "user_name": None,
        "value": None,
        "value_currency": "USD",
        "value_formatted": None,
        "value_period": "one_time",
    }
