"""``GET /me/``: the caller, their membership and the organization, in Close's shapes."""

from __future__ import annotations

from closetui.sandbox.derive import stable_id
from closetui.sandbox.org import JSON, ORG_CREATED, ORG_ID, ORG_NAME, Org


def _phone(user_id: str, index: int) -> JSON:
    number = f"+1415555{index:04d}"
    return {
        "address_id": None,
        "bundle_id": None,
        "carrier": "twilio",
        "carrier_type": "local",
        "country": "US",
        "date_created": ORG_CREATED,
        "date_updated": ORG_CREATED,
        "forward_to": None,
        "forward_to_enabled": False,
        "forward_to_formatted": None,
        "id": stable_id("phon_", f"phone:{user_id}"),
        "is_group_number": False,
        "is_premium": False,
        "is_verified": True,
        "label": "Personal Number",
        "last_billed_price": 1.15,
        "mms_enabled": True,
        "next_billing_on": "2026-12-01",
        "number": number,
        "number_formatted": f"+1 415-555-{index:04d}",
        "organization_id": ORG_ID,
        "press_1_to_accept": True,
        "sms_enabled": True,
        "supports_mms_to_countries": ["CA", "US"],
        "supports_sms_to_countries": ["CA", "PR", "US"],
        "type": "internal",
        "user_id": user_id,
        "voicemail_greeting_url": None,
    }


def organization_json(org: Org) -> JSON:
    """The organization object as embedded in ``/me/``."""
    admin_id = next(iter(org.users))
    return {
        "abandonment_message_url": "",
        "billing_account_id": stable_id("acct_", "billing"),
        "created_by": None,
        "currency": "USD",
        "currency_symbol": "$",
        "date_created": ORG_CREATED,
        "date_updated": ORG_CREATED,
        "enable_unsubscribe_link": False,
        "features": ["stalled-opportunities-ui-c3", "web-forms"],
        "id": ORG_ID,
        "lead_custom_fields": [],
        "lead_statuses": [dict(s) for s in org.lead_statuses],
        "leads_email": "sandbox-sales@leads.sandbox.example",
        "limit_of_connected_accounts_per_membership": 10,
        "name": ORG_NAME,
        # Deprecated flat list (Close keeps sending it): every pipeline's statuses.
        "opportunity_statuses": [dict(s) for p in org.pipelines for s in p["statuses"]],
        "pipelines": [{**p, "statuses": [dict(s) for s in p["statuses"]]} for p in org.pipelines],
        "plan_id": "scale",
        "plan_type": "scale",
        "plan_version": 5,
        "predictive_dialer_status": "disabled",
        "require_unsubscribe_link": False,
        "status": "active",
        "transcript_enabled": True,
        "updated_by": admin_id,
    }


def me_json(org: Org, user_id: str) -> JSON:
    """``GET /me/`` for one user: the user, their membership and the organization."""
    user = org.users[user_id]
    index = list(org.users).index(user_id)
    phone = _phone(user_id, index)
    membership = {
        "auto_record_calls": "unset",
        "default_caller_id": phone["id"],
        "hangup_recording_url": None,
        "is_free": False,
        "may_workflows_impersonate": False,
        "onboarding_status": "done",
        "primary_personal_number": phone["id"],
        "track_email_opens": True,
        **org.memberships[user_id],
    }
    membership["permissions_granted"] = list(membership["permissions_granted"])
    return {
        "all_group_numbers": [],
        "connected_accounts": [],
        "country": "US",
        "date_created": user["date_created"],
        "date_updated": user["date_updated"],
        "email": user["email"],
        "email_accounts": [],
        "email_signatures": [
            {
                "id": stable_id("emailsig_", f"signature:{user_id}"),
                "membership_id": membership["id"],
                "value": f"--<br>{user['first_name']} {user['last_name']}",
            }
        ],
        "email_verified_at": user["email_verified_at"],
        "first_name": user["first_name"],
        "google_profile_image_url": None,
        "id": user_id,
        "image": None,
        "is_passwordless": True,
        "last_name": user["last_name"],
        "last_used_timezone": user["last_used_timezone"],
        "memberships": [membership],
        "organizations": [organization_json(org)],
        "outbound_carrier": "twilio",
        "phone": phone["number"],
        "phone_numbers": [phone],
        "preferred_twilio_edge": None,
        "totp_auth_state": "disabled",
    }
