"""Deterministic generation of leads, contacts and opportunities from a seed."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from closetui.sandbox.derive import (
    ID_LENGTH,
    base62,
    iso,
    note_to_html,
    value_formatted,
)
from closetui.sandbox.org import JSON, ORG_ID, Org
from closetui.sandbox.records import Records

SEED_ANCHOR = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
"""Seeded timestamps fall in the two years before this moment (never the real clock)."""

_SPAN_SECONDS = 730 * 86400

# fmt: off
_PREFIXES = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Soylent", "Stark", "Wayne",
    "Wonka", "Tyrell", "Cyberdyne", "Gringotts", "Oscorp", "Nakatomi", "Dunder", "Pied Piper",
    "Sterling", "Bluth", "Prestige", "Monarch", "Aperture", "Black Mesa", "Massive Dynamic",
    "Nimbus", "Northwind", "Contoso", "Fabrikam", "Tailspin", "Litware", "Proseware", "Wingtip",
    "Alpine", "Blue Yonder", "Coho", "Fourth Coffee", "Lucerne", "Trey", "Woodgrove", "Baltic",
    "Harbor", "Cedar", "Falcon", "Granite", "Helios", "Ironwood", "Juniper", "Kestrel",
    "Lighthouse", "Meridian", "Nova", "Orchard", "Pinnacle", "Quartz", "Redwood", "Summit",
    "Tidewater", "Union", "Vertex", "Willow", "Zephyr",
)
_SUFFIXES = (
    "Industries", "Labs", "Logistics", "Systems", "Group", "Holdings", "Partners", "Foods",
    "Health", "Energy", "Analytics", "Robotics", "Media", "Capital", "Software", "Manufacturing",
    "Consulting", "Networks", "Biotech", "Inc.",
)
_FIRST = (
    "Ada", "Ben", "Carla", "Dmitri", "Elena", "Farah", "Gus", "Hana", "Ivan", "Jade", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Viktor",
    "Wen", "Xavier", "Yara", "Zane",
)
_LAST = (
    "Adams", "Brooks", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nguyen", "Oliveira", "Park", "Quispe", "Rossi",
    "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Yilmaz", "Zhou",
)
# fmt: on
_TOPICS = (
    "Logistics integration project",
    "Annual platform renewal",
    "Pilot for the EMEA sales team",
    "Upsell: calling add-on",
    "Replace legacy CRM",
    "Expansion to two new offices",
    "Multi-year contract discussion",
    "Reporting package",
    "Onboarding services",
    "Seats for the new SDR team",
)
_NEXT_STEPS = (
    "Send the security questionnaire",
    "Book a technical deep dive\nInvite their IT lead",
    "Waiting on legal review",
    "Follow up after budget meeting",
    "Prepare pricing for 3 options",
)
_ONE_TIME = (500, 1200, 2500, 4000, 7500, 12000, 25000, 48000, 99000, 150000)
_MONTHLY = (40, 99, 250, 500, 1200, 2500)
_ANNUAL = (1200, 6000, 12000, 24000, 60000, 120000)
_CONFIDENCES = (10, 20, 25, 30, 40, 50, 60, 75, 80, 90)
_PERIODS = ("one_time", "monthly", "annual")
_AMOUNTS = {"one_time": _ONE_TIME, "monthly": _MONTHLY, "annual": _ANNUAL}
_TYPES = ("active", "won", "lost")
_MORE = "\nSee the shared folder for details."

T = TypeVar("T")


@dataclass
class Data:
    """The seeded records: leads (with contact ids), contacts and opportunities."""

    leads: dict[str, JSON] = field(default_factory=dict)
    contacts: dict[str, JSON] = field(default_factory=dict)
    opportunities: Records = field(default_factory=Records)
    """Counts its changes, so listings can be cached (see :class:`Records`)."""


def new_id(rng: random.Random, prefix: str) -> str:
    """A Close-looking random id (prefix + 43 base62 characters)."""
    return prefix + base62(rng.randbytes(ID_LENGTH))


def refresh(opp: JSON, org: Org, data: Data) -> None:
    """Recompute every derived field of an opportunity from its writable ones."""
    status = org.statuses[opp["status_id"]]
    pipeline_id = status["pipeline_id"]
    names = org.user_names
    opp["status_label"] = opp["status_display_name"] = status["label"]
    opp["status_type"] = status["type"]
    opp["pipeline_id"] = pipeline_id
    opp["pipeline_name"] = org.pipeline_names[pipeline_id]
    opp["user_name"] = names.get(opp["user_id"])
    opp["created_by_name"] = names.get(opp["created_by"] or "")
    opp["updated_by_name"] = names.get(opp["updated_by"] or "")
    contact = data.contacts.get(opp["contact_id"] or "")
    opp["contact_name"] = None if contact is None else contact["name"]
    lead = data.leads.get(opp["lead_id"])
    opp["lead_name"] = None if lead is None else lead["display_name"]
    value, confidence, period = opp["value"], opp["confidence"], opp["value_period"]
    if value is None:
        opp["expected_value"] = opp["annualized_value"] = None
        opp["annualized_expected_value"] = None
    else:
        annualized = value * 12 if period == "monthly" else value
        opp["expected_value"] = value * confidence // 100
        opp["annualized_value"] = annualized
        opp["annualized_expected_value"] = annualized * confidence // 100
    opp["value_currency"] = "USD"
    opp["value_formatted"] = value_formatted(value, period)


def _pick(rnd: Callable[[], float], seq: Sequence[T]) -> T:
    """``rng.choice`` without its overhead (``random()`` is the cheapest draw)."""
    return seq[int(rnd() * len(seq))]


def _some(rnd: Callable[[], float], seq: Sequence[T], share: float) -> list[T]:
    """A non-empty subset of ``seq`` in its order, each item kept with ``share`` odds."""
    kept = [item for item in seq if rnd() < share]
    return kept or [_pick(rnd, seq)]


def _leads(rng: random.Random, count: int, data: Data) -> list[JSON]:
    leads = []
    rnd = rng.random
    prefixes, suffixes, first, last = _PREFIXES, _SUFFIXES, _FIRST, _LAST
    contacts = data.contacts
    for _ in range(count):
        lead_id = new_id(rng, "lead_")
        contact_ids = []
        for _ in range(1 + int(rnd() * 3)):
            contact_id = new_id(rng, "cont_")
            name = f"{_pick(rnd, first)} {_pick(rnd, last)}"
            contacts[contact_id] = {"id": contact_id, "lead_id": lead_id, "name": name}
            contact_ids.append(contact_id)
        lead = {
            "contact_ids": contact_ids,
            "display_name": f"{_pick(rnd, prefixes)} {_pick(rnd, suffixes)}",
            "id": lead_id,
        }
        data.leads[lead_id] = lead
        leads.append(lead)
    return leads


def _custom(rnd: Callable[[], float], org: Org, lead: JSON, created: datetime) -> JSON:
    """Random values for a share of the custom fields (absent = unset)."""
    user_ids = list(org.users)
    out: JSON = {}
    for fid in org.schema_order:
        if rnd() < 0.55:
            continue
        spec = org.field_specs[fid]
        kind, key = spec.type, f"custom.{fid}"
        if kind == "choices" and spec.choices:
            choices = spec.choices
            out[key] = _some(rnd, choices, 0.3) if spec.multiple else _pick(rnd, choices)
        elif kind == "user":
            out[key] = _some(rnd, user_ids, 0.3) if spec.multiple else _pick(rnd, user_ids)
        elif kind == "contact":
            out[key] = _pick(rnd, lead["contact_ids"])
        elif kind == "text":
            out[key] = f"PRJ-{1000 + int(rnd() * 9000)}"
        elif kind == "textarea":
            out[key] = _pick(rnd, _NEXT_STEPS)
        elif kind == "number":
            out[key] = _pick(rnd, (5, 10, 15, 20)) if spec.roles else 5 + int(rnd() * 495)
        elif kind == "date":
            out[key] = (created.date() + timedelta(days=30 + int(rnd() * 210))).isoformat()
        elif kind == "datetime":
            out[key] = iso(created + timedelta(minutes=60 + int(rnd() * 28800)))
        else:
            out[key] = 1 + int(rnd() * 99)
    return out


def generate(org: Org, count: int, seed: int) -> Data:
    """Generate ``count`` opportunities (and their leads) deterministically from ``seed``."""
    rng = random.Random(seed)
    data = Data()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small dicts and no cycles: collection passes only cost time
    try:
        leads = _leads(rng, max(1, count * 3 // 5), data) if count else []
        make = _OpportunityMaker(rng, org)
        opportunities = data.opportunities
        for index in range(count):
            lead = leads[index] if index < len(leads) else _pick(rng.random, leads)
            opp = make(lead)
            refresh(opp, org, data)
            opportunities[opp["id"]] = opp
    finally:
        if gc_was_enabled:
            gc.enable()
    return data


class _OpportunityMaker:
    """Draws random opportunities; everything not per-record is computed once here."""

    def __init__(self, rng: random.Random, org: Org) -> None:
        self.rng, self.org = rng, org
        self.user_ids = tuple(org.users)
        self.by_type = [
            (p["id"], {t: [s["id"] for s in p["statuses"] if s["type"] == t] for t in _TYPES})
            for p in org.pipelines
        ]
        self.notes = {t: note_to_html(t) for t in _TOPICS}
        self.notes.update({t + _MORE: note_to_html(t + _MORE) for t in _TOPICS})

    def __call__(self, lead: JSON) -> JSON:
        """One random opportunity on ``lead`` (derived fields are left to :func:`refresh`)."""
        rng = self.rng
        rnd = rng.random
        pipeline_id, statuses = self.by_type[0] if rnd() < 0.75 else self.by_type[1]
        roll = rnd()
        kind = "won" if roll < 0.25 else "lost" if roll < 0.40 else "active"
        status_id = _pick(rnd, statuses[kind])
        created = SEED_ANCHOR - timedelta(
            seconds=int(rnd() * _SPAN_SECONDS), milliseconds=int(rnd() * 1000)
        )
        updated = created + (SEED_ANCHOR - created) * rnd()
        period = _PERIODS[min(2, int(rnd() * 3.3))]
        amounts = _AMOUNTS[period]
        value: int | None = amounts[int(rnd() * len(amounts))] * 100 + (50 if rnd() < 0.1 else 0)
        if rnd() < 0.05:
            value = None
        confidence = 100 if kind == "won" else 0 if kind == "lost" else _pick(rnd, _CONFIDENCES)
        date_won = None
        if kind == "won" or rnd() < 0.03:  # a few lost/active ones keep a stale date_won
            date_won = (created + (updated - created) * rnd()).date().isoformat()
        user_ids = self.user_ids
        owner = user_ids[0] if rnd() < 0.3 else user_ids[int(rnd() * len(user_ids))]
        note = None
        if rnd() < 0.8:
            note = _TOPICS[int(rnd() * len(_TOPICS))] + (_MORE if rnd() < 0.2 else "")
        updated_iso = updated.isoformat(timespec="microseconds")
        opp: JSON = {
            "annualized_expected_value": None,
            "annualized_value": None,
            "attachments": [],
            "confidence": confidence,
            "contact_id": _pick(rnd, lead["contact_ids"]) if rnd() < 0.6 else None,
            "contact_name": None,
            "created_by": owner,
            "created_by_name": None,
            "date_created": created.isoformat(timespec="microseconds"),
            "date_lost": updated_iso if kind == "lost" else None,
            "date_updated": updated_iso,
            "date_won": date_won,
            "expected_value": None,
            "id": new_id(rng, "oppo_"),
            "integration_links": [],
            "lead_id": lead["id"],
            "lead_name": None,
            "note": note,
            "note_html": None if note is None else self.notes[note],
            "organization_id": ORG_ID,
            "pipeline_id": pipeline_id,
            "pipeline_name": None,
            "status_display_name": "",
            "status_id": status_id,
            "status_label": "",
            "status_type": kind,
            "updated_by": owner if rnd() < 0.7 else user_ids[int(rnd() * len(user_ids))],
            "updated_by_name": None,
            "user_id": owner,
            "user_name": None,
            "value": value,
            "value_currency": "USD",
            "value_formatted": None,
            "value_period": period,
        }
        if rnd() < 0.7:
            opp.update(_custom(rnd, self.org, lead, created))
        return opp
