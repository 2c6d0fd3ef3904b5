"""`requestSession`: a meeting with no start yet, the expert picks one of the client's times."""

from datetime import datetime, timedelta
from typing import Any

from tests.api.test_offer_timing import OFFERS, offer_status_becomes
from tests.api.test_refusals import assert_refused
from tests.api.test_rescheduling import agreed, pending, same_instant
from tests.api.test_timed import start_of_test, status_becomes
from tests.support.factories import (
    CONFIRM,
    DECLINE,
    OFFERED_MEETING,
    RESPOND,
    WITHDRAW,
    Person,
    act,
    balance,
    hours_from_now,
    make_person,
)
from tests.support.graphql import Api
from tests.support.server import RunningServer, ServerClock
from tests.support.tables import ledger_of

REQUEST = f"""
mutation($input: RequestSessionInput!) {{
  requestSession(input: $input) {{ __typename ... on Meeting {{ {OFFERED_MEETING} }} ... on Problem {{ code message }} }}
}}"""
MY_MEETINGS = """query($after: String) { meetings(first: 1, after: $after) {
  edges { cursor node { id startsAt } } pageInfo { hasNextPage } } }"""


def request(api: Api, client: Person, service_id: str, times: list[str], mode: str = "VIDEO") -> Any:
    return act(api, REQUEST, client, serviceId=service_id, times=times, durationMinutes=60, mode=mode)


async def test_the_expert_picks_one_requested_time_and_the_meeting_is_agreed(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    times = [hours_from_now(h) for h in (30, 32, 34)]
    requested = await request(api, client, service_id, times)
    assert requested["status"] == "AWAITING_APPROVAL" and requested["startsAt"] is None
    assert requested["creditStatus"] == "BLOCKED" and requested["roomUrl"] is None
    offer = pending(requested)
    assert (offer["purpose"], offer["madeBy"], offer["holdsTimes"]) == ("SESSION_REQUEST", "CLIENT", False)
    assert same_instant(offer["expiresAt"], times[0])
    assert await balance(api, client) == {"available": 450, "blocked": 50, "pendingEarnings": 0}

    refused = await act(api, CONFIRM, expert, meetingId=requested["id"])
    assert refused["code"] == "INVALID_STATE"
    picked = await act(api, RESPOND, expert, offerId=offer["id"], decision="ACCEPT", startsAt=times[1])
    assert picked["status"] == "AGREED" and same_instant(picked["startsAt"], times[1])
    assert picked["roomUrl"] and picked["creditStatus"] == "BLOCKED"
    assert await ledger_of(requested["id"]) == [("BLOCK", 50)]


async def test_a_pick_over_the_experts_other_meeting_needs_acknowledging(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    other = await agreed(api, client, expert, service_id, 40)
    requested = await request(api, client, service_id, [other["startsAt"]])
    offer = pending(requested)
    await assert_refused(
        server, act(api, RESPOND, expert, offerId=offer["id"], decision="ACCEPT"), "CONFLICT_NOT_ACKNOWLEDGED"
    )
    taken = await act(api, RESPOND, expert, offerId=offer["id"], decision="ACCEPT", acknowledgeOverlap=True)
    assert taken["status"] == "AGREED" and taken["overlapAcknowledged"]


async def test_declining_or_withdrawing_a_request_returns_the_credits(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    declined = await request(api, client, service_id, [hours_from_now(50)])
    by_decline = await act(api, DECLINE, expert, meetingId=declined["id"], reason="NOT_AVAILABLE")
    assert by_decline["status"] == "REJECTED" and by_decline["creditStatus"] == "RETURNED"
    lapsed = (await api.query(OFFERS, {"id": declined["id"]}, client.token))["meeting"]["offers"]
    assert [o["status"] for o in lapsed] == ["EXPIRED"]  # it lapsed with the meeting

    rejected = await request(api, client, service_id, [hours_from_now(52)])
    by_reject = await act(api, RESPOND, expert, offerId=pending(rejected)["id"], decision="REJECT")
    assert by_reject["status"] == "REJECTED" and by_reject["offers"][0]["status"] == "REJECTED"

    withdrawn = await request(api, client, service_id, [hours_from_now(54)])
    by_withdrawal = await act(api, WITHDRAW, client, offerId=pending(withdrawn)["id"])
    assert by_withdrawal["status"] == "CANCELLED" and by_withdrawal["creditStatus"] == "RETURNED"
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}
    for meeting in (declined, rejected, withdrawn):
        assert await ledger_of(meeting["id"]) == [("BLOCK", 50), ("RELEASE", 50)]


async def test_an_unanswered_request_expires_at_its_earliest_time(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    t0 = start_of_test()
    clock.set(t0)
    earliest = t0 + timedelta(hours=5)
    requested = await request(
        api, client, service_id, [(earliest + timedelta(hours=2)).isoformat(), earliest.isoformat()]
    )
    clock.set(earliest)
    await status_becomes(api, client, requested["id"], "EXPIRED")
    await offer_status_becomes(api, client, requested["id"], "EXPIRED")
    assert await ledger_of(requested["id"]) == [("BLOCK", 50), ("RELEASE", 50)]


async def test_request_refusals_and_a_list_with_a_requested_session(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    client = await make_person(api, server.admin_token, credits=60)
    six = [hours_from_now(60 + h) for h in range(6)]
    await assert_refused(server, request(api, client, service_id, six), "LIMIT_EXCEEDED")
    await assert_refused(server, request(api, client, service_id, []), "INVALID_INPUT")
    await assert_refused(server, request(api, client, service_id, [hours_from_now(-3)]), "INVALID_INPUT")
    await assert_refused(server, request(api, expert, service_id, six[:1]), "INVALID_INPUT")
    await assert_refused(server, request(api, client, service_id, six[:1], mode="CHAT"), "NOT_OFFERED")
    first = await request(api, client, service_id, six[:2])
    assert first["__typename"] == "Meeting"
    await assert_refused(server, request(api, client, service_id, six[2:3]), "INSUFFICIENT_CREDITS")

    agreed_id = (await agreed(api, await make_person(api, server.admin_token, credits=60), expert, service_id, 70))[
        "id"
    ]
    seen: list[tuple[str, str | None]] = []
    after = None
    for _ in range(3):
        page = (await api.query(MY_MEETINGS, {"after": after}, expert.token))["meetings"]
        seen += [(e["node"]["id"], e["node"]["startsAt"]) for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["edges"][-1]["cursor"]
    assert seen[0] == (first["id"], None)  # no start yet: listed first
    assert [i for i, _ in seen] == [first["id"], agreed_id]
    assert datetime.fromisoformat(str(seen[1][1]))
