"""Deterministic generation of leads, contacts and opportunities from a seed."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from closetui.sandbox.config import SEED_ANCHOR
from closetui.sandbox.derive import BASE62, ID_BITS, ID_LENGTH, note_to_html, value_formatted
from closetui.sandbox.org import JSON, ORG_ID, FieldSpec, Org
from closetui.sandbox.records import Records

__all__ = ["SEED_ANCHOR", "Data", "generate", "new_id", "refresh"]

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

# fmt: off
_SHAPE: JSON = dict.fromkeys((
    "annualized_expected_value", "annualized_value", "attachments", "confidence", "contact_id",
    "contact_name", "created_by", "created_by_name", "date_created", "date_lost", "date_updated",
    "date_won", "expected_value", "id", "integration_links", "lead_id", "lead_name", "note",
    "note_html", "organization_id", "pipeline_id", "pipeline_name", "status_display_name",
    "status_id", "status_label", "status_type", "updated_by", "updated_by_name", "user_id",
    "user_name", "value", "value_currency", "value_formatted", "value_period",
))
# fmt: on
"""An opportunity's keys in the order Close sends them, each None but the constant ones."""
_SHAPE.update(organization_id=ORG_ID, value_currency="USD")

_DISCOUNTS = (5, 10, 15, 20)
"""Values of a number field only some roles may edit (the approved discount)."""

T = TypeVar("T")


class Data:
    """The seeded records: leads (with contact ids), contacts and opportunities."""

    def __init__(self) -> None:
        self.leads: dict[str, JSON] = {}
        self.contacts: dict[str, JSON] = {}
        self.opportunities = Records()
        """Counts its changes, so listings can be cached (see :class:`Records`)."""


def new_id(rng: random.Random, prefix: str) -> str:
    """A Close-looking random id (prefix + 43 base62 characters).

    The same draw as ``rng.randbytes(ID_LENGTH)``, without its extra Python call.
    """
    return (
        prefix + rng.getrandbits(ID_BITS).to_bytes(ID_LENGTH, "little").translate(BASE62).decode()
    )


def refresh(opp: JSON, org: Org, data: Data) -> None:
    """Recompute every derived field of an opportunity from its writable ones.

    :class:`_OpportunityMaker` fills the same fields itself; keep the two in step.
    """
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


def _iso(moment: datetime) -> str:
    """:func:`~closetui.sandbox.derive.iso` of a naive UTC moment, quicker.

    ``isoformat()`` without ``timespec`` is much quicker, but leaves out a zero microsecond.
    """
    text = moment.isoformat()
    return text + "+00:00" if moment.microsecond else text + ".000000+00:00"


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
    contacts, by_id = data.contacts, data.leads
    for _ in range(count):
        lead_id = new_id(rng, "lead_")
        contact_ids = []
        for _ in range(1 + int(rnd() * 3)):
            contact_id = new_id(rng, "cont_")
            name = f"{_pick(rnd, _FIRST)} {_pick(rnd, _LAST)}"
            contacts[contact_id] = {"id": contact_id, "lead_id": lead_id, "name": name}
            contact_ids.append(contact_id)
        lead = {
            "contact_ids": contact_ids,
            "display_name": f"{_pick(rnd, _PREFIXES)} {_pick(rnd, _SUFFIXES)}",
            "id": lead_id,
        }
        by_id[lead_id] = lead
        leads.append(lead)
    return leads


