"""Filter-as-you-type over the loaded rows' search texts (pure, no textual).

Rows are addressed by their index in the list (the server's order); ``texts[i]`` is the
search text of row ``i``, ``""`` while that row is not loaded (it never matches). A word
matches a row when it is a substring of the row's text; every word must match.

A scan of every text is too slow for a keystroke at 100,000 rows, so each loaded row's
words are also indexed by their 1-, 2- and 3-character pieces (sorted row-index arrays).
A word of up to three characters is answered by one array; a
longer one checks only the rows that hold its rarest three-character piece (or the rows
the previous, shorter text matched, when fewer).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import add, contains

GRAM = 3
"""Longest indexed piece of a word."""

_EMPTY = array("I")


def split_words(text: str) -> tuple[str, ...]:
    """The lowercase words of a filter text (each must occur in a row's text)."""
    return tuple(text.lower().split())


def matches(search: str, words: Sequence[str]) -> bool:
    """True when every word occurs in ``search`` (already lowercase)."""
    return all(word in search for word in words)


def narrows(old: Sequence[str], new: Sequence[str]) -> bool:
    """True when every row matching ``new`` also matches ``old``: each old word is
    part of some new word (``ac`` -> ``acm``, ``acme`` -> ``acme s``)."""
    return all(any(o in n for n in new) for o in old)


def pieces(text: str) -> set[str]:
    """The 1-, 2- and 3-character pieces of the words of ``text`` (whitespace never
    belongs to a filter word, so pieces never span it)."""
    out: set[str] = set()
    for token in set(text.split()):
        out.update(token)
        pairs = list(map(add, token, token[1:]))
        out.update(pairs)
        out.update(map(add, pairs, token[2:]))
    return out


def _keep(candidates: Iterable[int], texts: list[str], word: str) -> list[int]:
    """The candidates whose text holds ``word`` (C loops only)."""
    chosen = list(candidates)
    return list(compress(chosen, map(contains, map(texts.__getitem__, chosen), repeat(word))))


class RowFilter:
    """The loaded rows' search texts, their piece index, and the rows matching the filter."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        """Search text by row index; ``""`` for rows not loaded."""
        self.loaded = 0
        """Rows loaded (non-empty texts)."""
        self.index: dict[str, array[int]] = {}
        """Piece -> ascending indexes of the rows whose words contain it (see :meth:`flush`)."""
        self._pending: list[tuple[int, Sequence[str]]] = []
        """Pages added but not indexed yet: ``(start, texts)``."""
        self.text = ""
        """The filter as typed."""
        self.words: tuple[str, ...] = ()
        self.hits: list[int] = []
        """Ascending indexes of the loaded rows that match (empty when inactive)."""

    @property
    def active(self) -> bool:
        """True when the filter has at least one word."""
        return bool(self.words)

    # -- rows ------------------------------------------------------------------------

    def clear_rows(self) -> None:
        """Forget every row (a new query); the filter text stays."""
        self.texts = []
        self.loaded = 0
        self.index = {}
        self._pending = []
        self.hits = []

    def add(self, start: int, texts: Sequence[str]) -> None:
        """Rows ``start .. start + len(texts)`` arrived (a page); they are matched at once
        and indexed by the next :meth:`flush` (the list calls it once the page is shown;
        every use of the index flushes first)."""
        self.flush()
        stop = start + len(texts)
        if len(self.texts) < stop:
            self.texts.extend(repeat("", stop - len(self.texts)))
        for offset, old in enumerate(self.texts[start:stop]):
            if old:
                self._unindex(start + offset, old)
        self.texts[start:stop] = texts
        self.loaded += sum(1 for text in texts if text)
        self._pending.append((start, texts))
        if self.active:
            first, last = bisect_left(self.hits, start), bisect_left(self.hits, stop)
            block = range(start, stop)
            for word in self.words:
                block = _keep(block, self.texts, word)  # type: ignore[assignment]
            self.hits[first:last] = block

    def flush(self) -> None:
        """Index the pages added since the last flush (later than the rows are shown:
        indexing must not hold up their paint)."""
        pending, self._pending = self._pending, []
        for start, texts in pending:
            self._index(start, texts)

    def _index(self, start: int, texts: Sequence[str]) -> None:
        new: dict[str, list[int]] = {}
        for row, text in enumerate(texts, start):
            if text:
                for piece in pieces(text):
                    new.setdefault(piece, []).append(row)
        for piece, rows in new.items():
            found = self.index.get(piece)
            if found is None:
                self.index[piece] = array("I", rows)
            else:
                at = bisect_left(found, start)
                found[at:at] = array("I", rows)

    def _unindex(self, row: int, text: str) -> None:
        self.loaded -= 1
        for piece in pieces(text):
            found = self.index.get(piece)
            if found is not None:
                at = bisect_left(found, row)
                if at < len(found) and found[at] == row:
                    del found[at]

    def replace(self, index: int, text: str) -> None:
        """Row ``index`` changed (e.g. after an update)."""
        self.add(index, [text])

    # -- matching ----------------------------------------------------------------------

    def _candidates(self, word: str) -> tuple[Sequence[int], bool]:
        """Rows that may hold ``word``, and whether they surely do."""
        self.flush()
        if len(word) <= GRAM:
            return self.index.get(word, _EMPTY), True
        grams = (word[i : i + GRAM] for i in range(len(word) - GRAM + 1))
        return min((self.index.get(g, _EMPTY) for g in grams), key=len), False

    def search(self, words: Sequence[str], within: Sequence[int] | None = None) -> list[int]:
        """Ascending indexes of the loaded rows holding every word (``within``: rows
        known to include every match, checked instead when they are fewer)."""
        if not words:
            return []
        options = [(self._candidates(word), word) for word in words]
        (rows, sure), first = min(options, key=lambda option: len(option[0][0]))
        if within is not None and len(within) < len(rows):
            rows, sure = within, False
        hits = list(rows) if sure else _keep(rows, self.texts, first)
        for word in words:
            if word != first and hits:
                hits = _keep(hits, self.texts, word)
        return hits

    def set_text(self, text: str) -> None:
        """Filter with ``text``; typing more of it only checks the rows matched so far."""
        words = split_words(text)
        previous, self.text = self.words, text
        if words == previous:
            return
        self.words = words
        within = self.hits if previous and narrows(previous, words) else None
        self.hits = self.search(words, within)

    def recompute(self) -> list[int]:
        """The hits by a plain scan of every text (what :attr:`hits` must equal)."""
        if not self.words:
            return []
        return [i for i, t in enumerate(self.texts) if t and matches(t, self.words)]
