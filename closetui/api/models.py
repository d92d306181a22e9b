"""Typed models of the Close API objects closetui reads (lenient: Close adds fields)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from closetui.api import pages

StatusType = Literal["active", "won", "lost"]
"""The three kinds of opportunity status."""

ValuePeriod = Literal["one_time", "monthly", "annual"]
"""How an opportunity's value recurs."""

KNOWN_FIELD_TYPES = frozenset(
    {"text", "textarea", "number", "date", "datetime", "choices", "user", "contact"}
)
"""Custom field types closetui knows how to edit; any other type is shown read-only."""

CUSTOM_PREFIX = pages.CUSTOM_PREFIX
"""Custom field values arrive as top-level ``custom.cf_...`` keys."""


def _assume_utc(value: datetime) -> datetime:
    """Close sometimes omits the offset (pipelines); those timestamps are UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_assume_utc)]
"""An aware datetime; naive values from the API are taken as UTC."""


class CloseModel(BaseModel):
    """Base for API response models: unknown fields are kept, never rejected."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, defer_build=True)


class OpportunityStatus(CloseModel):
    """One opportunity status (``stat_...``) of a pipeline."""

    id: str
    label: str
    type: StatusType
    pipeline_id: str | None = None
    """Present on ``/status/opportunity/`` items; filled from the pipeline otherwise."""


class Pipeline(CloseModel):
    """A named, ordered group of opportunity statuses."""

    id: str
    name: str
    organization_id: str | None = None
    statuses: list[OpportunityStatus] = Field(default_factory=list)
    created_by: str | None = None
    updated_by: str | None = None
    date_created: UtcDatetime | None = None
    date_updated: UtcDatetime | None = None


class FieldAssociation(CloseModel):
    """Where a shared custom field is used, with per-object role limits."""

    object_type: str
    editable_with_roles: list[str] = Field(default_factory=list)
    required: bool = False


class CustomField(CloseModel):
    """A custom field that opportunities can carry (regular or shared)."""

    id: str
    name: str
    type: str
    description: str | None = None
    choices: list[str] | None = None
    accepts_multiple_values: bool = False
    editable_with_roles: list[str] = Field(default_factory=list)
    is_shared: bool = False
    associations: list[FieldAssociation] | None = None
    referenced_custom_type_id: str | None = None
    organization_id: str | None = None

    @property
    def key(self) -> str:
        """The top-level key that carries this field's value (``custom.cf_...``)."""
        return CUSTOM_PREFIX + self.id

    @property
    def is_known_type(self) -> bool:
        """True when closetui knows how to edit values of this type."""
        return self.type in KNOWN_FIELD_TYPES and self.referenced_custom_type_id is None

    def roles_allowed(self) -> list[str]:
        """Roles that may edit this field on opportunities; empty means everyone."""
        if self.is_shared and self.associations:
            for assoc in self.associations:
                if assoc.object_type == "opportunity":
                    return assoc.editable_with_roles
        return self.editable_with_roles

    def editable_by(self, role: str | None) -> bool:
        """Whether a user with ``role`` may edit this field (unknown types never)."""
        if not self.is_known_type:
            return False
        roles = self.roles_allowed()
        return not roles or (role is not None and role in roles)


class User(CloseModel):
    """A user who shares an organization with the caller."""

    id: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    image: str | None = None
    date_created: UtcDatetime | None = None
    date_updated: UtcDatetime | None = None
    email_verified_at: UtcDatetime | None = None
    last_used_timezone: str | None = None
    organizations: list[str] = Field(default_factory=list)

    @property
    def full_name(self) -> str:
        """First and last name, or the email when both are missing."""
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.email or self.id


class Membership(CloseModel):
    """A user's membership of an organization, with its role and permissions."""

    id: str
    user_id: str
    organization_id: str
    role: str | None = None
    role_id: str | None = None
    permissions_granted: list[str] = Field(default_factory=list)


class Organization(CloseModel):
    """An organization as embedded in ``/me/``."""

    id: str
    name: str
    currency: str | None = None
    currency_symbol: str | None = None
    pipelines: list[Pipeline] = Field(default_factory=list)
    opportunity_statuses: list[OpportunityStatus] = Field(default_factory=list)