def generate(org: Org, count: int, seed: int, anchor: datetime = SEED_ANCHOR) -> Data:
    """Generate ``count`` opportunities (and their leads) deterministically from ``seed``,
    their timestamps in the two years before the aware moment ``anchor``."""
    rng = random.Random(seed)
    data = Data()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small dicts and no cycles: collection passes only cost time
    try:
        leads = _leads(rng, max(1, count * 3 // 5), data) if count else []
        make = _OpportunityMaker(rng, org, data, anchor)
        opportunities = data.opportunities
        for index in range(count):
            lead = leads[index] if index < len(leads) else _pick(rng.random, leads)
            opp = make(lead)
            opportunities[opp["id"]] = opp
    finally:
        if gc_was_enabled:
            gc.enable()
    return data


def _field_plan(spec: FieldSpec, user_ids: tuple[str, ...]) -> tuple[str, Sequence[object]]:
    """How :meth:`_OpportunityMaker.custom` draws a value for one field: a way and a pool.

    ``pick`` takes one item of the pool, ``some`` a non-empty subset; the other ways
    (``contact``, ``text``, ``number``, ``date``, ``datetime``, ``score``) need no pool.
    """
    kind = spec.type
    if kind == "choices" and spec.choices:
        return ("some" if spec.multiple else "pick"), spec.choices
    if kind == "user":
        return ("some" if spec.multiple else "pick"), user_ids
    if kind == "textarea":
        return "pick", _NEXT_STEPS
    if kind == "number" and spec.roles:
        return "pick", _DISCOUNTS
    if kind in ("contact", "text", "number", "date", "datetime"):
        return kind, ()
    return "score", ()  # hidden fields (and choices without any) get a 1..99 score


class _OpportunityMaker:
    """Draws random opportunities, derived fields included (as :func:`refresh` computes
    them); everything not per-record is looked up once here."""

    def __init__(self, rng: random.Random, org: Org, data: Data, anchor: datetime) -> None:
        self.rng, self.contacts = rng, data.contacts
        self.anchor = anchor.astimezone(UTC).replace(tzinfo=None)
        """The anchor as a naive UTC moment: naive arithmetic and ``isoformat`` are quicker,
        and every seeded moment is UTC (its ISO form gets ``+00:00``, as :func:`_iso` writes)."""
        self.user_ids = user_ids = tuple(org.users)
        self.names = org.user_names
        self.pipelines = []
        """Per pipeline: its id, name and ``(status id, label)`` pairs by status type."""
        for pipeline in org.pipelines:
            statuses = [org.statuses[s["id"]] for s in pipeline["statuses"]]
            by_type = {
                t: [(s["id"], s["label"]) for s in statuses if s["type"] == t] for t in _TYPES
            }
            pipeline_id = pipeline["id"]
            self.pipelines.append((pipeline_id, org.pipeline_names[pipeline_id], by_type))
        self.notes = {t: note_to_html(t) for t in _TOPICS}
        self.notes.update({t + _MORE: note_to_html(t + _MORE) for t in _TOPICS})
        self.formatted: dict[tuple[int, str], str | None] = {}
        """``value_formatted`` by value and period, filled as values come up."""
        self.plan = [
            (f"custom.{fid}", *_field_plan(org.field_specs[fid], user_ids))
            for fid in org.schema_order
        ]

    def __call__(self, lead: JSON) -> JSON:
        """One random opportunity on ``lead``.

        The draws must keep their order (the same seed gives byte-identical data), so each
        one is taken into a local first; the dict is filled afterwards.
        """
        rng, anchor = self.rng, self.anchor
        rnd = rng.random
        first = rnd() < 0.75 or len(self.pipelines) == 1  # the draw is taken either way
        pipeline_id, pipeline_name, statuses = self.pipelines[0 if first else 1]
        roll = rnd()
        kind = "won" if roll < 0.25 else "lost" if roll < 0.40 else "active"
        status_id, label = _pick(rnd, statuses[kind])
        # timedelta(days, seconds, microseconds): the seconds are drawn before the millis.
        created = anchor - timedelta(0, int(rnd() * _SPAN_SECONDS), int(rnd() * 1000) * 1000)
        updated = created + (anchor - created) * rnd()
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
        contact_id = _pick(rnd, lead["contact_ids"]) if rnd() < 0.6 else None
        opp_id = new_id(rng, "oppo_")
        updated_by = owner if rnd() < 0.7 else user_ids[int(rnd() * len(user_ids))]
        names = self.names
        opp = _SHAPE.copy()  # a copy fills a dict faster than a 34-key literal
        if value is not None:
            annualized = value * 12 if period == "monthly" else value
            opp["annualized_expected_value"] = annualized * confidence // 100
            opp["annualized_value"] = annualized
            opp["expected_value"] = value * confidence // 100
            formatted = self.formatted.get((value, period))
            if formatted is None:
                formatted = self.formatted[value, period] = value_formatted(value, period)
            opp["value_formatted"] = formatted
        opp["attachments"] = []
        opp["confidence"] = confidence
        if contact_id is not None:
            opp["contact_id"] = contact_id
            opp["contact_name"] = self.contacts[contact_id]["name"]
        opp["created_by"] = opp["user_id"] = owner
        opp["created_by_name"] = opp["user_name"] = names[owner]
        opp["date_created"] = _iso(created)
        opp["date_updated"] = updated_iso = _iso(updated)
        if kind == "lost":
            opp["date_lost"] = updated_iso
        opp["date_won"] = date_won
        opp["id"] = opp_id
        opp["integration_links"] = []
        opp["lead_id"] = lead["id"]
        opp["lead_name"] = lead["display_name"]
        if note is not None:
            opp["note"] = note
            opp["note_html"] = self.notes[note]
        opp["pipeline_id"] = pipeline_id
        opp["pipeline_name"] = pipeline_name
        opp["status_display_name"] = opp["status_label"] = label
        opp["status_id"] = status_id
        opp["status_type"] = kind
        opp["updated_by"] = updated_by
        opp["updated_by_name"] = names[updated_by]
        opp["value"] = value
        opp["value_period"] = period
        if rnd() < 0.7:
            self.custom(opp, lead, created)
        return opp

    def custom(self, opp: JSON, lead: JSON, created: datetime) -> None:
        """Random values for a share of the custom fields (absent = unset)."""
        rnd = self.rng.random
        for key, way, pool in self.plan:
            if rnd() < 0.55:
                continue
            if way == "pick":
                opp[key] = pool[int(rnd() * len(pool))]
            elif way == "some":
                opp[key] = _some(rnd, pool, 0.3)
            elif way == "contact":
                opp[key] = _pick(rnd, lead["contact_ids"])
            elif way == "text":
                opp[key] = f"PRJ-{1000 + int(rnd() * 9000)}"
            elif way == "number":
                opp[key] = 5 + int(rnd() * 495)
            elif way == "date":
                opp[key] = (created.date() + timedelta(days=30 + int(rnd() * 210))).isoformat()
            elif way == "datetime":
                moment = created + timedelta(minutes=60 + int(rnd() * 28800))
                opp[key] = _iso(moment)
            else:
                opp[key] = 1 + int(rnd() * 99)
