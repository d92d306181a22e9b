"""The preview's request view, made without building an httpx request per keystroke."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from closetui.api import CloseClient, Credential

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
BODIES = st.dictionaries(st.text(min_size=1), JSON, max_size=5)


@given(
    body=BODIES,
    opportunity=st.sampled_from(
        ["oppo_1", "oppo_2", "oppo_NC20Ht22ncwU1oUtdjUdONdjgRyUFhGFzEM29aqrrH1"]
    ),
    tz_offset=st.sampled_from([0.0, -5.0, 5.5]),
    oauth=st.booleans(),
)
def test_describe_update_is_the_view_of_the_request_sent(
    body: dict[str, Any], opportunity: str, tz_offset: float, oauth: bool
) -> None:
    credential = Credential.oauth("tok_abc") if oauth else Credential.api_key("api_abc")
    client = CloseClient(credential, base_url="http://127.0.0.1:9/api/v1/", tz_offset=tz_offset)
    client.describe_update("oppo_other", {"note": "the cached view of another"})
    sent = client.build_update_request(opportunity, body)
    assert client.describe_update(opportunity, body) == client.describe(sent)
    client.tz_offset += 1  # settings that change the request: described anew
    assert client.describe_update(opportunity, body) == client.describe(
        client.build_update_request(opportunity, body)
    )


def test_with_body_follows_content_length() -> None:
    client = CloseClient(Credential.api_key("api_abc"), tz_offset=0.0)
    view = client.describe_update("oppo_1", {"note": "é"})
    assert view.header("Content-Length") == str(len(view.body))
    assert view.body == '{\n  "note": "é"\n}'.encode()
