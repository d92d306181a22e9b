"""closetui.values.Value: what a frozen dataclass gave the classes that use it."""

from __future__ import annotations

import copy
import pickle

import pytest

from closetui.values import Value


class Point(Value):
    __slots__ = ("tags", "x", "y")
    x: int
    y: int
    tags: tuple[str, ...]

    def __init__(self, x: int, y: int = 0, tags: tuple[str, ...] = ()) -> None:
        self._init(x=x, y=y, tags=tags)


class Other(Value):
    __slots__ = ("tags", "x", "y")
    x: int
    y: int
    tags: tuple[str, ...]

    def __init__(self, x: int, y: int = 0, tags: tuple[str, ...] | None = None) -> None:
        self._init(x=x, y=y, tags=() if tags is None else tags)


def test_equal_by_class_and_fields_and_hashable() -> None:
    assert Point(1, 2) == Point(1, y=2)
    assert Point(1, 2) != Point(2, 1)
    assert Point(1) != Other(1)  # same fields, another class
    assert Point(1) != (1, 0, ())
    assert len({Point(1), Point(1), Point(2)}) == 2


def test_repr_names_every_field() -> None:
    assert repr(Point(1, tags=("a",))) == "Point(tags=('a',), x=1, y=0)"


def test_immutable_after_init() -> None:
    point = Point(1)
    with pytest.raises(AttributeError, match="immutable"):
        point.x = 5
    with pytest.raises(AttributeError, match="immutable"):
        del point.y
    assert point.x == 1


def test_replace_copies_with_changes() -> None:
    point = Point(1, 2)
    moved = point.replace(y=3)
    assert (moved, point) == (Point(1, 3), Point(1, 2))
    with pytest.raises(TypeError, match="no field 'z'"):
        point.replace(z=1)


def test_replace_goes_through_init_like_dataclasses_replace() -> None:
    assert Other(1, tags=("a",)).replace(tags=None) == Other(1)


def test_copies_and_pickles() -> None:
    point = Point(1, 2, ("a",))
    assert copy.copy(point) == point
    assert copy.deepcopy(point) == point
    assert pickle.loads(pickle.dumps(point)) == point
