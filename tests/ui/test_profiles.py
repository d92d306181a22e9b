"""Profiles in the app: read-only hides writes, switching keeps drafts per profile, setup."""

from __future__ import annotations

import stat
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from closetui.config import config_path, load_config
from closetui.ui.app import CloseTUI, make_app
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.screens.help import HelpScreen
from closetui.ui.screens.setup import SetupScreen
from closetui.ui.widgets.header import AppHeader
from closetui.ui.widgets.key_bar import KeyBar
from closetui.ui.widgets.picker_screen import PickerScreen
from tests.ui.helpers import (
    Opportunity,
    SandboxConnector,
    app_for,
    clock,
    demo,
    listing,
    main,
    notifications,
    open_row,
    palette_commands,
    replace_text,
    row_diff,
    running,
    sandbox_app,
    settle,
    type_text,
    write_config,
)

ALPHA_URL = "http://127.0.0.1:8001/api/v1/"
BETA_URL = "http://127.0.0.1:8002/api/v1/"
TWO_PROFILES = f"""\
default_profile = "alpha"

[profiles.alpha]
base_url = "{ALPHA_URL}"
api_key = "sandbox_demo_key"

[profiles.beta]
base_url = "{BETA_URL}"
api_key_env = "BETA_KEY"
read_only = true
"""


def footer_text(app: CloseTUI) -> str:
    """What the footer shows (key and description of each entry)."""
    footer = app.screen.query_one(KeyBar)
    return " ".join(f"{key} {description}" for key, description in footer.shown())


async def test_read_only_hides_every_write_action() -> None:
    connection = demo(60).replace(read_only=True)
    app = app_for(connection)
    async with running(app) as pilot:
        header = app.main.query_one(AppHeader)
        assert header.query_one("#connection-name").render().plain == "demo"  # type: ignore[attr-defined]
        assert header.query("#badge-read-only")
        await open_row(pilot, 0)
        await replace_text(pilot, "confidence", "3")
        # The editor still builds the draft and previews it...
        assert row_diff(app, "confidence").endswith("→ 3%")
        assert main(app).edit_state is not None
        assert main(app).edit_state.sendable
        # ...but nothing offers to send it: not the keys, the footer, the palette or help.
        bindings = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "main.send" not in bindings
        assert "main.preview" in bindings
        assert "Send" not in footer_text(app)
        assert "Preview" in footer_text(app)
        assert "Send update" not in await palette_commands(pilot, "send")
        await pilot.press("ctrl+r", "f5")
        await settle(pilot)
        assert not [r for r in connection.sandbox.requests if r.method == "PUT"]
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "main.send" not in {ident for *_, ident in app.screen.entries()}
        await pilot.press("escape")


@pytest.mark.demo(60)
async def test_a_writable_connection_offers_send_everywhere(
    app: CloseTUI, pilot: Pilot[Any], opened: Opportunity
) -> None:
    await replace_text(pilot, "confidence", "3")
    assert "Send" in footer_text(app)
    assert "Send update" in await palette_commands(pilot, "send")
    await pilot.press("f1")
    await settle(pilot)
    assert "main.send" in {ident for *_, ident in app.screen.entries()}  # type: ignore[attr-defined]


def two_sandboxes(monkeypatch: Any) -> SandboxConnector:
    """alpha (120 opportunities, seed 1) and beta (read-only; 45 opportunities, seed 2)."""
    monkeypatch.setenv("BETA_KEY", "sandbox_demo_key")
    write_config(config_path(), TWO_PROFILES)
    return SandboxConnector(
        sandboxes={
            ALPHA_URL: sandbox_app(120, seed=1),
            BETA_URL: sandbox_app(45, seed=2),
        }
    )


async def switch_to(pilot: Pilot[Any], text: str) -> None:
    """f9, type to filter the profile list, enter; wait for the new connection."""
    await pilot.press("f9")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PickerScreen)
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_switching_profiles_reconnects_and_keeps_drafts_per_profile(
    monkeypatch: Any,
) -> None:
    connector = two_sandboxes(monkeypatch)
    alpha, beta = (connector.sandboxes[url].state.sandbox for url in (ALPHA_URL, BETA_URL))
    app = make_app(connector.profile("alpha"), now=clock, connector=connector)
    async with running(app) as pilot:
        first_client = app.client
        assert listing(app).total == 120
        await open_row(pilot, 2)
        alpha_opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "7")
        assert set(main(app).drafts) == {alpha_opp.id}

        await switch_to(pilot, "beta")
        assert app.connection is not None
        assert app.connection.name == "beta"
        assert first_client._http.is_closed  # the old client is closed...
        assert not app.client._http.is_closed  # ...and a new one is open
        header = app.main.query_one(AppHeader)
        assert header.query_one("#connection-name").render().plain == "beta"  # type: ignore[attr-defined]
        assert header.query("#badge-read-only")
        assert listing(app).total == 45  # the list and reference data come from beta
        assert main(app).reference is not None
        assert any(r.path.endswith("/me/") for r in beta.requests)  # reference data too
        assert main(app).drafts == {}
        assert main(app).edit_state is None
        await open_row(pilot, 0)
        beta_opp = main(app).edit_state.opportunity  # type: ignore[union-attr]
        await replace_text(pilot, "confidence", "11")
        assert set(main(app).drafts) == {beta_opp.id}

        await pilot.press("f9")
        await settle(pilot)
        labels = [item.label + " " + item.mark for item in app.screen.items]  # type: ignore[attr-defined]
        assert any(text.startswith("alpha") and "1 draft" in text for text in labels)
        assert any(
            text.startswith("beta") and "read-only" in text and "current" in text for text in labels
        )
        await type_text(pilot, "alpha")
        await pilot.press("enter")
        await settle(pilot)

        assert app.connection.name == "alpha"
        assert listing(app).total == 120
        assert set(main(app).drafts) == {alpha_opp.id}  # the drafts left here are back
        assert alpha_opp.id in listing(app).drafted
        index = next(i for i, o in listing(app).cache.loaded() if o.id == alpha_opp.id)
        await open_row(pilot, index)
        assert row_diff(app, "confidence").endswith("→ 7%")
        assert any("Connected to alpha · 1 unsent draft" in n for n in notifications(app))

        await switch_to(pilot, "beta")
        assert set(main(app).drafts) == {beta_opp.id}
    assert not [r for r in alpha.requests + beta.requests if r.method == "PUT"]
    assert connector.opened == ["alpha", "beta", "alpha", "beta"]


