"""SteadyStyles keeps a widget's repaint styles only while no style above it changes."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input

from closetui.ui.widgets.steady_styles import SteadyStyles


class Probe(SteadyStyles, Input):
    pass


class Nest(App[None]):
    CSS = """
    #inner.-tinted { background: $primary 40%; color: $text-accent; }
    #outer.-faded { opacity: 60%; }
    Probe.-loud > .input--cursor { background: red; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="outer"), Vertical(id="inner"):
            yield Input(id="other")
            yield Probe("some text", id="probe")


def textual(owner: type, name: str, widget: Widget) -> Any:
    prop: property = owner.__dict__[name]
    return prop.__get__(widget, type(widget))


def fresh(probe: Probe) -> dict[str, Any]:
    """What Textual computes now, with nothing kept."""
    probe._rich_style_cache.clear()
    return {
        "rich_style": textual(DOMNode, "rich_style", probe),
        "background_colors": textual(DOMNode, "background_colors", probe),
        "opacity": textual(Widget, "opacity", probe),
        "link_style": textual(Widget, "link_style", probe),
        "cursor": Input.get_component_rich_style(probe, "input--cursor"),
        "missing": Input.get_component_rich_style(probe, "no-such", default=Style(bold=True)),
    }


def kept(probe: Probe) -> dict[str, Any]:
    return {
        "rich_style": probe.rich_style,
        "background_colors": probe.background_colors,
        "opacity": probe.opacity,
        "link_style": probe.link_style,
        "cursor": probe.get_component_rich_style("input--cursor"),
        "missing": probe.get_component_rich_style("no-such", default=Style(bold=True)),
    }


async def test_kept_styles_follow_every_style_change_above_the_widget() -> None:
    app = Nest()
    async with app.run_test() as pilot:
        probe = app.query_one(Probe)
        outer, inner = app.query_one("#outer"), app.query_one("#inner")

        async def check(step: str) -> None:
            await pilot.pause()
            probe.render_lines(Region(0, 0, probe.size.width, 1))  # a paint checks them
            probe._painting = True  # read as a paint reads them: no check of its own
            try:
                painted = kept(probe)
            finally:
                probe._painting = False
            assert painted == fresh(probe), f"{step}: painted with stale styles"
            seen = kept(probe)
            assert seen == fresh(probe), step
            assert probe.rich_style is seen["rich_style"], f"{step}: not kept"

        await check("mounted")
        probe.refresh()  # a repaint alone keeps them
        await check("repainted")
        outer.styles.background = "darkred"  # an inline style two levels up
        await check("ancestor inline background")
        inner.add_class("-tinted")  # a CSS rule on the parent
        await check("parent class")
        outer.add_class("-faded")
        await check("ancestor opacity")
        probe.focus()  # a pseudo-class on the widget itself
        await check("focus")
        probe.add_class("-loud")  # a component style only
        await check("component class")
        app.query_one("#other").focus()
        await check("blur")
        app.theme = "textual-light"
        await check("theme")
        app.screen.styles.color = "green"
        await check("screen inline colour")
