"""Rooms on a Jitsi Meet server (ROOM_PROVIDER=jitsi): each participant's link opens the
meeting's room on that server with a JWT for them and that room only, checked here by a plain
HMAC-SHA256 over the token's parts (not the library that signed it)."""

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import api_on, running_server
from tests.support.factories import CONFIRM, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.server import RunningServer

JITSI_SECRET = "jitsi-app-secret-for-tests-0123456789abcdef"
ROOM = """query($id: ID!) { meeting(id: $id) { ... on Meeting { roomUrl } } }"""


@pytest.fixture(scope="module")
def jitsi_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(
        request,
        tmp_path_factory,
        "sqlite",
        ROOM_PROVIDER="jitsi",
        JITSI_URL="https://meet.example.org/",
        JITSI_APP_ID="consult",
        JITSI_APP_SECRET=JITSI_SECRET,
        JITSI_TOKEN_HOURS="2",
    ) as server:
        yield server


@pytest.fixture
async def jitsi_api(jitsi_server: RunningServer) -> AsyncIterator[Api]:
    async with api_on(jitsi_server) as api:
        yield api


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verified_claims(token: str) -> dict[str, Any]:
    header, payload, signature = token.split(".")
    expected = hmac.new(JITSI_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert hmac.compare_digest(unb64(signature), expected)
    assert json.loads(unb64(header))["alg"] == "HS256"
    claims: dict[str, Any] = json.loads(unb64(payload))
    return claims


async def room_link(api: Api, person: Person, meeting_id: str) -> str:
    link: str = (await api.query(ROOM, {"id": meeting_id}, person.token))["meeting"]["roomUrl"]
    return link


async def test_each_participant_opens_the_jitsi_room_with_a_token_for_them_and_that_room(
    jitsi_api: Api, jitsi_server: RunningServer
) -> None:
    api = jitsi_api
    expert = await make_person(api, jitsi_server.admin_token, expert=True)
    client = await make_person(api, jitsi_server.admin_token, credits=100)
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(30))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])

    links = {person.id: urlsplit(await room_link(api, person, meeting["id"])) for person in (client, expert)}
    rooms = {link.path for link in links.values()}
    assert len(rooms) == 1  # one room, each with a link of their own
    [room] = rooms
    assert room.startswith("/consult-") and len(room) > 30
    for person_id, link in links.items():
        assert (link.scheme, link.hostname) == ("https", "meet.example.org")
        claims = verified_claims(parse_qs(link.query)["jwt"][0])
        assert {key: claims[key] for key in ("aud", "iss", "sub", "room")} == {
            "aud": "jitsi",
            "iss": "consult",
            "sub": "meet.example.org",
            "room": room.removeprefix("/"),
        }
        assert claims["context"] == {"user": {"id": person_id}}
        assert claims["exp"] - claims["nbf"] == 2 * 3600 + 60

    other = await make_person(api, jitsi_server.admin_token, credits=100)
    second = await book(api, other, await make_service(api, expert), hours_from_now(40))
    await act(api, CONFIRM, expert, meetingId=second["id"])
    assert urlsplit(await room_link(api, other, second["id"])).path != room  # every meeting a room of its own
