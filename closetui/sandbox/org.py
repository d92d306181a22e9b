"""The fixed sandbox organization: users, roles, pipelines, statuses and custom fields."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from closetui.sandbox.config import OAUTH_TOKEN, USER_API_KEY
from closetui.sandbox.derive import stable_id

JSON = dict[str, Any]
"""A JSON object as Close sends it."""

ORG_NAME = "Sandbox Sales Co."
ORG_ID = stable_id("orga_", "organization")
ORG_CREATED = "2025-01-06T09:00:00.000000+00:00"
"""Creation timestamp shared by the fixed organization objects."""

ADMIN_PERMISSIONS = [
    "bulk_delete",
    "bulk_edit",
    "bulk_email",
    "calling",
    "delete_leads",
    "delete_own_activities",
    "delete_own_opportunities",
    "delete_own_tasks",
    "export",
    "manage_customizations",
    "manage_organization",
    "manage_others_activities",
    "manage_others_opportunities",
    "manage_others_tasks",
    "view_all_leads",
]
USER_PERMISSIONS = [
    "calling",
    "delete_own_activities",
    "delete_own_opportunities",
    "delete_own_tasks",
    "view_all_leads",
]

# (first, last, role, timezone); the first user owns the demo key.
USERS = [
    ("Alex", "Morgan", "admin", "America/New_York"),
    ("Blake", "Chen", "user", "America/Los_Angeles"),
    ("Casey", "Rivera", "user", "America/Chicago"),
    ("Devon", "Patel", "user", "Asia/Kolkata"),
    ("Emery", "Okafor", "user", "Africa/Lagos"),
    ("Finley", "Novak", "user", "Europe/Prague"),
    ("Harper", "Lindqvist", "user", "Europe/Stockholm"),
]

# pipeline name -> [(label, type)] in display order; "Won" repeats on purpose.
PIPELINES = {
    "Sales": [
        ("Qualified", "active"),
        ("Demo Completed", "active"),
        ("Proposal Sent", "active"),
        ("Contract Sent", "active"),
        ("Won", "won"),
        ("Lost", "lost"),
    ],
    "Renewals": [
        ("Up for Renewal", "active"),
        ("Renewal Negotiation", "active"),
        ("Won", "won"),
        ("Churned", "lost"),
    ],
}
LEAD_STATUSES = ["Potential", "Qualified", "Customer", "Bad Fit"]

# name -> (type, multiple, choices, editable_with_roles, description), in UI order.
CUSTOM_FIELDS: dict[str, tuple[str, bool, list[str] | None, list[str], str]] = {
    "Deal Source": (
        "choices",
        False,
        ["Inbound", "Outbound", "Partner", "Event", "Referral"],
        [],
        "Where the deal came from",
    ),
    "Products": (
        "choices",
        True,
        ["Calling", "Email", "SMS", "Reporting", "Workflows", "API Access"],
        [],
        "Products in the deal",
    ),
    "Project Code": ("text", False, None, [], "Internal project code"),
    "Next Steps": ("textarea", False, None, [], "What happens next"),
    "Seats": ("number", False, None, [], "Number of seats"),
    "Expected Go-Live": ("date", False, None, [], "Planned go-live date"),
    "Last Demo At": ("datetime", False, None, [], "When the last demo took place"),
    "Sales Engineer": ("user", False, None, [], "Technical owner"),
    "Collaborators": ("user", True, None, [], "Teammates helping on the deal"),
    "Champion": ("contact", False, None, [], "Our champion at the lead"),
    "Legacy Score": ("hidden", False, None, [], "Score imported from the old CRM"),
    "Approved Discount": ("number", False, None, ["admin"], "Discount in percent (admins only)"),
}
SHARED_FIELD = ("Region", "choices", ["AMER", "EMEA", "APAC", "LATAM"])
"""The one shared field (name, type, choices); it also applies to leads."""

SHARED_POSITION = 1
"""Index of the shared field in the UI order of the opportunity schema."""

EDITABLE_TYPES = frozenset(
    {"text", "textarea", "number", "date", "datetime", "choices", "user", "contact"}
)
"""Custom field types that accept writes; any other type is read-only."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """What the update rules need to know about one opportunity custom field."""

    id: str
    name: str
    type: str
    multiple: bool
    choices: tuple[str, ...] | None
    roles: tuple[str, ...]
    """Roles allowed to edit; empty means everyone."""


class Org:
    """The organization objects, in Close's JSON shapes, plus lookup tables."""

    def __init__(self) -> None:
        self.users: dict[str, JSON] = {}
        self.memberships: dict[str, JSON] = {}
        """By user id."""
        self.pipelines: list[JSON] = []
        self.statuses: dict[str, JSON] = {}
        """``/status/opportunity/`` items by id (with ``pipeline_id``)."""
        self.lead_statuses: list[JSON] = []
        self.custom_fields: dict[str, JSON] = {}
        """Regular (non-shared) opportunity fields by id, in UI order."""
        self.shared_fields: dict[str, JSON] = {}
        self.schema_order: list[str] = []
        """Ids of every field valid on opportunities, in UI order."""
        self.field_specs: dict[str, FieldSpec] = {}
        self.pipeline_names: dict[str, str] = {}
        self.keys: dict[str, str] = {}
        self.tokens: dict[str, str] = {}
        self.user_names: dict[str, str] = {}
        """Full names by user id."""

    @property
    def organization_id(self) -> str:
        """The organization's id."""
        return ORG_ID

    def user_name(self, user_id: str | None) -> str | None:
        """Full name of a user, None when unknown."""
        return self.user_names.get(user_id or "")

    def role(self, user_id: str) -> str:
        """The user's role id (``admin`` or ``user``)."""
        return str(self.memberships[user_id]["role_id"])


