"""Several server processes on one PostgreSQL: the guarantees of one process still hold."""

import asyncio
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_redis.executor import RedisExecutor

from app.domain.ledger import LedgerKind
from app.models import LedgerEntry, Meeting
from tests.api.test_instant import INSTANT_REQUESTS, WITHDRAW, post
from tests.api.test_job_durability import api_at, servers
from tests.support.factories import CONFIRM, RESCHEDULE, act, book, hours_from_now, make_person, make_service
from tests.support.factories import WITHDRAW as WITHDRAW_OFFER
from tests.support.graphql import Subscriber
from tests.support.postgres import fresh_database
from tests.support.redis import redis_url
from tests.support.server import run_cli, server_env
from tests.support.tables import orm_on
from tests.support.waiting import eventually

CLIENTS = 20
WATCH = "subscription Watch($id: ID) { meetingUpdated(meetingId: $id) { id version status } }"


@pytest.fixture
def postgres_env(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Server settings for a fresh PostgreSQL database of this test's own, events through the
    Redis this test may stop and start."""
    restartable: RedisExecutor = request.getfixturevalue("restartable_redis_server")
    with fresh_database(request.getfixturevalue("postgresql_server")) as database_url:
        yield server_env(tmp_path, DATABASE_URL=database_url, REDIS_URL=redis_url(restartable))


async def watching(ws_url: str, token: str, meeting_id: str) -> Subscriber:
    """A subscription to one meeting, live once its first frame (the current state) came."""
    subscriber = await Subscriber.open(ws_url, token)
    await subscriber.expect_ack()
    await subscriber.subscribe(WATCH, {"id": meeting_id})
    assert (await subscriber.next_payload())["data"]["meetingUpdated"]["id"] == meeting_id
    return subscriber


async def version_seen(subscriber: Subscriber) -> int:
    return int((await subscriber.next_payload(timeout=10))["data"]["meetingUpdated"]["version"])


async def test_a_change_made_on_one_process_reaches_subscribers_on_the_other(postgres_env: dict[str, str]) -> None:
    admin_token = run_cli(postgres_env, "admin-token")
    with servers(postgres_env, 2) as [first, second]:
        async with api_at(second) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=100)
            meeting = await book(api, client, await make_service(api, expert), hours_from_now(210))
            subscriber = await watching(first.replace("http://", "ws://") + "/graphql", client.token, meeting["id"])
            try:
                agreed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
                assert await version_seen(subscriber) == agreed["version"]
            finally:
                await subscriber.close()


async def test_a_restart_of_redis_under_a_live_subscription(
    postgres_env: dict[str, str], restartable_redis_server: RedisExecutor
) -> None:
    admin_token = run_cli(postgres_env, "admin-token")
    with servers(postgres_env, 1) as [url]:
        async with api_at(url) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token, credits=100)
            meeting = await book(api, client, await make_service(api, expert), hours_from_now(220))
            subscriber = await watching(url.replace("http://", "ws://") + "/graphql", client.token, meeting["id"])
            try:
                # While Redis is down the server is not ready, and its change is not announced...
                restartable_redis_server.stop()
                assert (await api.http.get("/readyz")).json()["broker"] is False
                agreed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
                # ...yet once Redis is back the subscription resumes with the meeting as it is now,
                restartable_redis_server.start()
                assert await version_seen(subscriber) == agreed["version"]

                async def ready() -> bool:
                    return bool((await api.http.get("/readyz")).status_code == 200)

                await eventually(ready)
                # and later changes arrive as before.
                offered = await act(
                    api,
                    RESCHEDULE,
                    expert,
                    meetingId=meeting["id"],
                    reason="EXPERT_SCHEDULE",
                    times=[hours_from_now(230)],
                )
                assert await version_seen(subscriber) == offered["version"]
            finally:
                await subscriber.close()


async def test_twenty_bookings_of_one_slot_over_two_processes_have_one_winner(postgres_env: dict[str, str]) -> None:
    admin_token = run_cli(postgres_env, "admin-token")
    with servers(postgres_env, 2) as urls:
        async with api_at(urls[0]) as first, api_at(urls[1]) as second:
            expert = await make_person(first, admin_token, expert=True)
            service_id = await make_service(first, expert)
            clients = [await make_person(first, admin_token, credits=100) for _ in range(CLIENTS)]
            slot = hours_from_now(200)
            # Half the clients book through each process, all at once.
            outcomes = await asyncio.gather(
                *(book(first if i % 2 else second, client, service_id, slot) for i, client in enumerate(clients))
            )
    kinds = Counter(outcome["__typename"] for outcome in outcomes)
    assert kinds == {"Meeting": 1, "SlotTaken": CLIENTS - 1}, outcomes
    (winner,) = [outcome for outcome in outcomes if outcome["__typename"] == "Meeting"]
    async with orm_on(postgres_env["DATABASE_URL"]):
        assert await Meeting.filter(service_id=service_id).count() == 1
        blocked = await LedgerEntry.filter(kind=LedgerKind.BLOCK).values_list("meeting_id", "amount")
        assert [(str(meeting_id), amount) for meeting_id, amount in blocked] == [(winner["id"], winner["priceCredits"])]


async def test_an_instant_request_posted_on_one_process_reaches_an_expert_online_on_another(
    postgres_env: dict[str, str],
) -> None:
    admin_token = run_cli(postgres_env, "admin-token")
    with servers(postgres_env, 2) as [first, second]:
        async with api_at(second) as api:
            skill = "scale-out"
            expert = await make_person(api, admin_token, expert=True, skills=(skill,))
            await make_service(api, expert, duration=30, price=40)
            client = await make_person(api, admin_token, credits=100)
            # The expert is online on the first process only.
            stream = await Subscriber.open(first.replace("http://", "ws://") + "/graphql", expert.token)
            try:
                await stream.expect_ack()
                await stream.subscribe(INSTANT_REQUESTS)

                async def offered() -> str | None:
                    """Post on the second process until the expert is seen online (subscribing is
                    asynchronous); the posts that came too early are withdrawn."""
                    posted = await post(api, client, skill)
                    try:
                        frame = (await stream.next_payload(timeout=0.5))["data"]["instantRequests"]
                    except TimeoutError:
                        await act(api, WITHDRAW, client, requestId=posted["id"])
                        return None
                    return str(frame["id"]) if frame["id"] == posted["id"] and frame["status"] == "OPEN" else None

                assert await eventually(offered)
            finally:
                await stream.close()


async def test_a_burst_of_changes_made_on_both_processes_reaches_subscribers_on_both_as_each_version(
    postgres_env: dict[str, str],
) -> None:
    admin_token = run_cli(postgres_env, "admin-token")
    with servers(postgres_env, 2) as urls:
        async with api_at(urls[0]) as first, api_at(urls[1]) as second:
            expert = await make_person(first, admin_token, expert=True)
            client = await make_person(first, admin_token, credits=100)
            meeting = await book(first, client, await make_service(first, expert), hours_from_now(300))
            agreed = await act(first, CONFIRM, expert, meetingId=meeting["id"])
            sockets = [url.replace("http://", "ws://") + "/graphql" for url in urls]
            subscribers = [
                await watching(socket, person.token, meeting["id"]) for socket in sockets for person in (client, expert)
            ]
            try:
                for i in range(10):  # an offer made through one process, withdrawn through the other
                    offered = await act(
                        first,
                        RESCHEDULE,
                        expert,
                        meetingId=meeting["id"],
                        reason="EXPERT_SCHEDULE",
                        times=[hours_from_now(310 + i)],
                    )
                    await act(second, WITHDRAW_OFFER, expert, offerId=offered["offers"][-1]["id"])
                expected = [agreed["version"] + n for n in range(1, 21)]
                for subscriber in subscribers:
                    assert [await version_seen(subscriber) for _ in expected] == expected
            finally:
                for subscriber in subscribers:
                    await subscriber.close()


async def test_a_message_sent_on_one_process_reaches_both_participants_on_the_other(
    postgres_env: dict[str, str],
) -> None:
    """Through Redis: the recipient is live on the second process, so the first one neither
    notifies nor plans an e-mail (presence crosses processes too)."""
    admin_token = run_cli(postgres_env, "admin-token")
    live = "subscription Live($id: ID) { messageAdded(conversationId: $id, afterSequence: 0) { id body } }"
    send = """mutation Send($input: SendMessageInput!) {
      sendMessage(input: $input) { __typename ... on Message { id conversationId } } }"""
    with servers(postgres_env, 2) as [first, second]:
        async with api_at(first) as api:
            expert = await make_person(api, admin_token, expert=True)
            client = await make_person(api, admin_token)
            opened = await act(api, send, client, body="Hello", expertId=expert.id)
            subscriber = await Subscriber.open(second.replace("http://", "ws://") + "/graphql", expert.token)
            try:
                await subscriber.expect_ack()
                await subscriber.subscribe(live, {"id": opened["conversationId"]})
                assert (await subscriber.next_payload())["data"]["messageAdded"]["id"] == opened["id"]
                reply = await act(api, send, client, body="Still there?", conversationId=opened["conversationId"])
                heard = (await subscriber.next_payload(timeout=10))["data"]["messageAdded"]
                assert (heard["id"], heard["body"]) == (reply["id"], "Still there?")
                notified = [
                    e["node"]["text"]
                    for e in (
                        await api.query("{ notifications(first: 5) { edges { node { text } } } }", token=expert.token)
                    )["notifications"]["edges"]
                ]
                assert notified == ["Test Person: Hello"]  # the first message only: then the expert was away
            finally:
                await subscriber.close()