class Me(CloseModel):
    """The user that owns the credential, with organizations and memberships."""

    id: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    date_created: UtcDatetime | None = None
    date_updated: UtcDatetime | None = None
    last_used_timezone: str | None = None
    memberships: list[Membership] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)

    @property
    def full_name(self) -> str:
        """First and last name, or the email when both are missing."""
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return name or self.email or self.id

    def role_in(self, organization_id: str) -> str | None:
        """The caller's role id in one organization (None when not a member)."""
        for membership in self.memberships:
            if membership.organization_id == organization_id:
                return membership.role_id or membership.role
        return None


class Opportunity(CloseModel):
    """An opportunity, with every field of Close's update response.

    Custom field values are top-level ``custom.cf_...`` extras; read them with
    :meth:`custom_value` or :attr:`custom`.
    """

    id: str
    organization_id: str
    lead_id: str
    lead_name: str | None = None
    lead_primary_email: dict[str, Any] | None = None
    lead_primary_phone: list[dict[str, Any]] | None = None
    contact_id: str | None = None
    contact_name: str | None = None
    user_id: str
    user_name: str | None = None
    status_id: str
    status_label: str | None = None
    status_display_name: str | None = None
    status_type: StatusType | None = None
    pipeline_id: str | None = None
    pipeline_name: str | None = None
    value: int | None = None
    """Amount in cents (minor units)."""
    value_period: ValuePeriod
    value_currency: str | None = None
    value_formatted: str | None = None
    confidence: int
    """Win probability in percent (0..100)."""
    expected_value: int | None = None
    annualized_value: int | None = None
    annualized_expected_value: int | None = None
    date_won: date | None = None
    date_lost: UtcDatetime | None = None
    date_created: UtcDatetime
    date_updated: UtcDatetime
    created_by: str | None = None
    created_by_name: str | None = None
    updated_by: str | None = None
    updated_by_name: str | None = None
    note: str | None = None
    note_html: str | None = None
    attachments: list[dict[str, Any]] = Field(default_factory=list)
    integration_links: list[dict[str, Any]] = Field(default_factory=list)
    comment_summary: dict[str, Any] | None = None
    is_stalled: bool | None = None
    stall_status: dict[str, Any] | None = None
    suggested_action: dict[str, Any] | None = None

    @property
    def custom(self) -> dict[str, Any]:
        """Every set custom field value, by field id (``cf_...``)."""
        extra = self.model_extra or {}
        return {
            key[len(CUSTOM_PREFIX) :]: value
            for key, value in extra.items()
            if key.startswith(CUSTOM_PREFIX) and value is not None
        }

    def custom_value(self, field_id: str) -> Any:
        """A custom field's value: scalar, list for multi-value, None when unset."""
        return (self.model_extra or {}).get(CUSTOM_PREFIX + field_id)

    @classmethod
    def placeholder(cls) -> Opportunity:
        """An opportunity with no values, never sent: what the editor's rows hold while
        nothing is open."""
        epoch = datetime(1970, 1, 1, tzinfo=UTC)
        return cls(
            id="",
            organization_id="",
            lead_id="",
            user_id="",
            status_id="",
            value_period="one_time",
            confidence=0,
            date_created=epoch,
            date_updated=epoch,
        )


T = TypeVar("T")


class Page(CloseModel, Generic[T]):
    """One page of a list endpoint."""

    data: list[T]
    has_more: bool = False
    total_results: int | None = None


class OpportunityPage(Page[Opportunity]):
    """A page of opportunities with Close's aggregates over all matches."""

    count_by_value_period: dict[str, int] = Field(default_factory=dict)
    total_value_one_time: int | None = None
    total_value_monthly: int | None = None
    total_value_annual: int | None = None
    total_value_annualized: int | None = None
    expected_value_one_time: int | None = None
    expected_value_monthly: int | None = None
    expected_value_annual: int | None = None
    expected_value_annualized: int | None = None


class CustomFieldSchema(CloseModel):
    """The body of ``/custom_field_schema/opportunity/``."""

    fields: list[CustomField]
