"""The list's pure filter: words, case, custom values, and the index agreeing with a scan."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from closetui.ui.list.filter import RowFilter, matches, narrows, split_words
from closetui.ui.list.rows import search_text

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)


def loaded(*texts: str, start: int = 0) -> RowFilter:
    rows = RowFilter()
    rows.add(start, list(texts))
    return rows


def test_every_word_must_occur_in_any_case() -> None:
    rows = loaded(
        search_text("Acme Corp", "Qualified", "Emery Okafor", []),
        search_text("Acme Labs", "Won", "Devon Patel", []),
        search_text("Initech", "Qualified", "Emery Okafor", []),
    )
    rows.set_text("ACME")
    assert rows.hits == [0, 1]
    rows.set_text("acme  qual")
    assert rows.hits == [0]
    rows.set_text("okafor")
    assert rows.hits == [0, 2]
    rows.set_text("   ")
    assert not rows.active
    assert rows.hits == []


def test_custom_values_are_searchable_but_object_ids_are_not() -> None:
    text = search_text(
        "Acme",
        "Qualified",
        None,
        ["EMEA", ["SMS", "Voice"], 428, "2025-01-09T09:00:44.460000+00:00", "user_" + "A1" * 12],
    )
    rows = loaded(text)
    for word in ("emea", "voice", "sms", "428", "2025-01-09"):
        rows.set_text(word)
        assert rows.hits == [0], word
    for word in ("user_", "09:00", "a1a1"):
        rows.set_text(word)
        assert rows.hits == [], word


def test_a_long_custom_text_is_cut_not_dropped() -> None:
    text = search_text("Acme", "Won", None, ["word " * 100 + "tail"])
    rows = loaded(text)
    rows.set_text("word")
    assert rows.hits == [0]
    rows.set_text("tail")
    assert rows.hits == []  # past CUSTOM_TEXT_LIMIT: honest about the memory bound


def test_rows_not_loaded_never_match_and_pages_arrive_in_any_order() -> None:
    rows = RowFilter()
    rows.set_text("acme")
    rows.add(200, ["acme two", "other"])
    rows.add(0, ["acme zero"])
    assert rows.hits == [0, 200]
    assert rows.loaded == 3
    rows.add(100, ["acme one", "acme one b"])
    assert rows.hits == [0, 100, 101, 200]
    assert rows.hits == rows.recompute()


def test_a_changed_row_is_matched_again() -> None:
    rows = loaded("acme", "initech", "acme again")
    rows.set_text("acme")
    rows.replace(1, "now acme too")
    rows.replace(0, "hooli")
    assert rows.hits == [1, 2]
    assert rows.loaded == 3
    rows.set_text("hooli")
    assert rows.hits == [0]


def test_a_page_is_indexed_by_the_flush_after_it_not_on_the_way_to_the_screen() -> None:
    rows = loaded("acme corp", "initech")
    assert rows.index == {}  # matched at once when filtering, indexed later
    rows.flush()
    assert list(rows.index["acm"]) == [0]
    rows.add(2, ["acme again"])
    rows.set_text("acme")  # a search indexes what is still waiting
    assert list(rows.index["acm"]) == [0, 2]
    assert rows.hits == [0, 2]


def test_narrows() -> None:
    assert narrows(("ac",), ("acm",))
    assert narrows(("acme",), ("acme", "s"))
    assert narrows((), ("x",))
    assert not narrows(("acm",), ("ac",))
    assert not narrows(("acme", "x"), ("acme",))


WORDS = st.text(alphabet="abcé A", min_size=0, max_size=12)
TEXTS = st.lists(st.text(alphabet="abcéd \n", max_size=20).map(str.lower), min_size=1, max_size=60)


@PROPERTY_SETTINGS
@given(texts=TEXTS, typed=st.lists(WORDS, min_size=1, max_size=8), seed=st.integers(0, 99))
def test_incremental_filtering_equals_a_full_scan(
    texts: list[str], typed: list[str], seed: int
) -> None:
    """Pages arriving in any order, texts typed, extended and cut, rows changed: the hits
    always equal a plain scan of every loaded text."""
    rng = random.Random(seed)
    rows = RowFilter()
    pages = [(start, texts[start : start + 7]) for start in range(0, len(texts), 7)]
    rng.shuffle(pages)
    for step, text in enumerate(typed):
        if pages:
            rows.add(*pages.pop())
            if rng.random() < 0.5:
                rows.flush()  # the list flushes once a page is shown; or the next use does
        for piece in (text[: len(text) // 2], text, text + "a", text):  # type, extend, cut
            rows.set_text(piece)
            assert rows.hits == rows.recompute(), (piece, rows.texts)
        if rows.texts and step % 2:
            index = rng.randrange(len(rows.texts))
            rows.replace(index, rng.choice(texts))
            assert rows.hits == rows.recompute()
    words = split_words(typed[-1])
    expected = [i for i, t in enumerate(rows.texts) if t and words and matches(t, words)]
    rows.set_text(typed[-1])
    assert rows.hits == expected


@PROPERTY_SETTINGS
@given(old=st.lists(WORDS, max_size=3), new=st.lists(WORDS, max_size=3), text=WORDS)
def test_narrowing_only_when_matches_can_only_shrink(
    old: list[str], new: list[str], text: str
) -> None:
    old_words, new_words = split_words(" ".join(old)), split_words(" ".join(new))
    if narrows(old_words, new_words) and matches(text.lower(), new_words):
        assert matches(text.lower(), old_words)