def _user(first: str, last: str, timezone: str) -> JSON:
    return {
        "date_created": ORG_CREATED,
        "date_updated": ORG_CREATED,
        "email": f"{first.lower()}.{last.lower()}@sandbox.example",
        "email_verified_at": ORG_CREATED,
        "first_name": first,
        "google_profile_image_url": None,
        "id": stable_id("user_", f"user:{first} {last}"),
        "image": None,
        "last_name": last,
        "last_used_timezone": timezone,
        "organizations": [ORG_ID],
    }


def _field(name: str, kind: str, multiple: bool, choices: list[str] | None, admin_id: str) -> JSON:
    data: JSON = {
        "accepts_multiple_values": multiple,
        "back_reference_is_visible": False,
        "created_by": admin_id,
        "date_created": ORG_CREATED,
        "date_updated": ORG_CREATED,
        "description": "",
        "id": stable_id("cf_", f"field:{name}"),
        "name": name,
        "organization_id": ORG_ID,
        "referenced_custom_type_id": None,
        "type": kind,
        "updated_by": admin_id,
    }
    if choices is not None:
        data["choices"] = list(choices)
    return data


def build_org(
    demo_key: str, pipelines: Mapping[str, Sequence[tuple[str, str]]] | None = None
) -> Org:
    """Build the fixed organization; ``demo_key`` belongs to the first (admin) user;
    ``pipelines`` replaces the demo's :data:`PIPELINES`."""
    org = Org()
    for first, last, role, timezone in USERS:
        user = _user(first, last, timezone)
        org.users[user["id"]] = user
        org.user_names[user["id"]] = f"{first} {last}"
        org.memberships[user["id"]] = {
            "id": stable_id("memb_", f"membership:{first} {last}"),
            "organization_id": ORG_ID,
            "permissions_granted": list(ADMIN_PERMISSIONS if role == "admin" else USER_PERMISSIONS),
            "role": role,
            "role_id": role,
            "user_id": user["id"],
        }
    user_ids = list(org.users)
    admin_id = user_ids[0]
    org.keys = {demo_key: admin_id, USER_API_KEY: user_ids[1]}
    org.tokens = {OAUTH_TOKEN: user_ids[2]}

    for name, statuses in (PIPELINES if pipelines is None else pipelines).items():
        pipeline_id = stable_id("pipe_", f"pipeline:{name}", 22)
        items = []
        for label, kind in statuses:
            status_id = stable_id("stat_", f"status:{name}:{label}")
            items.append({"id": status_id, "label": label, "type": kind})
            org.statuses[status_id] = {
                "id": status_id,
                "label": label,
                "organization_id": ORG_ID,
                "pipeline_id": pipeline_id,
                "type": kind,
            }
        org.pipeline_names[pipeline_id] = name
        org.pipelines.append(
            {
                "created_by": None,
                # Close sends pipeline timestamps without an offset (observed).
                "date_created": ORG_CREATED[:26],
                "date_updated": ORG_CREATED[:26],
                "id": pipeline_id,
                "name": name,
                "organization_id": ORG_ID,
                "statuses": items,
                "updated_by": None,
            }
        )
    org.lead_statuses = [
        {"id": stable_id("stat_", f"lead-status:{label}"), "label": label}
        for label in LEAD_STATUSES
    ]

    for name, (kind, multiple, choices, roles, description) in CUSTOM_FIELDS.items():
        data = _field(name, kind, multiple, choices, admin_id)
        data.update(description=description, editable_with_roles=list(roles), is_shared=False)
        org.custom_fields[data["id"]] = data
        org.field_specs[data["id"]] = FieldSpec(
            data["id"], name, kind, multiple, tuple(choices) if choices else None, tuple(roles)
        )
    shared_name, shared_kind, shared_choices = SHARED_FIELD
    shared = _field(shared_name, shared_kind, False, shared_choices, admin_id)
    shared.update(
        description="Sales region, shared by leads and opportunities",
        is_shared=True,
        associations=[
            {"editable_with_roles": [], "object_type": kind, "required": False}
            for kind in ("lead", "opportunity")
        ],
    )
    org.shared_fields[shared["id"]] = shared
    org.field_specs[shared["id"]] = FieldSpec(
        shared["id"], shared_name, shared_kind, False, tuple(shared_choices), ()
    )
    org.schema_order = list(org.custom_fields)
    org.schema_order.insert(SHARED_POSITION, shared["id"])
    return org


def field_id(name: str) -> str:
    """The id of a seeded custom field by name (e.g. ``field_id("Products")``)."""
    return stable_id("cf_", f"field:{name}")
