"""Records are frozen slotted dataclasses: equal by class and fields, hashable, immutable."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from closetui.api.credentials import Credential
from closetui.api.exchange import RequestView
from closetui.api.ratelimit import RateLimitState
from closetui.config.errors import Problem
from closetui.filters import ActiveFilter, FilterWords
from closetui.theme_files import ThemeProblem
from closetui.ui.list.columns import Column


def test_equal_by_class_and_fields_and_hashable() -> None:
    assert Column("name", "Name", 10) == Column("name", "Name", width=10)
    assert Column("name", "Name", 10) != Column("name", "Name", 11)
    assert ThemeProblem("f", "k", "m") != Problem("k", "m")  # another class
    assert RateLimitState(1, 2, 3.0) != (1, 2, 3.0)
    assert len({Problem("a", "b"), Problem("a", "b"), Problem("a", "c")}) == 2


def test_repr_names_every_field_in_declared_order() -> None:
    assert repr(Problem("k", "m")) == "Problem(key='k', message='m')"


def test_request_view_leaves_the_credential_out_of_equality_and_repr() -> None:
    credential = Credential.api_key("secret-key")
    with_key = RequestView("GET", "http://127.0.0.1/", (), credential=credential)
    assert with_key == RequestView("GET", "http://127.0.0.1/", ())
    assert hash(with_key) == hash(RequestView("GET", "http://127.0.0.1/", ()))
    assert "secret" not in repr(with_key)
    assert "credential" not in repr(with_key)


def test_immutable_and_slotted() -> None:
    problem = Problem("k", "m")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.key = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del problem.message  # type: ignore[misc]
    assert problem.key == "k"
    assert not hasattr(problem, "__dict__")


def test_replace_copies_with_changes_and_defaults_apply() -> None:
    column = Column("name", "Name", 10)
    wider = dataclasses.replace(column, width=12)
    assert (wider, column) == (Column("name", "Name", 12), Column("name", "Name", 10))
    assert (wider.right, wider.sort_field, wider.drop_order) == (False, None, 0)
    with pytest.raises(TypeError):
        dataclasses.replace(column, z=1)
    assert ActiveFilter().words == FilterWords()  # a fresh default per record


def test_copies_and_pickles() -> None:
    column = Column("value", "Value", 14, right=True, sort_field="value", drop_order=1)
    assert copy.copy(column) == column
    assert copy.deepcopy(column) == column
    assert pickle.loads(pickle.dumps(column)) == column
