"""Dashboards that never miss a change: live notifications, first frames, catching up, caps."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.api.test_job_durability import api_at, servers
from tests.support.factories import (
    CANCEL,
    CONFIRM,
    PROPOSE,
    Person,
    act,
    book,
    hours_from_now,
    make_person,
)
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock, run_cli, server_env

NOTIFICATION_ADDED = "subscription { notificationAdded { id type text meetingId read } }"
UNREAD = "{ viewer { unreadNotificationCount } }"
MARK_READ = """mutation { markNotificationsRead(input: {}) { __typename
  ... on NotificationsMarked { markedCount unreadCount } } }"""
ALL_MEETINGS = """subscription($initial: Boolean!) {
  meetingUpdated(initial: $initial) { id status version updatedAt } }"""
SINCE = """query($since: DateTime!) { meetings(first: 100, filter: {updatedSince: $since}) {
  edges { node { id status version updatedAt } } } }"""


@asynccontextmanager
async def subscribed(
    server: RunningServer, person: Person, query: str, variables: dict[str, Any] | None = None
) -> AsyncIterator[Subscriber]:
    subscriber = await Subscriber.open(server.ws_url, person.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(query, variables)
        yield subscriber
    finally:
        await subscriber.close()


async def invite(api: Api, expert: Person, client: Person, service_id: str, hours: float) -> dict[str, Any]:
    return await act(
        api,
        PROPOSE,
        expert,
        clientId=client.id,
        serviceId=service_id,
        startsAt=hours_from_now(hours),
        durationMinutes=60,
        priceCredits=10,
        mode="VIDEO",
    )


async def until_live(subscriber: Subscriber, api: Api, expert: Person, client: Person, service_id: str) -> str:
    """Registration is asynchronous: invite until a notification arrives, then drain the rest."""
    for attempt in range(10):
        invited = await invite(api, expert, client, service_id, 600 + 2 * attempt)
        try:
            frame = await subscriber.next_payload(timeout=1)
        except TimeoutError:
            continue
        assert frame["data"]["notificationAdded"]["type"] == "PROPOSED_BY_EXPERT"
        while True:
            try:
                await subscriber.next_payload(timeout=0.3)
            except TimeoutError:
                return str(invited["id"])
    raise AssertionError("the subscription never became live")


async def test_new_notifications_arrive_live_to_their_recipient_only(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    async with (
        subscribed(server, client, NOTIFICATION_ADDED) as client_sub,
        subscribed(server, outsider, NOTIFICATION_ADDED) as outsider_sub,
    ):
        await until_live(client_sub, api, expert, client, service_id)
        booked = await book(api, client, service_id, hours_from_now(700))
        await act(api, CONFIRM, expert, meetingId=booked["id"])
        frame = (await client_sub.next_payload())["data"]["notificationAdded"]
        assert (frame["type"], frame["meetingId"], frame["read"]) == ("APPROVED_BY_EXPERT", booked["id"], False)
        assert "Maya Expert confirmed Coaching" in frame["text"]
        assert await outsider_sub.nothing_arrives()

    unread = (await api.query(UNREAD, token=client.token))["viewer"]["unreadNotificationCount"]
    assert unread >= 2
    marked = (await api.query(MARK_READ, token=client.token))["markNotificationsRead"]
    assert marked == {"__typename": "NotificationsMarked", "markedCount": unread, "unreadCount": 0}
    assert (await api.query(UNREAD, token=client.token))["viewer"]["unreadNotificationCount"] == 0


async def test_a_dashboard_that_was_away_catches_up_with_updated_since(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    first = await book(api, client, service_id, hours_from_now(720))
    second = await book(api, client, service_id, hours_from_now(722))
    async with subscribed(server, expert, ALL_MEETINGS, {"initial": True}) as dashboard:
        frames = [(await dashboard.next_payload())["data"]["meetingUpdated"] for _ in range(2)]
        seen = {f["id"]: f for f in frames}
        assert set(seen) == {first["id"], second["id"]}  # a first frame per active meeting
        assert {f["status"] for f in frames} == {"AWAITING_APPROVAL"}
    last_seen = max(f["updatedAt"] for f in frames)

    # While the dashboard is away, the client cancels one meeting.
    cancelled = await act(api, CANCEL, client, meetingId=first["id"])
    assert cancelled["status"] == "CANCELLED"

    changed = (await api.query(SINCE, {"since": last_seen}, expert.token))["meetings"]["edges"]
    latest = {e["node"]["id"]: e["node"] for e in changed}
    for meeting_id, node in latest.items():
        if meeting_id in seen and node["version"] <= seen[meeting_id]["version"]:
            continue  # the documented pattern: keep the higher version
        seen[meeting_id] = node
    assert seen[first["id"]]["status"] == "CANCELLED"
    assert seen[first["id"]]["version"] == first["version"] + 1
    assert seen[second["id"]]["status"] == "AWAITING_APPROVAL"


async def refusal_code(subscriber: Subscriber, op_id: str, timeout: float) -> str | None:
    """The error code an operation was refused with, or None if nothing came in time.
    (A refused operation's `complete` may follow its error: skipped.)"""
    while True:
        try:
            message = await subscriber.receive(timeout)
        except TimeoutError:
            return None
        if message["type"] != "complete":
            break
    assert message["id"] == op_id, message
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    return str(errors[0]["extensions"]["code"])


async def test_subscriptions_per_user_are_capped_across_sockets(tmp_path: Path) -> None:
    env = {**server_env(tmp_path), "MAX_SUBSCRIPTIONS_PER_USER": "2"}
    admin_token = run_cli(env, "admin-token")
    with servers(env, 1) as [url]:
        ws_url = url.replace("http://", "ws://") + "/graphql"
        async with api_at(url) as api:
            person = await make_person(api, admin_token, credits=10)
        sockets = [await Subscriber.open(ws_url, person.token) for _ in range(2)]
        try:
            for socket in sockets:
                await socket.expect_ack()
            await sockets[0].subscribe(NOTIFICATION_ADDED, op_id="a")
            await sockets[1].subscribe(NOTIFICATION_ADDED, op_id="b")
            assert await sockets[0].nothing_arrives()
            await sockets[1].subscribe(NOTIFICATION_ADDED, op_id="c")
            assert await refusal_code(sockets[1], "c", timeout=5) == "LIMIT_EXCEEDED"
            # Closing one frees a place (the server lets go of it asynchronously).
            await sockets[0].send({"id": "a", "type": "complete"})
            for attempt in range(10):
                await sockets[1].subscribe(NOTIFICATION_ADDED, op_id=f"d{attempt}")
                code = await refusal_code(sockets[1], f"d{attempt}", timeout=0.3)
                if code is None:
                    break  # admitted: nothing to say until a notification comes
                assert code == "LIMIT_EXCEEDED"
            else:
                raise AssertionError("the closed subscription's place was never freed")
        finally:
            for socket in sockets:
                await socket.close()


async def test_an_expired_token_ends_its_subscriptions_and_closes_the_socket_with_4403(
    server: RunningServer, clock: ServerClock, client: Person
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    async with subscribed(server, client, NOTIFICATION_ADDED) as socket:
        assert await socket.nothing_arrives()
        clock.set(now + timedelta(days=31))  # tokens live 30 days
        assert await refusal_code(socket, "1", timeout=5) == "UNAUTHENTICATED"
        with pytest.raises(ConnectionClosed):
            while True:
                await socket.receive(timeout=5)
        assert socket.socket.close_code == 4403