async def test_switching_from_the_palette_and_to_the_demo(monkeypatch: Any) -> None:
    connector = two_sandboxes(monkeypatch)
    app = make_app(connector.profile("alpha"), now=clock, connector=connector)
    async with running(app) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "switch profile")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PickerScreen)
        await type_text(pilot, "demo")
        await pilot.press("enter")
        await settle(pilot)
        assert app.connection is not None
        assert app.connection.demo
        assert app.main.query("#badge-demo")
        assert listing(app).total == 60


async def test_a_profile_that_cannot_connect_leaves_the_current_one(monkeypatch: Any) -> None:
    connector = two_sandboxes(monkeypatch)
    monkeypatch.delenv("BETA_KEY")
    app = make_app(connector.profile("alpha"), now=clock, connector=connector)
    async with running(app) as pilot:
        screen = app.main
        await switch_to(pilot, "beta")
        assert app.connection is not None
        assert app.connection.name == "alpha"
        assert app.main is screen
        assert any("BETA_KEY is not set" in n for n in notifications(app))


async def fill_setup(pilot: Pilot[Any], **values: str) -> None:
    """Type into the setup form's inputs (by id suffix), replacing what is there."""
    for key, text in values.items():
        control = pilot.app.screen.query_one(f"#setup-{key}", Input)
        control.focus()
        control.value = ""
        await type_text(pilot, text)
    await pilot.pause()


async def test_setup_adds_a_profile_to_the_config_and_connects() -> None:
    path = config_path()
    assert not path.exists()
    url = "http://127.0.0.1:8003/api/v1/"
    connector = SandboxConnector(sandboxes={url: sandbox_app(25, seed=3)})
    app = make_app(None, now=clock, connector=connector)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        assert app.main_screen is None
        await fill_setup(pilot, name="work", **{"base-url": url})
        app.screen.query_one("#source-literal").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        secret = app.screen.query_one("#setup-secret", Input)
        assert secret.password
        assert secret.value == ""
        await fill_setup(pilot, secret="sandbox_demo_key", tz="5.5")
        app.screen.query_one("#setup-read-only").value = True  # type: ignore[attr-defined]
        await pilot.press("f5")
        await settle(pilot)
        assert app.connection is not None
        assert app.connection.name == "work"
        assert app.connection.read_only
        assert listing(app).total == 25
        assert isinstance(app.screen.query_one("#list"), OpportunityList)
    loaded = load_config(path)
    assert loaded.config.default_profile == "work"
    profile = loaded.config.profiles["work"]
    assert (profile.base_url, profile.tz_offset, profile.read_only) == (url, 5.5, True)
    assert profile.api_key is not None
    assert profile.api_key.get_secret_value() == "sandbox_demo_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert connector.opened == ["work"]


async def test_setup_checks_the_form_and_offers_the_demo() -> None:
    connector = SandboxConnector()
    app = make_app(None, now=clock, connector=connector)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        message = app.screen.query_one("#setup-message")
        await fill_setup(pilot, name="no spaces")
        await pilot.press("enter")
        await settle(pilot)
        assert "Profile name: expected a profile name" in str(message.render())
        await fill_setup(pilot, name="ok", **{"base-url": "http://example.com/api/v1/"})
        await pilot.press("enter")
        assert "Base URL: expected https://" in str(message.render())
        await fill_setup(pilot, **{"base-url": "https://api.close.com/api/v1/", "secret": "1X"})
        await pilot.press("enter")
        assert "Variable: not a variable name" in str(message.render())
        await fill_setup(pilot, secret="CLOSE_API_KEY", tz="5.3")
        await pilot.press("enter")
        assert "UTC offset: expected hours from -12 to +14" in str(message.render())
        assert not config_path().exists()
        await pilot.press("f6")
        await settle(pilot)
        assert app.connection is not None
        assert app.connection.demo
        assert listing(app).total == 60
    assert not config_path().exists()  # the demo writes nothing


async def test_setup_lists_existing_profiles_and_a_saved_profile_that_fails_is_explained(
    monkeypatch: Any,
) -> None:
    write_config(config_path(), TWO_PROFILES.replace('default_profile = "alpha"\n', ""))
    connector = SandboxConnector()
    app = make_app(None, now=clock, connector=connector)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Profiles there: alpha, beta (f9 picks one)" in str(
            app.screen.query_one("#setup-intro").render()
        )
        await fill_setup(pilot, name="alpha")
        await pilot.press("f5")
        await settle(pilot)
        message = str(app.screen.query_one("#setup-message").render())
        assert "'alpha' exists already" in message
        await fill_setup(pilot, name="gamma", secret="GAMMA_KEY")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)  # saved, but its key is not there
        message = str(app.screen.query_one("#setup-message").render())
        assert "GAMMA_KEY is not set" in message
    assert load_config(config_path()).config.profiles["gamma"].api_key_env == "GAMMA_KEY"
