"""Server-side filters and named views on the main screen: the bar, the picker, the palette."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from closetui.config import ConfigError, display_path, remove_view, save_view
from closetui.filters import FilterError, resolve_view
from closetui.ui.list.opportunity_list import OpportunityList
from closetui.ui.screens.filter_bar import FilterBarScreen
from closetui.ui.screens.view_picker import DeleteView, ViewPickerScreen
from closetui.ui.widgets.picker_screen import PickItem
from closetui.ui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from closetui.config import View
    from closetui.ui.flows.host import FlowHost
    from closetui.ui.screens.filter_bar import FilterChoice, ViewSaver

Command = tuple[str, Callable[[], object], str]
"""A palette entry: text, what it runs, help."""


@dataclass(frozen=True)
class ViewBook:
    """The views offered with one connection, as the config file says now."""

    views: dict[str, View] = field(default_factory=dict)
    """By name: the global ones, then the profile's own (which win)."""
    own: frozenset[str] = frozenset()
    """Names that are the open profile's own views."""
    problem: str | None = None
    """Why the config could not be read (no views are offered then)."""


def read_views(main: FlowHost) -> ViewBook:
    """The views for ``main``'s connection, read from the config file now."""
    try:
        config = main.tui.connector.load().config
    except ConfigError as exc:
        return ViewBook(problem=str(exc).splitlines()[0])
    profile = main.connection.profile
    own = config.profiles[profile].views if profile in config.profiles else {}
    return ViewBook(config.views_for(profile), frozenset(own))


def describe_view(view: View) -> str:
    """The view's words in a line: ``status Won · type won · won from -1m · sort -date_won``."""
    parts = [
        f"pipeline {view.pipeline}" if view.pipeline else "",
        f"status {', '.join(view.status)}" if view.status else "",
        f"type {', '.join(view.status_type)}" if view.status_type else "",
        f"owner {', '.join(view.owner)}" if view.owner else "",
        f"won from {view.date_won_from}" if view.date_won_from else "",
        f"won to {view.date_won_to}" if view.date_won_to else "",
        f"query {view.query}" if view.query else "",
        f"sort {view.order_by}" if view.order_by else "",
    ]
    return " · ".join(p for p in parts if p) or "no filter"


def today(main: FlowHost) -> date:
    """Today at the connection's UTC offset, by the app's clock (date words count from it)."""
    assert main.reference is not None
    return main.reference.schema.with_now(main.tui.now()).today


def _status(main: FlowHost) -> StatusLine:
    return main.query_one(StatusLine)


def _org_ready(main: FlowHost) -> bool:
    if main.reference is None:
        _status(main).show("Loading the organisation's pipelines and users; try again.", "warning")
        return False
    return True


def view_saver(main: FlowHost) -> ViewSaver:
    """Saves views for ``main``'s connection: the profile's own, or global without a profile."""
    path = main.tui.config_file()
    profile = main.connection.profile

    def save(name: str, view: View) -> str:
        replaced = save_view(path, name, view, profile=profile)
        table = f"profiles.{profile}.views" if profile else "views"
        verb = "Replaced" if replaced else "Saved"
        return f"{verb} view {name!r} in {display_path(path)} [{table}] and applied it."

    return save


def open_filter_bar(main: FlowHost) -> None:
    """Open the filter bar on the active filter; apply what it is closed with."""
    if not _org_ready(main):
        return
    assert main.reference is not None
    bar = FilterBarScreen(
        main.reference.schema,
        today(main),
        main.active_filter,
        order_by=main.query_one(OpportunityList).order_by,
        save_view=view_saver(main),
    )

    def closed(choice: FilterChoice | None) -> None:
        if choice is not None:
            main.set_filter(choice.filter, choice.notice)

    main.app.push_screen(bar, closed)


def apply_view(main: FlowHost, name: str) -> None:
    """Apply a named view, resolved against the org today; a word that fails applies nothing."""
    if not _org_ready(main):
        return
    assert main.reference is not None
    book = read_views(main)
    view = book.views.get(name)
    if view is None:
        why = book.problem or f"no view {name!r} in {display_path(main.tui.config_file())}"
        _status(main).show(f"Cannot apply the view: {why}", "error")
        return
    try:
        active = resolve_view(name, view, main.reference.schema, today=today(main))
    except FilterError as exc:
        _status(main).show(f"View {name!r} does not fit this organisation: {exc}", "error")
        return
    main.set_filter(active, f"View {name!r} applied · f changes it · F clears it")


def view_items(book: ViewBook, profile: str | None) -> list[PickItem]:
    """One picker line per view, the profile's own first."""
    own = f"This profile ({profile})" if profile else "This connection"
    return sorted(
        (
            PickItem(
                name,
                name,
                group=own if name in book.own else "Every profile",
                mark=describe_view(view),
            )
            for name, view in book.views.items()
        ),
        key=lambda item: item.group != own,
    )


def view_deleter(main: FlowHost) -> DeleteView:
    """Deletes views for ``main``'s connection: the profile's own when it has one by that
    name, else the global one."""
    path = main.tui.config_file()
    profile = main.connection.profile

    def delete(name: str) -> tuple[str, list[PickItem]]:
        own = name in read_views(main).own
        table = remove_view(path, name, profile=profile if own else None)
        message = f"Deleted view {name!r} from {display_path(path)} [{table}]."
        if profile and not own:
            message += " Every profile had it."
        return message, view_items(read_views(main), profile)

    return delete


def pick_view(main: FlowHost) -> None:
    """List the views; the one picked is applied (the picker also deletes them)."""
    book = read_views(main)
    if not book.views:
        why = book.problem or (
            "No views yet: f opens the filter bar, where a name and ctrl+r save one."
        )
        _status(main).show(why, "error" if book.problem else "warning")
        return
    current = main.active_filter.view
    items = view_items(book, main.connection.profile)

    def picked(name: str | None) -> None:
        if name is not None:
            apply_view(main, name)

    main.app.push_screen(ViewPickerScreen(items, current, view_deleter(main)), picked)


def palette_commands(main: FlowHost, book: ViewBook) -> Iterator[Command]:
    """Palette entries: the filter bar, clearing, the view picker, and each view."""
    yield (
        "Filter (server-side)…",
        main.action_filter_bar,
        "Pipeline, status, type, owner, date_won range, query (f)",
    )
    yield "Clear filters", main.action_clear_filters, "List every opportunity again (F)"
    yield "Views…", main.action_views, "Pick a saved view (v)"
    for name, view in book.views.items():
        yield f"View: {name}", partial(apply_view, main, name), describe_view(view)
