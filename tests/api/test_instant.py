"""Instant sessions over real HTTP and WebSockets: offered live, taken once, ended for all."""

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.models import InstantRequest, ScheduledJob
from app.models.jobs import JobStatus
from tests.api.test_job_durability import api_at, scratch, servers
from tests.api.test_refusals import assert_refused
from tests.api.test_timed import start_of_test
from tests.support.factories import (
    CONFIRM,
    Person,
    act,
    book,
    make_person,
    make_service,
)
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock
from tests.support.tables import orm_on
from tests.support.waiting import eventually

INSTANT_REQUESTS = "subscription { instantRequests { id status topic durationMinutes maxPriceCredits } }"
POST = """mutation($input: PostInstantRequestInput!) { postInstantRequest(input: $input) {
  __typename ... on InstantRequest { id status expiresAt } ... on Problem { code message } } }"""
TAKE = """mutation($input: TakeInstantRequestInput!) { takeInstantRequest(input: $input) {
  __typename ... on Meeting { id kind status priceCredits creditStatus canJoin roomUrl }
  ... on Problem { code message } } }"""
HOLDINGS = "{ creditBalance { available blocked heldForInstantRequests } }"
WITHDRAW = """mutation($input: WithdrawInstantRequestInput!) { withdrawInstantRequest(input: $input) {
  __typename ... on InstantRequest { id status } ... on Problem { code message } } }"""


@asynccontextmanager
async def listening(server: RunningServer, experts: list[Person]) -> AsyncIterator[list[Subscriber]]:
    async with AsyncExitStack() as stack:
        subscribers = []
        for expert in experts:
            subscriber = await Subscriber.open(server.ws_url, expert.token)
            stack.push_async_callback(subscriber.close)
            await subscriber.expect_ack()
            await subscriber.subscribe(INSTANT_REQUESTS)
            subscribers.append(subscriber)
        yield subscribers


async def post(api: Api, client: Person, skill: str, **extra: Any) -> dict[str, Any]:
    ask = {"topic": "Stuck on a query", "skill": skill, "durationMinutes": 30, "maxPriceCredits": 100, **extra}
    return await act(api, POST, client, **ask)


async def holdings(api: Api, person: Person) -> dict[str, int]:
    found: dict[str, int] = (await api.query(HOLDINGS, token=person.token))["creditBalance"]
    return found


async def offered_to_all(
    api: Api, client: Person, skill: str, experts: list[Person], subscribers: list[Subscriber]
) -> str:
    """Subscriptions register asynchronously: post until every expert was online for it,
    withdrawing the posts that came too early, then drain the streams."""
    for _ in range(20):
        posted = await post(api, client, skill)
        assert posted["__typename"] == "InstantRequest", posted
        row = await InstantRequest.get(id=posted["id"])
        if set(row.notified_expert_ids) == {e.id for e in experts}:
            for subscriber in subscribers:
                frame = (await subscriber.next_payload())["data"]["instantRequests"]
                while frame["id"] != posted["id"]:  # earlier, withdrawn posts
                    frame = (await subscriber.next_payload())["data"]["instantRequests"]
                assert frame["status"] == "OPEN"
            return str(posted["id"])
        assert (await act(api, WITHDRAW, client, requestId=posted["id"]))["status"] == "WITHDRAWN"
    raise AssertionError("the experts never came online")


