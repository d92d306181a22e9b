"""closetui, its tests and its benches use only the public API of every dependency.

A private module, attribute or method of a library changes without notice on any release
(tomlkit 0.15.3 removed ``TOMLDocument._insert_after`` and broke ``profile add``). Three
checks keep them out:

- no import of a module whose dotted path has a part starting with ``_``,
  unless the module is our own;
- no ``obj._name`` read whose name our own code never defines (a ``def _name``, a
  ``self._name = ...``, a class attribute): such a name can only be a library's;
- at run time, no closetui class overrides or uses on ``self`` an underscored member of a
  library base class (an override of ``Widget._on_key`` depends on when and how Textual
  calls it; ``self._compositor = ...`` replaces a Screen's insides).
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import closetui
from tests.conftest import ROOT

SCANNED = ("closetui", "tests", "bench")
OURS = ("closetui", "tests", "bench")
PRIVATE_MODULE = re.compile(r"[a-z][a-z0-9]*(\.[a-z0-9_]+)*\._[a-z][a-z0-9_]*")
"""A dotted module path with a private part, as a string (what ``sys.modules`` is keyed by)."""
NAMEDTUPLE_API = {"_replace", "_fields", "_asdict", "_make", "_field_defaults"}
"""Underscored by design so as not to clash with field names; documented and public."""


def _sources() -> Iterator[Path]:
    for top in SCANNED:
        yield from sorted((ROOT / top).rglob("*.py"))


def _trees(paths: Iterator[Path] | list[Path]) -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in paths]


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _defined_names(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """Every underscored name our code defines: functions, classes, attributes set on any
    object, class-level and module-level assignments, keyword-only parameters."""
    names: set[str] = set()
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if _private(name)}


def _module_is_ours(module: str) -> bool:
    return module.split(".")[0] in OURS


def _private_imports(paths: Iterator[Path] | list[Path], root: Path) -> list[str]:
    found = []
    for path, tree in _trees(paths):
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
                modules += [f"{node.module}.{alias.name}" for alias in node.names]
            for module in modules:
                parts = module.split(".")
                if not _module_is_ours(module) and any(_private(p) for p in parts):
                    found.append(f"{path.relative_to(root)}:{node.lineno}: {module}")
    return found


def _private_reads(paths: Iterator[Path] | list[Path], root: Path) -> list[str]:
    trees = _trees(paths)
    ours = _defined_names(trees) | NAMEDTUPLE_API
    found = []
    for path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in ours:
                found.append(f"{path.relative_to(root)}:{node.lineno}: .{node.attr}")
            # A string key of sys.modules names a private module too.
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and PRIVATE_MODULE.fullmatch(node.value)
                and not _module_is_ours(node.value)
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.value!r}")
            # getattr(obj, "_name") is the same read.
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and _private(node.args[1].value)
                and node.args[1].value not in ours
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {node.args[1].value}")
    return found


def test_no_private_module_of_a_dependency_is_imported() -> None:
    found = _private_imports(_sources(), ROOT)
    assert not found, "\n".join(found)


def test_no_private_attribute_of_a_dependency_is_read() -> None:
    found = _private_reads(_sources(), ROOT)
    assert not found, "\n".join(found)


def _closetui_classes() -> Iterator[type]:
    seen: set[type] = set()
    for info in pkgutil.walk_packages(closetui.__path__, "closetui."):
        if info.name == "closetui.__main__":
            continue
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == info.name and cls not in seen:
                seen.add(cls)
                yield cls


@functools.cache
def _library_private_names(base: type) -> frozenset[str]:
    """The underscored members of a library class: its own attributes and the ones its
    methods set or read on ``self`` (``Screen.__init__`` sets ``self._compositor``)."""
    names = {name for name in vars(base) if _private(name)}
    try:
        source = textwrap.dedent(inspect.getsource(base))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and _private(node.attr)
        ):
            names.add(node.attr)
    return frozenset(names)


def _own_private_uses(cls: type) -> set[str]:
    """The underscored names a closetui class body defines or uses on ``self``."""
    try:
        source = inspect.getsource(cls)
    except OSError:  # made at run time (a pydantic generic's ``Page[Opportunity]``)
        return set()
    (body,) = ast.parse(textwrap.dedent(source)).body
    assert isinstance(body, ast.ClassDef)
    names = set()
    for node in body.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _private(node.name):
            names.add(node.name)
    for node in ast.walk(body):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("self", "cls")
            and _private(node.attr)
        ):
            names.add(node.attr)
    return names


def test_no_closetui_class_touches_a_private_member_of_its_library_bases() -> None:
    """No override of an underscored method (``_on_key``, ``_binding_chain``) and no
    ``self._x`` that is the library's (``self._compositor = ...`` on a Screen)."""
    found = []
    for cls in _closetui_classes():
        library = set()
        for base in cls.__mro__:
            if not _module_is_ours(base.__module__) and base.__module__ != "builtins":
                library |= _library_private_names(base)
        if library:
            for name in sorted(_own_private_uses(cls) & library):
                found.append(f"{cls.__module__}.{cls.__qualname__}: {name}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "check"),
    [
        # Spelled in two parts, so that a grep for private uses does not find these.
        ("from textual." + "_compositor import Compositor\n", _private_imports),
        ("import rich." + "_loop\n", _private_imports),
        ("doc._insert_after(1, 2, 3)\n", _private_reads),
        ("getattr(app, '_keymap')\n", _private_reads),
        ("sys.modules.setdefault('httpx." + "_main', None)\n", _private_reads),
    ],
)
def test_the_checks_find_what_they_are_for(
    tmp_path: Path, source: str, check: Callable[[list[Path], Path], list[str]]
) -> None:
    """Each static check finds a file that does what it forbids (and only that)."""
    bad = tmp_path / "bad.py"
    bad.write_text(source)
    good = tmp_path / "good.py"
    good.write_text("def _own():\n    pass\n\nself._own()\nrow._replace(x=1)\n")
    found = check([bad, good], tmp_path)
    assert found
    assert all(line.startswith("bad.py:1: ") for line in found)
    assert check([good], tmp_path) == []
