"""The filter bar: server-side filters typed or picked, applied with enter, saved as views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from closetui.api.models import Pipeline
from closetui.config import ConfigError, View
from closetui.edits import OrgSchema, format_input
from closetui.filters import (
    FIELD_LABELS,
    FILTER_FIELDS,
    MULTI_FIELDS,
    STATUS_TYPES,
    ActiveFilter,
    FilterError,
    FilterWords,
    resolve_filter,
    resolve_pipeline,
    split_words,
)
from closetui.ui.bound_keys import first_key
from closetui.ui.widgets.inputs import OrderedInput, steady
from closetui.ui.widgets.picker_screen import PickerScreen, PickItem
from closetui.ui.widgets.pickers import status_items

ViewSaver = Callable[[str, View], str]
"""Saves a named view in the config; returns what to tell the user, raises ConfigError."""

PLACEHOLDERS = {
    "pipeline": "any pipeline (f2 picks)",
    "status": "any status: labels, Pipeline/Label, several with ,",
    "status_type": "active, won, lost",
    "owner": "anyone: name, email or id, several with ,",
    "date_won_from": "YYYY-MM-DD, today, yesterday, -1w, -1m",
    "date_won_to": "YYYY-MM-DD, today, yesterday, -1w, -1m",
    "query": "Close search text, e.g. note:renewal",
}
DEFAULT_ORDER = "-date_updated"
"""The list's own sort: a view saved with it does not store a sort."""
PICKABLE = frozenset({"pipeline", "status", "status_type", "owner"})
"""Filters whose values can be picked from the organisation (f2)."""


@dataclass(frozen=True)
class FilterChoice:
    """What the bar was closed with: the filter to apply and anything to tell the user."""

    filter: ActiveFilter
    notice: str | None = None


def _input_id(name: str) -> str:
    return f"filter-{name.replace('_', '-')}"