async def test_five_experts_race_for_one_request_and_exactly_one_wins(
    api: Api, server: RunningServer, clock: ServerClock
) -> None:
    t0 = start_of_test()
    clock.set(t0 - timedelta(minutes=10))
    skill = f"sql-{uuid.uuid4().hex[:6]}"
    client = await make_person(api, server.admin_token, credits=500)
    experts = [await make_person(api, server.admin_token, expert=True, skills=(skill,)) for _ in range(5)]
    for i, expert in enumerate(experts):
        await make_service(api, expert, duration=30, price=60 + i)
    wrong_skill = await make_person(api, server.admin_token, expert=True, skills=("pottery",))
    too_dear = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    busy = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    for expert in (wrong_skill, too_dear, busy):
        await make_service(api, expert, duration=30, price=200 if expert is too_dear else 50)
    booked = await book(api, client, await make_service(api, busy), t0.isoformat())
    await act(api, CONFIRM, busy, meetingId=booked["id"])

    async with (
        listening(server, experts) as streams,
        listening(server, [wrong_skill, too_dear, busy]),
    ):
        request_id = await offered_to_all(api, client, skill, experts, streams)
        results = await asyncio.gather(*(act(api, TAKE, expert, requestId=request_id) for expert in experts))
        assert Counter(r["__typename"] for r in results) == {"Meeting": 1, "AlreadyTaken": 4}
        winner_index = next(i for i, r in enumerate(results) if r["__typename"] == "Meeting")
        meeting = results[winner_index]
        assert (meeting["kind"], meeting["status"], meeting["creditStatus"]) == ("INSTANT", "AGREED", "BLOCKED")
        assert meeting["priceCredits"] == 60 + winner_index and meeting["canJoin"] and meeting["roomUrl"]
        for stream in streams:
            frame = (await stream.next_payload())["data"]["instantRequests"]
            assert (frame["id"], frame["status"]) == (request_id, "TAKEN")
    assert await holdings(api, client) == {  # exact, whoever won: the hold returned, the price blocked
        "available": 500 - 50 - (60 + winner_index),
        "blocked": 50 + 60 + winner_index,
        "heldForInstantRequests": 0,
    }
    row = await InstantRequest.get(id=request_id)
    assert str(row.meeting_id) == meeting["id"] and str(row.taken_by_id) == experts[winner_index].id
    # Its events go to these experts' streams only: the bystanders, subscribed too, were never told.
    assert set(row.notified_expert_ids) == {expert.id for expert in experts}


async def test_an_unanswered_request_expires_after_15_minutes_once(
    api: Api, server: RunningServer, clock: ServerClock
) -> None:
    t0 = start_of_test()
    clock.set(t0)
    skill = f"go-{uuid.uuid4().hex[:6]}"
    client = await make_person(api, server.admin_token, credits=500)
    expert = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    await make_service(api, expert, duration=30, price=40)
    async with listening(server, [expert]) as [stream]:
        request_id = await offered_to_all(api, client, skill, [expert], [stream])
        clock.set(t0 + timedelta(minutes=14, seconds=59))
        # Not yet due: its expiry is planned for the fifteenth minute exactly (no silence waited out).
        [expiry] = await ScheduledJob.filter(instant_request_id=request_id, status=JobStatus.PENDING)
        assert expiry.due_at == t0 + timedelta(minutes=15)
        assert (await InstantRequest.get(id=request_id)).status == "OPEN"
        clock.set(t0 + timedelta(minutes=15))
        frame = (await stream.next_payload())["data"]["instantRequests"]
        assert (frame["id"], frame["status"]) == (request_id, "EXPIRED")
        before = await server.snapshot()
        late = await act(api, TAKE, expert, requestId=request_id)
        assert late["code"] == "TOO_LATE"
        assert await server.snapshot() == before  # no change, so nothing to announce
    assert await holdings(api, client) == {"available": 500, "blocked": 0, "heldForInstantRequests": 0}


async def test_withdrawing_and_the_refusals_change_nothing(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person
) -> None:
    skill = f"rust-{uuid.uuid4().hex[:6]}"
    taker = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    await make_service(api, taker, duration=30, price=40)
    posted = await post(api, client, skill)
    request_id = posted["id"]

    await assert_refused(server, act(api, TAKE, expert, requestId=request_id), "NOT_FOUND")  # wrong skill
    await assert_refused(server, act(api, WITHDRAW, taker, requestId=request_id), "NOT_ALLOWED")
    await assert_refused(server, act(api, WITHDRAW, outsider, requestId=request_id), "NOT_FOUND")
    await assert_refused(server, post(api, client, skill, durationMinutes=2), "INVALID_INPUT")
    await assert_refused(server, post(api, client, skill, mode="IN_PERSON"), "INVALID_INPUT")
    await assert_refused(server, post(api, client, skill, maxPriceCredits=600), "INSUFFICIENT_CREDITS")
    await assert_refused(server, post(api, client, skill, expertId="00000000-0000-4000-8000-000000000000"), "NOT_FOUND")
    withdrawn = await act(api, WITHDRAW, client, requestId=request_id)
    assert withdrawn == {"__typename": "InstantRequest", "id": request_id, "status": "WITHDRAWN"}
    await assert_refused(server, act(api, TAKE, taker, requestId=request_id), "INVALID_STATE")

    direct = await post(api, client, "anything", expertId=taker.id)
    other_expert = await make_person(api, server.admin_token, expert=True, skills=("anything",))
    await assert_refused(server, act(api, TAKE, other_expert, requestId=direct["id"]), "NOT_FOUND")
    taken = await act(api, TAKE, taker, requestId=direct["id"])
    assert taken["kind"] == "INSTANT" and taken["priceCredits"] == 40


