"""Per-minute sessions over HTTP: the cap blocked at booking, billable time started, paused and
resumed by the expert and seen live by both sides, the charge at the end and the rest returned."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.api.test_instant import TAKE, post
from tests.api.test_money import ledger_report
from tests.api.test_refusals import assert_refused
from tests.api.test_timed import JOIN, agreed_from_now
from tests.support.factories import Person, act, balance, earnings, make_person, make_service
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock
from tests.support.tables import ledger_of

PER_MINUTE = {"rateCredits": 2, "minimumMinutes": 15, "capMinutes": 60}
BILLING_FIELDS = "status creditStatus priceCredits rateCredits billedSeconds billingSince chargeSoFarCredits version"


def billing_mutation(name: str) -> str:
    return f"""mutation($id: ID!) {{ {name}(input: {{meetingId: $id}}) {{
      __typename ... on Meeting {{ {BILLING_FIELDS} }} ... on Problem {{ code message }} }} }}"""


START, PAUSE, RESUME = (
    billing_mutation(name) for name in ("startBillableTime", "pauseBillableTime", "resumeBillableTime")
)
END = billing_mutation("endMeeting")
WATCH = f"subscription($id: ID!) {{ meetingUpdated(meetingId: $id) {{ {BILLING_FIELDS} }} }}"


async def mark(api: Api, mutation: str, person: Person, meeting_id: str) -> dict[str, Any]:
    result: dict[str, Any] = next(iter((await api.query(mutation, {"id": meeting_id}, person.token)).values()))
    return result


async def test_a_per_minute_session_charges_its_billable_time_and_returns_the_rest(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person
) -> None:
    service_id = await make_service(api, expert, price=0, duration=60, per_minute=PER_MINUTE)
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    assert await balance(api, client) == {"available": 380, "blocked": 120, "pendingEarnings": 0}  # 2 x 60-minute cap

    clock.set(starts_at)
    refused = await assert_refused(server, mark(api, START, expert, meeting_id), "INVALID_STATE")
    assert refused["message"] == "billable time runs only while both sides are in the session"
    for person in (client, expert):
        await api.query(JOIN, {"id": meeting_id}, person.token)

    watching = await Subscriber.open(server.ws_url, client.token)
    try:
        await watching.expect_ack()
        await watching.subscribe(WATCH, {"id": meeting_id})
        await watching.next_payload()  # the current state
        await assert_refused(server, mark(api, START, client, meeting_id), "NOT_ALLOWED")
        clock.set(starts_at + timedelta(minutes=5))  # context built: the clock starts
        started = await mark(api, START, expert, meeting_id)
        assert (started["billingSince"] is not None, started["chargeSoFarCredits"]) == (True, 30)  # the minimum
        heard = (await watching.next_payload())["data"]["meetingUpdated"]
        assert (heard["version"], heard["billingSince"]) == (started["version"], started["billingSince"])

        clock.set(starts_at + timedelta(minutes=25))
        paused = await mark(api, PAUSE, expert, meeting_id)
        assert (paused["billedSeconds"], paused["billingSince"], paused["chargeSoFarCredits"]) == (1200, None, 40)
        assert (await watching.next_payload())["data"]["meetingUpdated"]["billedSeconds"] == 1200
        await assert_refused(server, mark(api, PAUSE, expert, meeting_id), "INVALID_STATE")

        clock.set(starts_at + timedelta(minutes=40))
        await mark(api, RESUME, expert, meeting_id)
        clock.set(starts_at + timedelta(minutes=52, seconds=30))
        ended = await mark(api, END, expert, meeting_id)
        # 20 + 12.5 minutes: 33 started minutes at 2 credits, the other 54 of the 120 returned
        assert (ended["status"], ended["creditStatus"], ended["priceCredits"]) == ("COMPLETED", "CHARGED", 66)
        assert (ended["billedSeconds"], ended["chargeSoFarCredits"]) == (1950, 66)
        heard = (await watching.next_payload())["data"]["meetingUpdated"]
        while heard["status"] != "COMPLETED":
            heard = (await watching.next_payload())["data"]["meetingUpdated"]
        assert heard["priceCredits"] == 66
    finally:
        await watching.close()

    assert await ledger_of(meeting_id) == [
        ("BLOCK", 120),
        ("CHARGE", 66),
        ("RELEASE", 54),
        ("EARNING", 57),
        ("PLATFORM_FEE", 9),
    ]
    assert await balance(api, client) == {"available": 434, "blocked": 0, "pendingEarnings": 0}
    assert (await earnings(api, expert))["pendingEarnings"] == 57
    report = await ledger_report(api, server.admin_token, starts_at - timedelta(days=1), starts_at + timedelta(days=1))
    assert report["balanced"], report["problems"]


async def test_a_per_minute_session_never_started_costs_nothing_and_fixed_price_sessions_have_no_billable_time(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    per_minute = await make_service(api, expert, price=0, duration=60, per_minute=PER_MINUTE)
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, per_minute, hours=2)
    clock.set(starts_at)
    for person in (client, expert):
        await api.query(JOIN, {"id": meeting_id}, person.token)
    ended = await mark(api, END, expert, meeting_id)
    assert (ended["creditStatus"], ended["priceCredits"], ended["chargeSoFarCredits"]) == ("CHARGED", 0, 0)
    assert await ledger_of(meeting_id) == [("BLOCK", 120), ("RELEASE", 120)]

    fixed, fixed_start = await agreed_from_now(api, clock, client, expert, service_id, hours=5)
    clock.set(fixed_start)
    for person in (client, expert):
        await api.query(JOIN, {"id": fixed}, person.token)
    refused = await assert_refused(server, mark(api, START, expert, fixed), "INVALID_STATE")
    assert refused["message"] == "this session has a fixed price: it has no billable time"
    assert (await mark(api, END, expert, fixed))["chargeSoFarCredits"] is None


async def test_an_instant_request_taken_with_a_per_minute_service_is_billed_per_minute(
    api: Api, server: RunningServer, clock: ServerClock, client: Person
) -> None:
    skill = f"sql-{uuid.uuid4().hex[:6]}"
    taker = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    await make_service(api, taker, price=0, duration=30, per_minute={"rateCredits": 2, "minimumMinutes": 10})
    now = datetime.now(UTC).replace(microsecond=0)
    clock.set(now)
    posted = await post(api, client, skill, maxPriceCredits=60)
    taken = await act(api, TAKE, taker, requestId=posted["id"])
    assert (taken["priceCredits"], taken["creditStatus"]) == (60, "BLOCKED")  # 2 x 30 minutes at most
    for person in (client, taker):
        await api.query(JOIN, {"id": taken["id"]}, person.token)
    started = await mark(api, START, taker, taken["id"])
    assert started["rateCredits"] == 2
    clock.set(now + timedelta(minutes=4))
    ended = await mark(api, END, taker, taken["id"])
    assert (ended["priceCredits"], ended["billedSeconds"]) == (20, 240)  # 4 minutes: the 10-minute minimum
    assert await ledger_of(taken["id"]) == [
        ("BLOCK", 60),
        ("CHARGE", 20),
        ("RELEASE", 40),
        ("EARNING", 17),
        ("PLATFORM_FEE", 3),
    ]
