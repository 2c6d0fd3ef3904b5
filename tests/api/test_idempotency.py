"""Safe retries: a mutation sent again with its Idempotency-Key answers its first result and
acts once, even when the first answer never reached the client."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from app.models import LedgerEntry, Meeting
from tests.support.factories import BOOK, Person, hours_from_now, make_person
from tests.support.graphql import Api
from tests.support.server import RunningServer, ServerClock


async def booking(
    api: Api, client: Person, service_id: str, hours: float, key: str | None, token: str | None = None
) -> httpx.Response:
    headers = {
        "Authorization": f"Bearer {token or client.token}",
        **({"Idempotency-Key": key} if key is not None else {}),
    }
    variables = {
        "input": {"serviceId": service_id, "startsAt": hours_from_now(hours), "durationMinutes": 60, "mode": "VIDEO"}
    }
    return await api.http.post("/graphql", json={"query": BOOK, "variables": variables}, headers=headers)


def booked(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["bookMeeting"]
    return result


async def meetings_and_blocks(client: Person) -> tuple[int, int]:
    return (
        await Meeting.filter(client_id=client.id).count(),
        await LedgerEntry.filter(user_id=client.id, kind="BLOCK").count(),
    )


async def test_the_same_request_with_its_key_answers_the_first_result_and_acts_once(
    api: Api, client: Person, service_id: str
) -> None:
    key = str(uuid4())
    first = await booking(api, client, service_id, 300, key)
    again = await booking(api, client, service_id, 300, key)
    assert booked(first)["__typename"] == "Meeting" and booked(again) == booked(first)
    assert "idempotent-replayed" not in first.headers and again.headers["idempotent-replayed"] == "true"
    assert await meetings_and_blocks(client) == (1, 1)


async def test_a_booking_whose_answer_was_lost_is_booked_and_charged_once_when_retried(
    api: Api, server: RunningServer, client: Person, service_id: str
) -> None:
    key = str(uuid4())
    variables = {
        "input": {"serviceId": service_id, "startsAt": hours_from_now(310), "durationMinutes": 60, "mode": "VIDEO"}
    }
    body = json.dumps({"query": BOOK, "variables": variables}).encode()
    host, port = server.base_url.removeprefix("http://").split(":")
    # The client sends the booking and drops the connection before any answer.
    _, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
        + f"Authorization: Bearer {client.token}\r\nIdempotency-Key: {key}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()
    writer.close()
    for _ in range(50):  # the client retries, as a client does, while the first is being answered (409)
        retry = await booking(api, client, service_id, 310, key)
        if retry.status_code != 409:
            break
        await asyncio.sleep(0.1)
    assert booked(retry)["__typename"] == "Meeting"
    assert await meetings_and_blocks(client) == (1, 1)


async def test_concurrent_requests_with_one_key_act_once(api: Api, client: Person, service_id: str) -> None:
    key = str(uuid4())
    answers = await asyncio.gather(*(booking(api, client, service_id, 320, key) for _ in range(5)))
    kept = [a for a in answers if a.status_code == 200]
    assert kept and {booked(a)["id"] for a in kept} == {booked(kept[0])["id"]}
    refused = [a.json()["errors"][0]["extensions"]["code"] for a in answers if a.status_code != 200]
    assert set(refused) <= {"IDEMPOTENCY_KEY_IN_USE"}
    assert await meetings_and_blocks(client) == (1, 1)


async def test_a_key_used_with_another_request_is_refused_and_changes_nothing(
    api: Api, server: RunningServer, client: Person, service_id: str
) -> None:
    key = str(uuid4())
    booked(await booking(api, client, service_id, 330, key))
    before = await server.snapshot()
    other = await booking(api, client, service_id, 332, key)
    assert other.status_code == 422
    assert other.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await server.snapshot() == before


async def test_keys_belong_to_their_user(
    api: Api, server: RunningServer, client: Person, outsider: Person, service_id: str
) -> None:
    key = str(uuid4())
    mine = booked(await booking(api, client, service_id, 340, key))
    theirs = booked(await booking(api, outsider, service_id, 342, key))
    assert mine["id"] != theirs["id"] and theirs["__typename"] == "Meeting"


async def test_a_refusal_is_the_first_result_too(api: Api, client: Person, service_id: str) -> None:
    key = str(uuid4())
    booked(await booking(api, client, service_id, 350, None))
    refused = booked(await booking(api, client, service_id, 350, key))
    again = await booking(api, client, service_id, 350, key)
    assert refused["code"] == "SLOT_TAKEN" and booked(again) == refused
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_key_lives_24_hours(
    api: Api, server: RunningServer, client: Person, service_id: str, clock: ServerClock
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clock.set(now)
    key = str(uuid4())
    booked(await booking(api, client, service_id, 400, key))
    clock.set(now + timedelta(hours=24, seconds=1))
    later = booked(await booking(api, client, service_id, 402, key))  # another request: fine once expired
    assert later["__typename"] == "Meeting"
    assert await meetings_and_blocks(client) == (2, 2)


async def test_a_bad_key_or_no_token_is_a_coded_400_or_401(
    api: Api, server: RunningServer, client: Person, service_id: str
) -> None:
    before = await server.snapshot()
    for key in ("x" * 256, ""):
        answer = await booking(api, client, service_id, 410, key)
        assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["errors"][0]["message"]
    anonymous = await api.http.post(
        "/graphql", json={"query": BOOK, "variables": {"input": {}}}, headers={"Idempotency-Key": "k"}
    )
    assert anonymous.status_code in (400, 401)
    assert await server.snapshot() == before


async def test_queries_ignore_the_key(api: Api, client: Person) -> None:
    answer = await api.http.post(
        "/graphql",
        json={"query": "{ viewer { id } }"},
        headers={"Authorization": f"Bearer {client.token}", "Idempotency-Key": "k"},
    )
    assert answer.status_code == 200 and answer.json()["data"]["viewer"]["id"] == client.id


async def test_a_grant_sent_three_times_with_one_key_is_granted_once(api: Api, server: RunningServer) -> None:
    """Admin mutations take keys too (grants move money)."""
    person = await make_person(api, server.admin_token, credits=0)
    grant = """mutation($input: GrantCreditsInput!) { grantCredits(input: $input) {
      __typename ... on CreditGrant { balance { available } } } }"""
    variables = {"input": {"userId": person.id, "amount": 25, "memo": "refund"}}
    headers = {"Authorization": f"Bearer {server.admin_token}", "Idempotency-Key": str(uuid4())}
    for _ in range(3):
        answer = await api.http.post("/graphql", json={"query": grant, "variables": variables}, headers=headers)
        assert answer.json()["data"]["grantCredits"]["balance"]["available"] == 25
