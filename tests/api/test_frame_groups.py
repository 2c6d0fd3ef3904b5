"""Subscriptions that send the same frames share one stream (app/web/frame_groups.py):
each still gets every change once, in order, under its own id; views never mix;
one leaving or expiring ends only itself."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.support.factories import (
    CONFIRM,
    ISSUE_TOKEN,
    RESCHEDULE,
    WITHDRAW,
    Person,
    act,
    book,
    hours_from_now,
)
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock

WATCH = """subscription Watch($id: ID) {
  meetingUpdated(meetingId: $id) { id version status viewerSide roomUrl service { title } } }"""


async def watching(
    server: RunningServer, token: str, meeting_id: str, *op_ids: str, protocol: str = "graphql-transport-ws"
) -> Subscriber:
    socket = await Subscriber.open(server.ws_url, token, protocol=protocol)
    await socket.expect_ack()
    for op_id in op_ids:
        if protocol == "graphql-ws":
            await socket.send(
                {"id": op_id, "type": "start", "payload": {"query": WATCH, "variables": {"id": meeting_id}}}
            )
        else:
            await socket.subscribe(WATCH, {"id": meeting_id}, op_id=op_id)
    return socket


async def frames(socket: Subscriber, count: int) -> list[dict[str, Any]]:
    """The next `count` data messages, whatever the protocol calls them."""
    received: list[dict[str, Any]] = []
    while len(received) < count:
        message = await socket.receive(timeout=10)
        assert message["type"] in ("next", "data"), message
        received.append(message)
    return received


def by_id(messages: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        grouped.setdefault(message["id"], []).append(message["payload"])
    return grouped


def versions(payloads: list[dict[str, Any]]) -> list[int]:
    return [payload["data"]["meetingUpdated"]["version"] for payload in payloads]


async def change(api: Api, expert: Person, meeting_id: str, offer_hours: float) -> int:
    """An offer of another time, then its withdrawal: two changes; the last version."""
    offered = await act(
        api, RESCHEDULE, expert, meetingId=meeting_id, reason="EXPERT_SCHEDULE", times=[hours_from_now(offer_hours)]
    )
    withdrawn = await act(api, WITHDRAW, expert, offerId=offered["offers"][-1]["id"])
    return int(withdrawn["version"])


async def test_subscriptions_of_one_view_share_a_stream_and_each_gets_every_change_once(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    # Given a confirmed meeting, watched by its client on one socket
    meeting = await book(api, client, service_id, hours_from_now(900))
    agreed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
    first = await watching(server, client.token, meeting["id"], "a")
    try:
        assert versions([m["payload"] for m in await frames(first, 1)]) == [agreed["version"]]
        # When it changes twice, then a second socket joins with two operations, then two more changes
        middle = await change(api, expert, meeting["id"], 910)
        early = await frames(first, 2)
        second = await watching(server, client.token, meeting["id"], "b1", "b2")
        try:
            joined = by_id(await frames(second, 2))
            last = await change(api, expert, meeting["id"], 912)
            late = by_id(await frames(first, 2) + await frames(second, 4))
        finally:
            await second.close()
    finally:
        await first.close()

    # Then every operation has the current state first, then each later version once, in order
    assert versions([m["payload"] for m in early]) == [middle - 1, middle]
    assert versions(joined["b1"]) == versions(joined["b2"]) == [middle]
    assert versions(late["a"]) == versions(late["b1"]) == versions(late["b2"]) == [last - 1, last]
    # and the frames of one change are the very same (the stream's running SQL count included:
    # a stream of its own, started later, would have counted fewer statements)
    assert late["a"] == late["b1"] == late["b2"]
    assert late["a"][0]["extensions"]["sqlStatements"] > joined["b1"][0]["extensions"]["sqlStatements"] >= 0


async def test_each_viewer_gets_their_own_view_of_the_same_subscription(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(920))
    client_socket = await watching(server, client.token, meeting["id"], "1")
    expert_socket = await watching(server, expert.token, meeting["id"], "1")
    try:
        await frames(client_socket, 1)
        await frames(expert_socket, 1)
        await act(api, CONFIRM, expert, meetingId=meeting["id"])
        seen_by_client = (await frames(client_socket, 1))[0]["payload"]["data"]["meetingUpdated"]
        seen_by_expert = (await frames(expert_socket, 1))[0]["payload"]["data"]["meetingUpdated"]
    finally:
        await client_socket.close()
        await expert_socket.close()
    assert (seen_by_client["status"], seen_by_expert["status"]) == ("AGREED", "AGREED")
    assert (seen_by_client["viewerSide"], seen_by_expert["viewerSide"]) == ("CLIENT", "EXPERT")
    assert seen_by_client["roomUrl"] != seen_by_expert["roomUrl"]  # each side's own signed link


async def test_one_member_leaving_or_expiring_ends_only_itself(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    now = datetime.now(UTC)
    meeting = await book(api, client, service_id, hours_from_now(940))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    # Tokens live 30 days: the client's first token expires ten days before the one issued later.
    clock.set(now + timedelta(days=20))
    later_client = Person(client.id, await issued_token(api, server, client.id), client.email)
    later_expert = Person(expert.id, await issued_token(api, server, expert.id), expert.email)
    leaving = await watching(server, client.token, meeting["id"], "leaving", "expiring")
    staying = await watching(server, later_client.token, meeting["id"], "staying")
    try:
        await frames(leaving, 2)
        await frames(staying, 1)
        # When one operation completes, the others still get the next change
        await leaving.send({"id": "leaving", "type": "complete"})
        version = await change(api, later_expert, meeting["id"], 950)
        assert {m["id"] for m in await frames(leaving, 2)} == {"expiring"}
        assert versions([m["payload"] for m in await frames(staying, 2)]) == [version - 1, version]
        # When the first token expires, its socket closes 4403 (its operation ends with it)
        clock.set(now + timedelta(days=31))
        with pytest.raises(ConnectionClosed):
            while True:
                await leaving.receive(timeout=5)
        assert leaving.socket.close_code == 4403
        # and the member with a valid token still hears changes
        version = await change(api, later_expert, meeting["id"], 960)
        assert versions([m["payload"] for m in await frames(staying, 2)]) == [version - 1, version]
    finally:
        await leaving.close()
        await staying.close()


async def test_the_legacy_protocol_streams_changes_without_a_group(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(980))
    socket = await watching(server, client.token, meeting["id"], "1", protocol="graphql-ws")
    try:
        assert versions([m["payload"] for m in await frames(socket, 1)]) == [meeting["version"]]
        agreed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
        (message,) = await frames(socket, 1)
    finally:
        await socket.close()
    assert (message["type"], message["id"]) == ("data", "1")
    assert message["payload"]["data"]["meetingUpdated"]["version"] == agreed["version"]


async def issued_token(api: Api, server: RunningServer, user_id: str) -> str:
    issued = await api.query(ISSUE_TOKEN, {"input": {"userId": user_id}}, server.admin_token)
    return str(issued["issueToken"]["token"])
