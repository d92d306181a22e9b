"""The organisation context of an edit: pipelines, custom fields, users, role, today."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from closetui.api.pages import CUSTOM_PREFIX
from closetui.edits.fields import (
    STANDARD_ALIASES,
    STANDARD_KEYS,
    STANDARD_SPECS,
    FieldProblem,
    custom_spec,
)

if TYPE_CHECKING:
    from closetui.api.models import (
        CustomField,
        Opportunity,
        OpportunityStatus,
        Pipeline,
        User,
    )
    from closetui.edits.fields import (
        FieldSpec,
    )


def today_at(now: datetime, tz_offset: float) -> date:
    """The calendar date at ``now`` (aware) in a zone ``tz_offset`` hours east of UTC."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return (now.astimezone(UTC) + timedelta(hours=tz_offset)).date()


def offset_label(tz_offset: float) -> str:
    """``UTC+5.5``, ``UTC-2.5``, ``UTC+0``: the offset as Close's header expresses it."""
    return f"UTC{tz_offset:+g}"


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def closest(text: str, options: Iterable[str]) -> str | None:
    """A suggestion for ``text``: the one option it starts, else the most similar one."""
    by_folded = {_fold(option): option for option in options}
    folded = _fold(text)
    if not folded:
        return None
    starting = [option for key, option in by_folded.items() if key.startswith(folded)]
    if len(starting) == 1:
        return starting[0]
    found = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=0.6)
    return by_folded[found[0]] if found else None


def _is_qualified(text: str, status: OpportunityStatus, pipeline: Pipeline) -> bool:
    """Whether ``text`` is ``Pipeline/Label`` for this status (any ``/`` may split)."""
    parts = text.split("/")
    return any(
        _fold("/".join(parts[:i])) == _fold(pipeline.name)
        and _fold("/".join(parts[i:])) == _fold(status.label)
        for i in range(1, len(parts))
    )


