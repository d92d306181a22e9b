"""What the live list does to the loaded pages: rows dropped and added move every later row."""

from __future__ import annotations

from closetui.ui.list.contents import ListModel
from closetui.ui.list.page_cache import PageCache
from closetui.ui.list.rows import ListRow, RowPage


def row(n: int | str) -> ListRow:
    name = f"lead {n}"
    return ListRow(
        str(n), name, "st", "Active", "active", None, None, None, None, None, None, None, name
    )


def cache_with(pages: dict[int, range], total: int, size: int = 10) -> PageCache:
    cache = PageCache(page_size=size)
    for number, numbers in pages.items():
        assert cache.store(number, RowPage([row(n) for n in numbers], total_results=total), 0)
    return cache


def ids(cache: PageCache) -> dict[int, str]:
    return {index: r.id for index, r in cache.loaded()}


def test_every_page_loaded_stays_whole() -> None:
    cache = cache_with({0: range(10), 1: range(10, 20), 2: range(20, 25)}, total=25)
    cache.restack({"3", "12"}, [row("new")])
    assert cache.total == 24
    assert [r.id for _, r in cache.loaded()] == (
        ["new"] + [str(n) for n in range(25) if n not in (3, 12)]
    )
    assert not cache.stale
    assert cache.missing_pages(0, 24) == []


def test_a_page_short_of_rows_is_fetched_again_and_shows_what_it_has() -> None:
    cache = cache_with({0: range(10)}, total=100)
    cache.restack({"4"}, [])
    assert cache.total == 99
    assert len(cache.pages[0]) == 9  # row 9's place belongs to the unloaded page's first row
    assert cache.row(9) is None
    assert cache.stale == {0}
    assert cache.missing_pages(0, 10) == [0]
    fresh = RowPage([row(n) for n in (0, 1, 2, 3, 5, 6, 7, 8, 9, 10)], total_results=99)
    assert cache.store(0, fresh, cache.generation)
    assert not cache.stale


def test_rows_added_on_top_spill_into_the_next_page() -> None:
    cache = cache_with({0: range(10), 2: range(20, 30)}, total=50)
    cache.restack(set(), [row("a"), row("b")])
    assert cache.total == 52
    assert [r.id for r in cache.pages[0]] == ["a", "b", *map(str, range(8))]
    assert [r.id for r in cache.pages[1]] == ["8", "9"]  # a start; the rest unknown
    assert 1 in cache.stale
    # page 2's first two places belong to rows of page 1 that were never loaded
    assert 2 in cache.stale
    assert 2 not in cache.pages
    assert [r.id for r in cache.pages[3]] == ["28", "29"]
    assert 3 in cache.stale


def test_a_fetch_under_way_answers_the_old_order_and_is_dropped() -> None:
    cache = cache_with({0: range(10)}, total=30)
    cache.loading.add(1)
    old = cache.generation
    cache.restack(set(), [row("x")])
    assert not cache.store(1, RowPage([row(n) for n in range(10, 20)], total_results=30), old)
    assert cache.loading == set()


def test_the_filter_follows_the_new_places() -> None:
    model = ListModel()
    model.cache.page_size = 10
    assert model.add_page(0, RowPage([row(n) for n in range(10)], total_results=10), 0)
    model.filter.set_text("lead 7")
    assert [model.cache.row(i).id for i in model.filter.hits] == ["7"]  # type: ignore[union-attr]
    model.marks.toggle("7")
    model.restack({"2"}, [row("lead 77")])
    hits = [model.cache.row(i).id for i in model.filter.hits]  # type: ignore[union-attr]
    assert hits == ["lead 77", "7"]
    assert model.filter.hits == sorted(model.filter.recompute())
    assert "7" in model.marks
