"""First run: add a profile right here (saved in config.toml), or open the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import SecretStr
from pydantic import ValidationError as PydanticError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from closetui.api.client import DEFAULT_BASE_URL
from closetui.config import (
    ConfigError,
    Profile,
    add_profile,
    check_base_url,
    check_profile_name,
    display_path,
    load_config,
    parse_tz_offset,
)
from closetui.config.load import describe_errors
from closetui.ui.widgets.header import AppHeader
from closetui.ui.widgets.inputs import OrderedInput, steady
from closetui.ui.widgets.key_bar import KeyBar

# Key source: (radio label, label of the value field, placeholder, starting value).
SOURCES = {
    "env": ("environment variable", "Variable", "e.g. CLOSE_API_KEY", "CLOSE_API_KEY"),
    "command": ("command", "Command", "e.g. pass show close/work (run without a shell)", ""),
    "literal": ("the key itself", "API key", "paste it: never shown, saved in the file", ""),
}


class SetupScreen(Screen[None]):
    """Add a profile (name, base URL, key source, UTC offset, read-only) and connect.

    Saving writes the profile with the config package's helpers (comments kept, file
    0600) and posts :class:`ProfileAdded`; the app connects. f6 posts :class:`DemoChosen`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r,f5", "save", "Save and connect", priority=True, id="setup.save"),
        Binding("f6", "demo", "Open the demo", priority=True, id="setup.demo"),
    ]

    DEFAULT_CSS = """
    SetupScreen #setup-form { padding: 0 2; background: $surface; }
    SetupScreen #setup-intro { margin: 1 0; color: $text; }
    SetupScreen .setup-row { height: auto; margin-bottom: 1; }
    SetupScreen .setup-label { width: 14; color: $text-muted; }
    SetupScreen Input { width: 1fr; background: $boost; }
    SetupScreen Input:focus { background: $primary-muted; }
    SetupScreen RadioSet { layout: horizontal; width: 1fr; height: 1; border: none; padding: 0; }
    SetupScreen RadioSet > RadioButton { width: auto; margin-right: 2; }
    SetupScreen #setup-read-only { margin: 0 0 1 14; }
    SetupScreen #setup-tz { width: 12; }
    SetupScreen #setup-tz-hint { color: $text-muted; padding-left: 1; }
    SetupScreen #setup-buttons { height: auto; margin: 0 0 1 14; }
    SetupScreen #setup-buttons Button { margin-right: 2; }
    SetupScreen #setup-message { color: $text-muted; }
    SetupScreen #setup-message.-error { color: $text-error; text-style: bold; }
    """

    @dataclass
    class ProfileAdded(Message):
        """A profile was saved: connect to it."""

        name: str

    class DemoChosen(Message):
        """The user asked for the built-in demo."""

    def __init__(self, config: Path) -> None:
        super().__init__(id="setup")
        self.config = config
        """The config file the profile is written to."""
        self.source = "env"
        """The chosen key source: ``env``, ``command`` or ``literal``."""

    def compose(self) -> ComposeResult:
        yield AppHeader("set up", demo=False, read_only=False)
        with VerticalScroll(id="setup-form"):
            yield Static(self._intro(), id="setup-intro", markup=False)
            yield from self._row(
                "Profile name",
                steady(OrderedInput(placeholder="e.g. work", id="setup-name", compact=True)),
            )
            yield from self._row(
                "Base URL",
                steady(OrderedInput(DEFAULT_BASE_URL, id="setup-base-url", compact=True)),
            )
            with Horizontal(classes="setup-row"):
                yield Label("Key from", classes="setup-label")
                with RadioSet(id="setup-source", compact=True):
                    for key, (label, *_) in SOURCES.items():
                        yield RadioButton(
                            label, value=key == "env", id=f"source-{key}", compact=True
                        )
            _, label, hint, value = SOURCES["env"]
            yield from self._row(
                label,
                steady(OrderedInput(value, placeholder=hint, id="setup-secret", compact=True)),
                label_id="setup-secret-label",
            )
            with Horizontal(classes="setup-row"):
                yield Label("UTC offset", classes="setup-label")
                yield steady(OrderedInput(placeholder="hours", id="setup-tz", compact=True))
                yield Label("e.g. -5 or 5.5; blank: this machine's zone", id="setup-tz-hint")
            yield Checkbox("Read-only: never send changes", id="setup-read-only", compact=True)
            with Horizontal(id="setup-buttons"):
                yield Button(
                    "Save and connect (f5)", id="setup-save", variant="primary", compact=True
                )
                yield Button("Open the demo (f6)", id="setup-demo", compact=True)
            yield Label("", id="setup-message", markup=False)
        yield KeyBar()

    def _row(self, title: str, control: Input, *, label_id: str | None = None) -> ComposeResult:
        with Horizontal(classes="setup-row"):
            yield Label(title, classes="setup-label", id=label_id)
            yield control

    def _intro(self) -> str:
        existing = ""
        try:
            names = list(load_config(self.config).config.profiles)
        except ConfigError:
            names = []
        if names:
            existing = f" Profiles there: {', '.join(names)} (f9 picks one)."
        return (
            f"No default profile yet. Add one to connect to your Close organisation; it is "
            f"saved in {display_path(self.config)}.{existing} Or open the demo: a built-in "
            "sandbox, no account needed."
        )

    def on_mount(self) -> None:
        self.query_one("#setup-name", Input).focus()

    @on(RadioSet.Changed, "#setup-source")
    def _source_changed(self, event: RadioSet.Changed) -> None:
        key = (event.pressed.id or "source-env").removeprefix("source-")
        self.source = key
        _, label, hint, value = SOURCES[key]
        self.query_one("#setup-secret-label", Label).update(label)
        secret = self.query_one("#setup-secret", Input)
        secret.password = key == "literal"
        secret.placeholder = hint
        secret.value = value  # never carry a typed key over to another source

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#setup-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#setup-demo")
    def _demo_pressed(self) -> None:
        self.action_demo()

    def action_demo(self) -> None:
        """Open the built-in demo instead."""
        self.post_message(self.DemoChosen())

    def action_save(self) -> None:
        """Check the form, save the profile and ask the app to connect to it."""
        name = self.query_one("#setup-name", Input).value.strip()
        problem = self._check(name)
        if problem is None:
            problem = self._save(name)
        if problem is not None:
            self.show_problem(problem)
            return
        self.query_one("#setup-secret", Input).value = ""  # the key now lives in the file only
        self._say(f"Saved profile {name} in {display_path(self.config)}. Connecting…")
        self.post_message(self.ProfileAdded(name))

    def _check(self, name: str) -> str | None:
        """What is wrong with the name, URL and offset, or None."""
        checks = (
            ("Profile name", check_profile_name, name),
            ("Base URL", check_base_url, self.query_one("#setup-base-url", Input).value),
        )
        for title, check, value in checks:
            try:
                check(value)
            except ValueError as exc:
                return f"{title}: {exc}"
        if not self.query_one("#setup-secret", Input).value.strip():
            return f"{SOURCES[self.source][1]}: {SOURCES[self.source][2]}"
        tz = self.query_one("#setup-tz", Input).value.strip()
        if tz:
            try:
                parse_tz_offset(tz)
            except ValueError as exc:
                return f"UTC offset: {exc}"
        return None

    def _save(self, name: str) -> str | None:
        """Write the profile; None when saved, else why not."""
        failure = ""
        try:
            if name in load_config(self.config).config.profiles:
                return f"Profile name: {name!r} exists already; pick another name (f9 opens it)"
            add_profile(self.config, name, self._profile())
        except PydanticError as exc:
            problems = describe_errors(exc)
            failure = "; ".join(f"{SOURCES[self.source][1]}: {p.message}" for p in problems)
        except ConfigError as exc:
            failure = str(exc).splitlines()[0]
        return failure or None

    def _profile(self) -> Profile:
        """The profile the form describes; the key goes straight into a SecretStr."""
        secret = self.query_one("#setup-secret", Input)
        tz = self.query_one("#setup-tz", Input).value.strip()
        source: dict[str, object]
        if self.source == "env":
            source = {"api_key_env": secret.value.strip()}
        elif self.source == "command":
            source = {"api_key_command": secret.value.strip()}
        else:
            source = {"api_key": SecretStr(secret.value.strip())}
        return Profile.model_validate(
            {
                "base_url": self.query_one("#setup-base-url", Input).value.strip(),
                "tz_offset": parse_tz_offset(tz) if tz else None,
                "read_only": self.query_one("#setup-read-only", Checkbox).value,
                **source,
            }
        )

    def show_problem(self, message: str) -> None:
        """Show why the profile cannot be saved or used."""
        self._say(message, error=True)

    def _say(self, message: str, *, error: bool = False) -> None:
        label = self.query_one("#setup-message", Label)
        label.update(message)
        label.set_class(error, "-error")
