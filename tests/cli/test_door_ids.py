"""Ids that go into a URL path are checked at the door (CLI) and in the client."""

from __future__ import annotations

import httpx
import pytest

from closetui.api import CloseClient, Credential
from closetui.api.ids import InvalidId, is_close_id
from closetui.cli.exit_codes import EXIT_USAGE
from closetui.cli.main import main

HOSTILE = ["../user/ID", "oppo_1/../../me", "oppo_1?x=1", "oppo_1#x", "..", "oppo_", "oppo_ü", ""]


@pytest.mark.parametrize("command", ["get", "update"])
@pytest.mark.parametrize("opp_id", HOSTILE)
def test_cli_refuses_an_id_that_is_not_one(
    command: str, opp_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--demo", opp_id])
    assert exit_info.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "argument OPP_ID: not an opportunity id" in err


def test_ids_close_records_are_accepted() -> None:
    assert is_close_id("oppo_NC20Ht22ncwU1oUtdjUdONdjgRyUFhGFzEM29aqrrH1", "oppo_")
    assert is_close_id("oppo_1", "oppo_")
    assert not is_close_id("user_2okTTewuL7ni32DGaexRdm8OQ7uyx1IvkkWNmzEr6Wa", "oppo_")


@pytest.mark.parametrize("opp_id", HOSTILE)
async def test_the_client_never_puts_a_bad_id_into_a_url(opp_id: str) -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={})

    client = CloseClient(
        Credential.api_key("api_abc"),
        base_url="http://127.0.0.1:9/api/v1/",
        transport=httpx.MockTransport(answer),
    )
    async with client:
        with pytest.raises(InvalidId):
            await client.get_opportunity(opp_id)
        with pytest.raises(InvalidId):
            client.build_update_request(opp_id, {"note": "x"})
    assert seen == []
