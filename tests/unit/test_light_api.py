"""The parts of the client the list's first rows need, without pydantic: the secret
type and the page of dicts."""

from __future__ import annotations

import copy
import traceback

import pytest

from closetui.api.credentials import Credential, Secret
from closetui.api.pages import DictPage

KEY = "api_live_9f8e7d6c5b4a"


def test_a_secret_never_shows_itself() -> None:
    secret = Secret(KEY)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret!r}", repr([secret])]
    shown.append(repr(Credential.api_key(KEY)))
    shown.append(repr(copy.deepcopy(Credential.oauth(KEY))))
    assert all(KEY not in text for text in shown), shown
    assert str(secret) == "**********"
    assert secret.get_secret_value() == KEY
    assert str(Secret("")) == ""


def test_a_secret_stays_out_of_a_traceback_with_locals() -> None:
    def fail(credential: Credential) -> None:
        raise RuntimeError("boom")

    try:
        fail(Credential.api_key(KEY))
    except RuntimeError as exc:
        text = "".join(
            traceback.TracebackException.from_exception(exc, capture_locals=True).format()
        )
    assert "credential" in text
    assert KEY not in text


def test_secrets_compare_by_value() -> None:
    assert Secret(KEY) == Secret(KEY)
    assert Secret(KEY) != Secret("other")
    assert Secret(KEY) != KEY  # never equal to the bare text it hides
    assert len({Secret(KEY), Secret(KEY)}) == 1
    assert len(Secret(KEY)) == len(KEY)


def test_a_page_of_dicts() -> None:
    page = DictPage.from_json(
        {"data": [{"id": "oppo_1"}, {"id": "oppo_2"}], "has_more": True, "total_results": 9}
    )
    assert page == DictPage([{"id": "oppo_1"}, {"id": "oppo_2"}], True, 9)
    assert DictPage.from_json({"data": []}) == DictPage([], False, None)


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ([], "a list"),
        ("oops", "a str"),
        ({}, "'data'"),
        ({"data": [1, 2]}, "'data'"),
        ({"data": [], "has_more": "yes"}, "'has_more'"),
        ({"data": [], "total_results": "9"}, "'total_results'"),
        ({"data": [], "total_results": True}, "'total_results'"),
    ],
)
def test_what_is_no_page_says_why(payload: object, says: str) -> None:
    with pytest.raises(ValueError, match="not a page of results") as caught:
        DictPage.from_json(payload)
    assert says in str(caught.value)
