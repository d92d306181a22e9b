"""A one-line text prompt kept by the list itself (pure, no textual): text plus a cursor."""

from __future__ import annotations

EDIT_KEYS = frozenset(
    {"backspace", "delete", "left", "right", "home", "end", "ctrl+u", "ctrl+k", "ctrl+w"}
)
"""Keys (Textual names) the prompt handles besides printable characters."""


class LineEdit:
    """The text being typed and where the cursor is (0 = before the first character)."""

    __slots__ = ("cursor", "text")
    text: str
    cursor: int

    def __init__(self, text: str = "", cursor: int = 0) -> None:
        self.text = text
        self.cursor = cursor

    @classmethod
    def at_end(cls, text: str) -> LineEdit:
        """``text`` with the cursor after it."""
        return cls(text, len(text))

    def insert(self, chars: str) -> None:
        """Type ``chars`` at the cursor (line breaks become spaces)."""
        chars = " ".join(chars.splitlines())
        self.text = self.text[: self.cursor] + chars + self.text[self.cursor :]
        self.cursor += len(chars)

    def key(self, key: str, character: str | None) -> bool:
        """Apply one key; False when it is not an editing key (the caller handles it)."""
        text, at = self.text, self.cursor
        if key == "backspace":
            self.text, self.cursor = text[: max(0, at - 1)] + text[at:], max(0, at - 1)
        elif key == "delete":
            self.text = text[:at] + text[at + 1 :]
        elif key in ("left", "right"):
            self.cursor = max(0, min(len(text), at + (1 if key == "right" else -1)))
        elif key in ("home", "end"):
            self.cursor = 0 if key == "home" else len(text)
        elif key == "ctrl+u":
            self.text, self.cursor = text[at:], 0
        elif key == "ctrl+k":
            self.text = text[:at]
        elif key == "ctrl+w":
            start = text[:at].rstrip().rfind(" ") + 1  # where the word before the cursor begins
            self.text, self.cursor = text[:start] + text[at:], start
        elif character is not None and character.isprintable():
            self.insert(character)
        else:
            return False
        return True