class FilterBarScreen(ModalScreen[FilterChoice | None]):
    """One line per filter; tab/up/down move, f2 picks from the org, enter applies.

    Nothing is applied while a word does not resolve: the message shows under its line.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("f2", "pick", "Pick a value", id="filter.pick"),
        Binding("down", "app.focus_next", "Next line", show=False, id="filter.next"),
        Binding("up", "app.focus_previous", "Previous line", show=False, id="filter.previous"),
        Binding("f8", "clear_all", "Clear all filters", id="main.clear_filters"),
        Binding("ctrl+r,f5", "save_view", "Save as view", priority=True, id="main.save_view"),
    ]

    DEFAULT_CSS = """
    FilterBarScreen { align: center middle; }
    FilterBarScreen > Vertical {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        background: $panel;
        border: round $primary;
        padding: 0 1;
    }
    FilterBarScreen #filter-title { text-style: bold; color: $text-primary; }
    FilterBarScreen .filter-line { height: 1; }
    FilterBarScreen .filter-label { width: 13; color: $text-muted; }
    FilterBarScreen Input, FilterBarScreen Input:focus {
        border: none; height: 1; padding: 0; width: 1fr; background: $boost;
    }
    FilterBarScreen Input:focus { background: $primary-muted; }
    FilterBarScreen .filter-message {
        display: none; color: $text-error; padding-left: 13; height: auto; width: 100%;
    }
    FilterBarScreen .filter-message.-shown { display: block; }
    FilterBarScreen #filter-save-line { margin-top: 1; }
    FilterBarScreen #filter-hint { color: $text-muted; margin-top: 1; width: 100%; }
    """

    def __init__(
        self,
        schema: OrgSchema,
        today: date,
        current: ActiveFilter,
        *,
        order_by: str | None = None,
        save_view: ViewSaver | None = None,
    ) -> None:
        super().__init__()
        self.schema = schema
        self.today = today
        """The day date words count from (today at the profile's offset)."""
        self.current = current
        self.order_by = order_by
        """The list's sort, kept in a saved view when it is not the default."""
        self.save_view = save_view

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        texts = self.current.words.texts()
        with Vertical():
            yield Label("Filter (server-side)", id="filter-title")
            for name in FILTER_FIELDS:
                with Horizontal(classes="filter-line"):
                    yield Label(FIELD_LABELS[name], classes="filter-label")
                    yield steady(
                        OrderedInput(
                            texts[name], placeholder=PLACEHOLDERS[name], id=_input_id(name)
                        )
                    )
                yield Label(
                    "", id=f"{_input_id(name)}-message", classes="filter-message", markup=False
                )
            with Horizontal(classes="filter-line", id="filter-save-line"):
                yield Label("Save as view", classes="filter-label")
                yield steady(
                    OrderedInput(
                        self.current.view or "",
                        placeholder="a name, then enter saves these filters as a view",
                        id="filter-view-name",
                    )
                )
            yield Label("", id="filter-view-name-message", classes="filter-message", markup=False)
            yield Label(self._hint(), id="filter-hint", markup=False)

    def _key(self, binding_id: str) -> str:
        """The first key of a binding, as the keymap left it."""
        return first_key(self.app, self.BINDINGS, binding_id)

    def _hint(self) -> str:
        return (
            f"enter applies · tab ↑↓ move · {self._key('filter.pick')} picks · "
            f"{self._key('main.save_view')} saves as view · "
            f"{self._key('main.clear_filters')} clears all · esc cancels"
        )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    # -- values ----------------------------------------------------------------------

    def _input(self, name: str) -> Input:
        return self.query_one(f"#{_input_id(name)}", Input)

    def words(self) -> FilterWords:
        """What the lines say now."""
        return FilterWords.from_texts({name: self._input(name).value for name in FILTER_FIELDS})

    def _show_problems(self, problems: dict[str, str]) -> None:
        for name in [*FILTER_FIELDS, "view_name"]:
            label = self.query_one(f"#{_input_id(name)}-message", Label)
            message = problems.get(name, "")
            label.update(message)
            label.set_class(bool(message), "-shown")
        first = next((n for n in [*FILTER_FIELDS, "view_name"] if n in problems), None)
        if first is not None:
            self.query_one(f"#{_input_id(first)}", Input).focus()

    def _resolve(self, view: str | None = None) -> ActiveFilter | None:
        words = self.words()
        try:
            active = resolve_filter(words, self.schema, today=self.today, view=view)
        except FilterError as exc:
            self._show_problems(exc.problems)
            return None
        self._show_problems({})
        if view is None and words == self.current.words and self.current.view is not None:
            # Unchanged words are still the view they came from (with its sort).
            return replace(active, view=self.current.view, order_by=self.current.order_by)
        return active

    # -- actions ---------------------------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "filter-view-name" and event.value.strip():
            self.action_save_view()
        else:
            self.action_apply()

    def action_apply(self) -> None:
        """Apply the filters as they are (nothing happens while one is wrong)."""
        active = self._resolve()
        if active is not None:
            self.dismiss(FilterChoice(active))

    def action_cancel(self) -> None:
        """Close, changing nothing."""
        self.dismiss(None)

    def action_clear_all(self) -> None:
        """Apply no filter at all."""
        self.dismiss(FilterChoice(ActiveFilter(), "Filters cleared."))

    def action_save_view(self) -> None:
        """Save the lines as a named view in the config, and apply it."""
        name = self.query_one("#filter-view-name", Input).value.strip()
        if self.save_view is None:
            self._show_problems({"view_name": "Views cannot be saved here."})
            return
        if not name:
            self._show_problems({"view_name": "Type a name for the view first."})
            return
        order_by = self.order_by if self.order_by not in (None, DEFAULT_ORDER) else None
        active = self._resolve(view=name)
        if active is None:
            return
        try:
            notice = self.save_view(name, active.words.to_view(order_by))
        except ConfigError as exc:
            self._show_problems({"view_name": str(exc)})
            return
        self.dismiss(FilterChoice(replace(active, order_by=order_by), notice))

    # -- pickers ---------------------------------------------------------------------

    def _focused_filter(self) -> str | None:
        focused = self.focused
        if isinstance(focused, Input) and focused.id:
            name = focused.id.removeprefix("filter-").replace("-", "_")
            return name if name in FILTER_FIELDS else None
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Picking works on the lines whose values come from the organisation."""
        if action == "pick":
            return self._focused_filter() in PICKABLE
        return True

    def action_pick(self) -> None:
        """Pick a value from the organisation for the focused line."""
        name = self._focused_filter()
        if name not in PICKABLE:
            return
        title = f"Filter: {FIELD_LABELS[name]}"
        self.app.push_screen(
            PickerScreen(title, self._items(name)), lambda value: self._picked(name, value)
        )

    def _items(self, name: str) -> list[PickItem]:
        schema = self.schema
        if name == "pipeline":
            return [PickItem(p.name, p.name) for p in schema.pipelines]
        if name == "status_type":
            return [PickItem(kind, kind, kind=kind) for kind in STATUS_TYPES]
        if name == "owner":
            return [PickItem(u.id, u.full_name, mark=u.email or "") for u in schema.users]
        text = self._input("pipeline").value
        chosen = resolve_pipeline(schema, text) if text.strip() else None
        pipelines = [chosen] if isinstance(chosen, Pipeline) else schema.pipelines
        return status_items(pipelines)

    def _picked(self, name: str, value: str | None) -> None:
        field = self._input(name)
        field.focus()
        if value is None:
            return
        text = self._word_for(name, value)
        if name in MULTI_FIELDS:
            have = split_words((field.value,))
            if text.casefold() not in {w.casefold() for w in have}:
                field.value = ", ".join([*have, text])
        else:
            field.value = text
        field.action_end()

    def _word_for(self, name: str, value: str) -> str:
        """How a picked id reads in the line: a name or label (qualified when needed)."""
        spec = {"owner": "user_id", "status": "status_id"}.get(name)
        if spec is None:
            return value
        found = self.schema.spec_for_key(spec)
        return format_input(self.schema, found, value) if found is not None else value