@dataclass(frozen=True)
class OrgSchema:
    """Everything an edit is checked against, fixed at one moment (``today``).

    Build it with :meth:`at` so that ``today`` comes from a passed-in clock reading.
    """

    pipelines: Sequence[Pipeline]
    custom_fields: Sequence[CustomField]
    users: Sequence[User]
    role: str | None
    """The caller's role id in the organisation (for ``editable_with_roles``)."""
    tz_offset: float
    """UTC offset in hours sent as ``X-TZ-Offset`` (``5.5``, ``-2.5``)."""
    today: date
    """Today's date at ``tz_offset``: what Close uses when it sets ``date_won`` itself."""
    currency: str = "USD"
    """The organisation's currency (ISO code): amounts are typed in it, never another."""
    currency_symbol: str = "$"
    """The organisation's currency symbol (``$``, ``€``, ``CA$``)."""
    _statuses: dict[str, tuple[OpportunityStatus, Pipeline]] = field(
        init=False, repr=False, compare=False
    )
    _specs: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pipelines", tuple(self.pipelines))
        object.__setattr__(self, "custom_fields", tuple(self.custom_fields))
        object.__setattr__(self, "users", tuple(self.users))
        statuses = {s.id: (s, p) for p in self.pipelines for s in p.statuses}
        object.__setattr__(self, "_statuses", statuses)
        specs = dict(STANDARD_SPECS)
        specs.update((f.key, custom_spec(f, self.role)) for f in self.custom_fields)
        object.__setattr__(self, "_specs", specs)

    @classmethod
    def at(
        cls,
        now: datetime,
        *,
        pipelines: Iterable[Pipeline] = (),
        custom_fields: Iterable[CustomField] = (),
        users: Iterable[User] = (),
        role: str | None = None,
        tz_offset: float = 0.0,
        currency: str = "USD",
        currency_symbol: str = "$",
    ) -> OrgSchema:
        """A schema whose ``today`` is ``now`` (aware) seen at ``tz_offset``."""
        return cls(
            pipelines=tuple(pipelines),
            custom_fields=tuple(custom_fields),
            users=tuple(users),
            role=role,
            tz_offset=tz_offset,
            today=today_at(now, tz_offset),
            currency=currency,
            currency_symbol=currency_symbol,
        )

    def with_now(self, now: datetime) -> OrgSchema:
        """The same schema with ``today`` recomputed from ``now``."""
        return replace(self, today=today_at(now, self.tz_offset))

    @property
    def offset_label(self) -> str:
        """The profile offset as text, e.g. ``UTC+5.5``."""
        return offset_label(self.tz_offset)

    # -- fields ---------------------------------------------------------------

    def specs(self) -> tuple[FieldSpec, ...]:
        """Every field (read-only ones too) in body order: built-ins, then custom."""
        return tuple(self._specs.values())

    def editable_specs(self) -> tuple[FieldSpec, ...]:
        """The fields the caller may change, in body order."""
        return tuple(s for s in self._specs.values() if s.editable)

    def spec_for_key(self, key: str) -> FieldSpec | None:
        """A field by its exact body key (``status_id``, ``custom.cf_...``)."""
        return self._specs.get(key)

    def spec(self, ref: str) -> FieldSpec | FieldProblem:
        """A field by key, custom field id, name or label (case-insensitive)."""
        text = ref.strip()
        if text in self._specs:
            return self._specs[text]
        if CUSTOM_PREFIX + text in self._specs:
            return self._specs[CUSTOM_PREFIX + text]
        folded = _fold(text)
        named = [f for f in self.custom_fields if _fold(f.name) == folded]
        if len(named) > 1:
            ids = ", ".join(f.id for f in named)
            return FieldProblem(f"Field name {text!r} is ambiguous ({ids}); use the id.")
        if named:
            return self._specs[named[0].key]
        key = STANDARD_ALIASES.get(folded) or next(
            (k for k in STANDARD_KEYS if _fold(STANDARD_SPECS[k].label) == folded), None
        )
        if key is not None:
            return self._specs[key]
        names = [*STANDARD_KEYS, *(f.name for f in self.custom_fields)]
        guess = closest(text, names)
        hint = f"; did you mean {guess!r}?" if guess else "."
        return FieldProblem(f"Unknown field {text!r}{hint}", guess)

    def custom_field(self, ref: str) -> CustomField | None:
        """A custom field by id (``cf_...``) or key (``custom.cf_...``)."""
        spec = self._specs.get(ref) or self._specs.get(CUSTOM_PREFIX + ref)
        return spec.custom_field if spec is not None else None

    # -- statuses -------------------------------------------------------------

    def status(self, status_id: str | None) -> OpportunityStatus | None:
        """A status by id."""
        found = self._statuses.get(status_id or "")
        return found[0] if found else None

    def statuses_by_label(self, label: str) -> tuple[OpportunityStatus, ...]:
        """Every status with this label (case-insensitive), across pipelines."""
        folded = _fold(label)
        return tuple(s for s, _ in self._statuses.values() if _fold(s.label) == folded)

    def pipeline_of(self, status_id: str | None) -> Pipeline | None:
        """The pipeline a status belongs to."""
        found = self._statuses.get(status_id or "")
        return found[1] if found else None

    def pipeline_id_of(self, opportunity: Opportunity) -> str | None:
        """The opportunity's pipeline: from its status, else its own ``pipeline_id``."""
        pipeline = self.pipeline_of(opportunity.status_id)
        return pipeline.id if pipeline else opportunity.pipeline_id

    def status_name(self, status_id: str | None) -> str:
        """``Won (Sales)``: a status label with its pipeline, or the raw id."""
        found = self._statuses.get(status_id or "")
        return f"{found[0].label} ({found[1].name})" if found else str(status_id)

    def is_won(self, status_id: str | None) -> bool:
        """True when ``status_id`` is a status of type ``won``."""
        status = self.status(status_id)
        return status is not None and status.type == "won"

    def resolve_status(
        self, text: str, *, pipeline_id: str | None = None
    ) -> OpportunityStatus | FieldProblem:
        """A status from an id, a label or ``Pipeline/Label`` (case-insensitive).

        A label used in several pipelines resolves within ``pipeline_id`` (the
        opportunity's current pipeline); otherwise the answer is an ambiguity problem.
        """
        text = text.strip()
        if text in self._statuses:
            return self._statuses[text][0]
        folded = _fold(text)
        matches = [(s, p) for s, p in self._statuses.values() if _fold(s.label) == folded]
        if len(matches) > 1:
            scoped = [m for m in matches if m[1].id == pipeline_id]
            matches = scoped if len(scoped) == 1 else matches
        if not matches:
            matches = [(s, p) for s, p in self._statuses.values() if _is_qualified(text, s, p)]
        if len(matches) == 1:
            return matches[0][0]
        if matches:
            listed = ", ".join(f"{s.label} ({p.name})" for s, p in matches)
            return FieldProblem(
                f"Status {text!r} is ambiguous: {listed} — use the id or 'Pipeline/Label'."
            )
        names = [s.label for s, _ in self._statuses.values()]
        names += [f"{p.name}/{s.label}" for s, p in self._statuses.values()]
        guess = closest(text, names)
        hint = f"; did you mean {guess!r}?" if guess else "."
        return FieldProblem(f"{text!r} is not a status{hint}", guess)

    # -- users ----------------------------------------------------------------

    def user(self, user_id: str | None) -> User | None:
        """A user by id."""
        return next((u for u in self.users if u.id == user_id), None)

    def resolve_user(self, text: str, *, label: str = "Owner") -> User | FieldProblem:
        """A user from an id, a full name or an email (case-insensitive, never guessed)."""
        text = text.strip()
        found = self.user(text)
        if found is not None:
            return found
        folded = _fold(text)
        matches = [u for u in self.users if u.email and _fold(u.email) == folded]
        if not matches:
            matches = [u for u in self.users if _fold(u.full_name) == folded]
        if len(matches) == 1:
            return matches[0]
        if matches:
            listed = ", ".join(f"{u.full_name} <{u.email or u.id}>" for u in matches)
            return FieldProblem(
                f"{text!r} is ambiguous for {label}: {listed} — use the email or id."
            )
        starting = [
            u
            for u in self.users
            if folded
            and (_fold(u.full_name).startswith(folded) or _fold(u.email or "").startswith(folded))
        ]
        if len(starting) == 1:
            guess: str | None = self._user_text(starting[0])
        else:
            options = [self._user_text(u) for u in self.users]
            options += [u.email for u in self.users if u.email]
            guess = closest(text, options)
        hint = f"; did you mean {guess!r}?" if guess else "."
        return FieldProblem(f"{text!r} is not a user for {label}{hint}", guess)

    def _user_text(self, user: User) -> str:
        """How to type ``user`` unambiguously: the full name if unique, else email or id."""
        same_name = [u for u in self.users if _fold(u.full_name) == _fold(user.full_name)]
        return user.full_name if len(same_name) == 1 else user.email or user.id
