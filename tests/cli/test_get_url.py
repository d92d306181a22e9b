"""``closetui get`` links the record in the Close web app: its lead's page (``url:``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from closetui.sandbox import DEMO_API_KEY
from tests.cli.helpers import Live, closetui, run_closetui


def _first(live: Live) -> tuple[str, str]:
    opportunity_id = next(iter(live.sandbox.opportunities))
    return opportunity_id, live.sandbox.opportunities[opportunity_id]["lead_id"]


def test_the_text_ends_with_the_lead_page(live: Live) -> None:
    opportunity_id, lead_id = _first(live)
    done = live.run("get", opportunity_id)
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == f"url: https://app.close.com/lead/{lead_id}/"


def test_json_stays_the_apis_object(live: Live) -> None:
    opportunity_id, _ = _first(live)
    done = live.run("get", opportunity_id, "--json")
    assert done.code == 0, done.err
    assert json.loads(done.out) == live.sandbox.get_opportunity(opportunity_id)
    assert "app.close.com" not in done.out + done.err


def test_the_demo_says_its_lead_is_not_in_close() -> None:
    listed = closetui("list", "--demo", "--limit", "1", "--format", "ndjson")
    opportunity = json.loads(listed.out)
    done = closetui("get", "--demo", opportunity["id"])
    url = f"url: https://app.close.com/lead/{opportunity['lead_id']}/"
    assert f"{url}  (the demo's lead: it exists only in the sandbox)" in done.out


def test_a_profiles_web_url_is_used(live: Live, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.eu]\nbase_url = "{live.url}"\napi_key_env = "EU_KEY"\n'
        'web_url = "https://close.example.eu/app"\n'
    )
    config.chmod(0o600)
    opportunity_id, lead_id = _first(live)
    env = {**os.environ, "EU_KEY": DEMO_API_KEY}
    done = run_closetui(("get", "--config", str(config), "--profile", "eu", opportunity_id), env)
    assert done.code == 0, done.err
    assert f"url: https://close.example.eu/app/lead/{lead_id}/" in done.out


def test_a_web_url_that_is_not_https_is_refused(live: Live, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[profiles.eu]\nbase_url = "{live.url}"\napi_key_env = "EU_KEY"\n'
        'web_url = "http://close.example.eu/"\n'
    )
    config.chmod(0o600)
    env = {**os.environ, "EU_KEY": DEMO_API_KEY}
    done = run_closetui(("get", "--config", str(config), "--profile", "eu", "oppo_1"), env)
    assert done.code == 2
    assert "web_url" in done.err
