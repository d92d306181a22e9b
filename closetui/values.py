"""Small immutable value classes without ``@dataclass`` (stdlib only, no closetui imports).

Making a dataclass compiles its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and,
when frozen, ``__setattr__``/``__delattr__`` from source: about a millisecond per class on
the development machine, paid at import. Some thirty of them sat between ``closetui --demo``
and its first frame. The classes on that path subclass :class:`Value` instead: they list
their fields in ``__slots__`` (annotated as usual) and set them in a plain ``__init__``
(taking every field by name) through :meth:`Value._init`; equality, hashing, ``repr``,
copying and pickling come from the slots, and assignment after ``__init__`` raises, as a
frozen dataclass's does. A value
class is final: the fields are its own ``__slots__``.

    class Point(Value):
        __slots__ = ("x", "y")
        x: int
        y: int

        def __init__(self, x: int, y: int = 0) -> None:
            self._init(x=x, y=y)
"""

from __future__ import annotations

from typing import Any, Self


class Value:
    """A frozen record: fields in ``__slots__`` (sorted, as ruff asks; ``repr`` shows them in
    that order), equal when of one class and equal fields."""

    __slots__: tuple[str, ...] = ()

    def _init(self, **fields: Any) -> None:
        """Set the fields (each slot once; only ``__init__`` may)."""
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((self.__class__, self._fields()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self.__class__.__qualname__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self.__class__.__qualname__} is immutable: cannot delete {name!r}")

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed, made by ``__init__`` as ``dataclasses.replace``
        does (so its defaults and checks apply); ``__init__`` takes every field by name."""
        unknown = changes.keys() - set(self.__slots__)
        if unknown:
            raise TypeError(f"{self.__class__.__qualname__} has no field {min(unknown)!r}")
        return self.__class__(**{name: getattr(self, name) for name in self.__slots__} | changes)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.__class__, self._fields()))


def _rebuild(cls: type[Value], values: tuple[Any, ...]) -> Value:
    item = object.__new__(cls)
    for name, value in zip(cls.__slots__, values, strict=True):
        object.__setattr__(item, name, value)
    return item
