"""Dashboards that never miss a change: live notifications, first frames, catching up, caps."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed

from tests.api.test_job_durability import api_at, servers
from tests.api.test_meeting_lifecycle import watching
from tests.support.factories import (
    CANCEL,
    CONFIRM,
    PROPOSE,
    RESCHEDULE,
    WITHDRAW,
    Person,
    act,
    book,
    hours_from_now,
    make_person,
    make_service,
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


async def until_live(
    subscriber: Subscriber, api: Api, expert: Person, client: Person, service_id: str, hours: float = 600
) -> None:
    """Registration is asynchronous: invite until a notification arrives. Each invitation after
    the one it is of is heard too, in order: expected, not waited out."""
    invited: list[str] = []
    for attempt in range(10):
        invited.append(str((await invite(api, expert, client, service_id, hours + 2 * attempt))["id"]))
        try:
            frame = (await subscriber.next_payload(timeout=1))["data"]["notificationAdded"]
        except TimeoutError:
            continue
        assert frame["type"] == "PROPOSED_BY_EXPERT"
        for later in invited[invited.index(frame["meetingId"]) + 1 :]:
            assert (await subscriber.next_payload())["data"]["notificationAdded"]["meetingId"] == later
        return
    raise AssertionError("the subscription never became live")


async def test_new_notifications_arrive_live_to_their_recipient_only(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    async with (
        subscribed(server, client, NOTIFICATION_ADDED) as client_sub,
        subscribed(server, outsider, NOTIFICATION_ADDED) as outsider_sub,
    ):
        await until_live(client_sub, api, expert, client, service_id)
        await until_live(outsider_sub, api, expert, outsider, service_id, hours=650)
        booked = await book(api, client, service_id, hours_from_now(700))
        await act(api, CONFIRM, expert, meetingId=booked["id"])
        frame = (await client_sub.next_payload())["data"]["notificationAdded"]
        assert (frame["type"], frame["meetingId"], frame["read"]) == ("APPROVED_BY_EXPERT", booked["id"], False)
        assert "Maya Expert confirmed Coaching" in frame["text"]
        # The outsider's own next notification is the next they hear: none of the client's came first.
        marker = await invite(api, expert, outsider, service_id, 750)
        assert (await outsider_sub.next_payload())["data"]["notificationAdded"]["meetingId"] == marker["id"]

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


WATCH_ONE = "subscription($id: ID!) { meetingUpdated(meetingId: $id) { id version } }"
"""A subscription whose first frame (the meeting as it is) says it is admitted and live."""


async def first_answer(subscriber: Subscriber, op_id: str) -> str:
    """ "LIVE" for an operation's first frame, else the error code it was refused with.
    (A refused operation's `complete` may follow its error: skipped.)"""
    message = await subscriber.receive()
    while message["type"] == "complete":
        message = await subscriber.receive()
    assert message["id"] == op_id, message
    if message["type"] == "next" and message["payload"].get("data"):
        return "LIVE"
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    return str(errors[0]["extensions"]["code"])


async def test_subscriptions_per_user_are_capped_across_sockets(tmp_path: Path) -> None:
    env = {**server_env(tmp_path), "MAX_SUBSCRIPTIONS_PER_USER": "2"}
    admin_token = run_cli(env, "admin-token")
    with servers(env, 1) as [url]:
        ws_url = url.replace("http://", "ws://") + "/graphql"
        async with api_at(url) as api:
            person = await make_person(api, admin_token, credits=10)
            expert = await make_person(api, admin_token, expert=True)
            meeting = await book(api, person, await make_service(api, expert, price=10), hours_from_now(100))
        watch = {"id": meeting["id"]}
        sockets = [await Subscriber.open(ws_url, person.token) for _ in range(2)]
        try:
            for socket in sockets:
                await socket.expect_ack()
            await sockets[0].subscribe(WATCH_ONE, watch, op_id="a")
            assert await first_answer(sockets[0], "a") == "LIVE"
            await sockets[1].subscribe(WATCH_ONE, watch, op_id="b")
            assert await first_answer(sockets[1], "b") == "LIVE"
            await sockets[1].subscribe(WATCH_ONE, watch, op_id="c")
            assert await first_answer(sockets[1], "c") == "LIMIT_EXCEEDED"
            # Closing one frees a place (the server lets go of it asynchronously).
            await sockets[0].send({"id": "a", "type": "complete"})
            for attempt in range(50):
                await sockets[1].subscribe(WATCH_ONE, watch, op_id=f"d{attempt}")
                if (answer := await first_answer(sockets[1], f"d{attempt}")) == "LIVE":
                    break
                assert answer == "LIMIT_EXCEEDED"
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the closed subscription's place was never freed")
        finally:
            for socket in sockets:
                await socket.close()


async def test_an_expired_token_ends_its_subscriptions_and_closes_the_socket_4403_to_reconnect_with_a_fresh_one(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, service_id: str
) -> None:
    now = datetime.now(UTC)
    clock.set(now)
    meeting = await book(api, client, service_id, hours_from_now(100))
    async with subscribed(server, client, WATCH_ONE, {"id": meeting["id"]}) as socket:
        assert await first_answer(socket, "1") == "LIVE"
        clock.set(now + timedelta(days=31))  # tokens live 30 days
        # No error and no `complete`: the operation ends with the socket, so that graphql-ws
        # reconnects with a fresh token and subscribes again to what it had.
        with pytest.raises(ConnectionClosed):
            unexpected = await socket.receive(timeout=5)
            raise AssertionError(f"a message before the close: {unexpected}")
        assert socket.socket.close_code == 4403
        assert socket.socket.close_reason == "token expired; reconnect with a fresh one"


async def test_a_burst_of_changes_reaches_every_subscriber_as_each_version_once_in_order(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(1000))
    agreed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
    admin = Person(id="", token=server.admin_token, email="")
    async with AsyncExitStack() as stack:
        subscribers = [
            await stack.enter_async_context(watching(server, person, meeting["id"]))
            for person in (client, expert, admin) * 10
        ]
        for i in range(BURST // 2):  # as fast as the answers come: an offer, then its withdrawal
            offered = await act(
                api,
                RESCHEDULE,
                expert,
                meetingId=meeting["id"],
                reason="EXPERT_SCHEDULE",
                times=[hours_from_now(1010 + i)],
            )
            [offer] = [o for o in offered["offers"] if o["status"] == "PENDING"]
            await act(api, WITHDRAW, expert, offerId=offer["id"])
        expected = [agreed["version"] + n for n in range(1, BURST + 1)]
        for subscriber in subscribers:
            assert [await version_of(subscriber) for _ in expected] == expected


BURST = 20
"""Changes to one meeting in a burst."""


async def version_of(subscriber: Subscriber) -> int:
    return int((await subscriber.next_payload())["data"]["meetingUpdated"]["version"])
