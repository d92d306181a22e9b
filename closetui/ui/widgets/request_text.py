"""The previewed request as text: method, URL, headers and the JSON body, coloured.

The preview is redrawn on every keystroke. Rendering it as a Rich ``Group`` of a
``Text`` and a ``Syntax`` means running pygments and Rich's renderer each time; the
body is JSON that we wrote ourselves (``json.dumps(indent=2)``), so a small scanner
colours it as rich's ANSI Syntax themes do, straight into Textual ``Content``.
:class:`RequestText` is still that Group for everything that reads it as Rich (tests,
exports); Textual draws the ready-made Content instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.content import Content, Span
from textual.style import Style
from textual.widget import Widget

if TYPE_CHECKING:  # rich.syntax brings pygments: loaded when a request is first shown
    from rich.syntax import Syntax, SyntaxTheme

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>"(?:[^"\\]|\\.)*")(?P<key>(?=\s*:))?
      | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<constant>true|false|null)
      | (?P<punctuation>[{}\[\],:]+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)

_KINDS = {
    "space": "Token.Text.Whitespace",
    "string": "Token.Literal.String.Double",
    "key": "Token.Name.Tag",
    "number": "Token.Literal.Number",
    "constant": "Token.Keyword.Constant",
    "punctuation": "Token.Punctuation",
    "other": "Token.Error",
}
"""The pygments token each kind of JSON text is (as pygments' JsonLexer names them)."""


def syntax_theme(dark: bool, *, no_color: bool = False) -> str | SyntaxTheme:
    """A Pygments theme made of ANSI colours, so no truecolor terminal is needed.

    With ``NO_COLOR`` set: no styles at all (the text keeps the widget's own colour).
    """
    if no_color:
        from rich.syntax import ANSISyntaxTheme

        return ANSISyntaxTheme({})
    return "ansi_dark" if dark else "ansi_light"


def json_tokens(text: str) -> Iterable[tuple[int, int, str]]:
    """``(start, end, kind)`` for each token of JSON ``text`` (kinds as in ``_KINDS``;
    ``other`` for each character that is not JSON, such as ``NaN``: an error for pygments)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "key":
            yield match.start("string"), match.end("string"), "key"
        else:
            yield match.start(), match.end(), kind


@lru_cache(maxsize=16)
def _styles(dark: bool, no_color: bool, ansi_theme: TerminalTheme | None) -> dict[str, Style]:
    """Textual styles for each token kind, looked up as Syntax looks them up."""
    if no_color:
        return {}
    from rich.syntax import ANSI_DARK, ANSI_LIGHT

    table = {str(token): style for token, style in (ANSI_DARK if dark else ANSI_LIGHT).items()}
    styles: dict[str, Style] = {}
    for kind, name in _KINDS.items():
        while name not in table:  # a token without a style takes its parent's, as in Syntax
            name = name.rpartition(".")[0]
        rich_style = table[name]
        if rich_style:
            styles[kind] = Style.from_rich_style(rich_style, ansi_theme)
    return styles


def json_content(
    text: str, *, dark: bool, no_color: bool = False, ansi_theme: TerminalTheme | None = None
) -> Content:
    """JSON ``text`` as Content with the colours of rich's ``ansi_dark``/``ansi_light``."""
    styles = _styles(dark, no_color, ansi_theme)
    spans = [
        Span(start, end, styles[kind]) for start, end, kind in json_tokens(text) if kind in styles
    ]
    return Content(text, spans)


@lru_cache(maxsize=1024)
def json_line(
    line: str, dark: bool, no_color: bool = False, ansi_theme: TerminalTheme | None = None
) -> Content:
    """One line of ``json.dumps(indent=2)`` output, coloured as :func:`json_content` colours
    it in the whole text (no JSON token spans lines: strings hold their newlines escaped).

    Kept: a keystroke changes one line of the body, the others are coloured already."""
    return json_content(line, dark=dark, no_color=no_color, ansi_theme=ansi_theme)


class RequestText(Group):
    """The request as Rich sees it (a head ``Text`` and a JSON ``Syntax``), carrying the
    same text as ready-made Textual :class:`Content`, which is what Textual draws.

    The Rich parts are made when first asked for (tests, exports): the preview, redrawn
    on every keystroke, only draws :attr:`content`.
    """

    def __init__(
        self, head: Callable[[], Text], syntax: Callable[[], Syntax], lines: list[Content]
    ) -> None:
        super().__init__()
        self._parts = (head, syntax)
        self._made: list[RenderableType] | None = None
        self.lines = lines
        """The text, line by line (what the preview compares with the lines on screen)."""
        self._content: Content | None = None

    @property
    def content(self) -> Content:
        """The whole text as one Content."""
        if self._content is None:
            self._content = Content("\n").join(self.lines)
        return self._content

    @property
    def renderables(self) -> list[RenderableType]:
        if self._made is None:
            self._made = [make() for make in self._parts]
        return self._made

    def visualize(self) -> Content:
        """What Textual draws (Static calls this instead of rendering the Group)."""
        return self.content


def request_text(
    widget: Widget, head: Iterable[tuple[str, str]], body: str, **syntax_options: Any
) -> RequestText:
    """The request for ``widget``: ``head`` is (text, style) pieces (the request line and
    headers, each line ending in a newline), then a blank line and the ``body`` JSON."""
    app = widget.app
    theme = app.current_theme
    dark = theme.dark if theme else True
    pieces = list(head)

    def rich_head() -> Text:
        text = Text()
        for piece, style in pieces:
            text.append(piece, style)
        return text

    colours = (dark, app.no_color, app.ansi_theme)
    lines = [*_head_lines(tuple(pieces)), *(json_line(line, *colours) for line in body.split("\n"))]
    return RequestText(rich_head, lambda: json_syntax(widget, body, **syntax_options), lines)


@lru_cache(maxsize=8)
def _head_lines(pieces: tuple[tuple[str, str], ...]) -> list[Content]:
    """The request line and headers, line by line, then the blank line before the body
    (the same for every keystroke on one opportunity)."""
    head = Content.assemble(*[(text, style) if style else text for text, style in pieces])
    return head.split("\n", allow_blank=True)


def json_syntax(widget: Widget, text: str, **options: Any) -> Syntax:
    """JSON highlighted with ANSI colours, on ``widget``'s own background."""
    from rich.syntax import Syntax

    app = widget.app
    theme = app.current_theme
    background = widget.background_colors[1]
    return Syntax(
        text,
        "json",
        theme=syntax_theme(theme.dark if theme else True, no_color=app.no_color),
        background_color=background.rich_color.name if background.a else None,
        **options,
    )