async def test_only_experts_subscribe_to_instant_requests(server: RunningServer, client: Person) -> None:
    subscriber = await Subscriber.open(server.ws_url, client.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(INSTANT_REQUESTS)
        refused = await subscriber.receive()
        errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
        assert errors[0]["extensions"]["code"] == "NOT_ALLOWED"
    finally:
        await subscriber.close()


async def test_expiry_still_happens_once_after_a_restart(tmp_path: Path) -> None:
    setup = scratch(tmp_path)
    with servers(setup.env, 1) as [url]:
        async with api_at(url) as api:
            client = await make_person(api, setup.admin_token, credits=100)
            posted = await post(api, client, "databases")
            assert posted["status"] == "OPEN"
    setup.clock.set(setup.start + timedelta(hours=1))
    with servers(setup.env, 1):
        async with orm_on(setup.env["DATABASE_URL"]):

            async def expired() -> bool:
                return str((await InstantRequest.get(id=posted["id"])).status) == "EXPIRED"

            await eventually(expired)
            jobs = await ScheduledJob.filter(instant_request_id=posted["id"]).values_list("status", flat=True)
            assert [str(j) for j in jobs] == ["DONE"]


async def test_an_open_request_holds_its_most_and_every_way_out_returns_it(
    api: Api, server: RunningServer, client: Person
) -> None:
    skill = f"kotlin-{uuid.uuid4().hex[:6]}"
    taker = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    await make_service(api, taker, duration=30, price=40)
    first = await post(api, client, skill, maxPriceCredits=100)
    assert await holdings(api, client) == {"available": 400, "blocked": 0, "heldForInstantRequests": 100}
    second = await post(api, client, skill, maxPriceCredits=400)
    assert await holdings(api, client) == {"available": 0, "blocked": 0, "heldForInstantRequests": 500}
    # A promise beyond what is left is refused, not posted: no taker can lose to it later.
    await assert_refused(server, post(api, client, skill, maxPriceCredits=1), "INSUFFICIENT_CREDITS")
    await act(api, WITHDRAW, client, requestId=second["id"])
    assert await holdings(api, client) == {"available": 400, "blocked": 0, "heldForInstantRequests": 100}
    taken = await act(api, TAKE, taker, requestId=first["id"])
    assert (taken["priceCredits"], taken["creditStatus"]) == (40, "BLOCKED")
    # The take returns the hold and blocks the taker's price, in one transaction.
    assert await holdings(api, client) == {"available": 460, "blocked": 40, "heldForInstantRequests": 0}


INBOX = """query($filter: InstantRequestFilterInput, $first: Int!, $after: String) {
  instantRequests(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id status topic } } pageInfo { hasNextPage endCursor } } }"""
ONE = """query($id: ID!) { instantRequest(id: $id) {
  __typename ... on InstantRequest { id status } ... on Problem { code } } }"""


async def inbox(api: Api, person: Person, first: int = 20, **filter: Any) -> list[tuple[str, str]]:
    data = await api.query(INBOX, {"filter": filter or None, "first": first}, person.token)
    return [(edge["node"]["id"], edge["node"]["status"]) for edge in data["instantRequests"]["edges"]]


async def test_an_expert_reloading_the_dashboard_finds_the_open_requests_it_may_take(
    api: Api, server: RunningServer, client: Person, outsider: Person
) -> None:
    skill = f"elixir-{uuid.uuid4().hex[:6]}"
    expert = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    other = await make_person(api, server.admin_token, expert=True, skills=("pottery",))
    older = await post(api, client, skill, maxPriceCredits=50)
    newer = await post(api, client, skill, maxPriceCredits=50)
    direct = await post(api, outsider, "pottery", maxPriceCredits=50, expertId=other.id)

    assert await inbox(api, expert) == [(newer["id"], "OPEN"), (older["id"], "OPEN")]  # newest first
    assert await inbox(api, other) == [(direct["id"], "OPEN")]  # named for them, whatever the skill
    assert (await api.query(ONE, {"id": older["id"]}, expert.token))["instantRequest"]["status"] == "OPEN"
    assert (await api.query(ONE, {"id": older["id"]}, other.token))["instantRequest"]["code"] == "NOT_FOUND"
    assert (await api.query(ONE, {"id": "nope"}, expert.token))["instantRequest"]["code"] == "NOT_FOUND"

    await act(api, WITHDRAW, client, requestId=older["id"])
    assert await inbox(api, expert) == [(newer["id"], "OPEN")]  # only what may still be taken
    assert await inbox(api, client) == [(newer["id"], "OPEN"), (older["id"], "WITHDRAWN")]  # the client's own
    assert await inbox(api, client, statuses=["WITHDRAWN"]) == [(older["id"], "WITHDRAWN")]
    page = (await api.query(INBOX, {"first": 1}, client.token))["instantRequests"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await api.query(INBOX, {"first": 1, "after": page["pageInfo"]["endCursor"]}, client.token)
    assert [edge["node"]["id"] for edge in rest["instantRequests"]["edges"]] == [older["id"]]


async def test_a_subscription_with_initial_first_sends_the_open_requests_it_may_take(
    api: Api, server: RunningServer, client: Person
) -> None:
    skill = f"ocaml-{uuid.uuid4().hex[:6]}"
    expert = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    waiting = await post(api, client, skill, maxPriceCredits=50)
    subscriber = await Subscriber.open(server.ws_url, expert.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe("subscription { instantRequests(initial: true) { id status } }")
        first = (await subscriber.next_payload())["data"]["instantRequests"]
        assert first == {"id": waiting["id"], "status": "OPEN"}
        await act(api, WITHDRAW, client, requestId=waiting["id"])
        ended = (await subscriber.next_payload())["data"]["instantRequests"]
        assert ended == {"id": waiting["id"], "status": "WITHDRAWN"}
    finally:
        await subscriber.close()


async def test_an_expert_who_is_offline_is_told_of_a_request_they_could_take(
    api: Api, server: RunningServer, client: Person
) -> None:
    skill = f"haskell-{uuid.uuid4().hex[:6]}"
    online, offline = [await make_person(api, server.admin_token, expert=True, skills=(skill,)) for _ in range(2)]
    too_dear = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    for expert in (online, offline):
        await make_service(api, expert, duration=30, price=40)
    await make_service(api, too_dear, duration=30, price=900)
    notices = "{ notifications(first: 50) { edges { node { type text meetingId } } } }"
    async with listening(server, [online]) as streams:
        request_id = await offered_to_all(api, client, skill, [online], streams)
    row = await InstantRequest.get(id=request_id)
    assert row.notified_expert_ids == [online.id]  # offered live to the online one only

    # One notice per post (offered_to_all may post again until the online expert is heard).
    told_all = [e["node"] for e in (await api.query(notices, token=offline.token))["notifications"]["edges"]]
    told = told_all[0]
    assert {node["type"] for node in told_all} == {"INSTANT_REQUEST"} and told["meetingId"] is None
    assert told["text"].startswith("A client asks for help now: Stuck on a query") and "Come online" in told["text"]
    assert (await api.query(notices, token=too_dear.token))["notifications"]["edges"] == []  # no match
    # The online expert was offered it live, not told: notices only of the posts made before it was heard.
    online_notices = (await api.query(notices, token=online.token))["notifications"]["edges"]
    assert len(online_notices) == len(told_all) - 1
    mail = await ScheduledJob.filter(kind="SEND_EMAIL", notification__recipient_id=offline.id).count()
    assert mail == len(told_all)  # and an e-mail each, on the durable job path


async def test_an_experts_time_to_take_is_measured_beside_their_response_time(
    api: Api, server: RunningServer, clock: ServerClock, client: Person
) -> None:
    t0 = start_of_test()
    clock.set(t0)
    skill = f"scala-{uuid.uuid4().hex[:6]}"
    taker = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    await make_service(api, taker, duration=30, price=40)
    measured = "query($id: ID!) { expert(id: $id) { timeToTakeMinutes responseTimeMinutes } }"
    assert (await api.query(measured, {"id": taker.id}))["expert"]["timeToTakeMinutes"] is None  # none taken yet
    posted = await post(api, client, skill, expertId=taker.id)
    clock.set(t0 + timedelta(minutes=6))
    assert (await act(api, TAKE, taker, requestId=posted["id"]))["__typename"] == "Meeting"
    assert (await api.query(measured, {"id": taker.id}))["expert"]["timeToTakeMinutes"] == 6.0
