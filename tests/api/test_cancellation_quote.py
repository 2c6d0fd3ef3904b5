"""`cancellationQuote` says exactly what `cancelMeeting` then does, for every window and side."""

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.test_refusals import assert_refused
from tests.support.factories import CANCEL, CONFIRM, PROPOSE, Person, act, balance, book, hours_from_now
from tests.support.graphql import Api
from tests.support.server import RunningServer, ServerClock

QUOTE = """query($id: ID!, $as: Side) { cancellationQuote(meetingId: $id, actingAs: $as) {
  __typename
  ... on CancellationQuote {
    side allowed acknowledgementNeeded refundCredits chargeAtRiskCredits settlementDueAt
    problem { code message }
  }
  ... on Problem { code message }
} }"""


async def quote(api: Api, person: Person, meeting_id: str, acting_as: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = (await api.query(QUOTE, {"id": meeting_id, "as": acting_as}, person.token))[
        "cancellationQuote"
    ]
    return result


async def agreed_at(api: Api, client: Person, expert: Person, service_id: str, hours: float) -> str:
    meeting = await book(api, client, service_id, hours_from_now(hours))
    assert (await act(api, CONFIRM, expert, meetingId=meeting["id"]))["status"] == "AGREED"
    return str(meeting["id"])


@pytest.mark.parametrize(
    ("side", "hours", "acknowledgement", "refund", "at_risk"),
    [
        ("CLIENT", 48, False, 50, 0),  # outside the client's 24-hour window
        ("CLIENT", 10, True, 0, 50),  # inside it: acknowledged, the expert settles
        ("EXPERT", 72, False, 50, 0),  # outside the expert's 48-hour short notice
        ("EXPERT", 10, True, 50, 0),  # inside it: acknowledged, always refunded
    ],
)
async def test_the_quote_matches_the_cancellation(
    api: Api,
    server: RunningServer,
    client: Person,
    expert: Person,
    service_id: str,
    side: str,
    hours: float,
    acknowledgement: bool,
    refund: int,
    at_risk: int,
    clock: ServerClock,
) -> None:
    clock.set(datetime.now(UTC).replace(microsecond=0))  # the quote's deadline is the cancel's
    meeting_id = await agreed_at(api, client, expert, service_id, hours)
    canceller = client if side == "CLIENT" else expert
    before = await server.snapshot()
    quoted = await quote(api, canceller, meeting_id)
    assert await server.snapshot() == before  # asking changes nothing
    assert quoted["side"] == side and quoted["allowed"] and quoted["problem"] is None
    assert (quoted["acknowledgementNeeded"], quoted["refundCredits"], quoted["chargeAtRiskCredits"]) == (
        acknowledgement,
        refund,
        at_risk,
    )
    reason = {"reason": "ILLNESS"} if side == "EXPERT" else {}
    if acknowledgement:
        await assert_refused(
            server, act(api, CANCEL, canceller, meetingId=meeting_id, **reason), "LATE_NOTICE_NOT_ACKNOWLEDGED"
        )
    blocked_before = (await balance(api, client))["blocked"]
    cancelled = await act(api, CANCEL, canceller, meetingId=meeting_id, acknowledgeLateNotice=acknowledgement, **reason)
    assert cancelled["status"] == "CANCELLED"
    assert blocked_before - (await balance(api, client))["blocked"] == refund
    assert (cancelled["creditStatus"] == "BLOCKED") == bool(at_risk)
    due = quoted["settlementDueAt"]
    assert (due and datetime.fromisoformat(due)) == (
        cancelled["settlementDueAt"] and datetime.fromisoformat(cancelled["settlementDueAt"])
    )


async def test_a_refused_cancellation_is_quoted_with_the_same_problem(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    invited = await act(
        api,
        PROPOSE,
        expert,
        clientId=client.id,
        serviceId=service_id,
        startsAt=hours_from_now(90),
        durationMinutes=60,
        priceCredits=30,
        mode="VIDEO",
    )
    quoted = await quote(api, client, invited["id"])
    assert not quoted["allowed"] and quoted["problem"]["code"] == "NOT_ALLOWED"
    refused = await assert_refused(server, act(api, CANCEL, client, meetingId=invited["id"]), "NOT_ALLOWED")
    assert quoted["problem"]["message"] == refused["message"]

    cancelled = await act(api, CANCEL, expert, meetingId=invited["id"])
    assert cancelled["status"] == "CANCELLED"
    again = await quote(api, expert, invited["id"])
    assert again["problem"]["code"] == "INVALID_STATE"
    await assert_refused(server, act(api, CANCEL, expert, meetingId=invited["id"]), "INVALID_STATE")

    assert (await quote(api, outsider, invited["id"]))["code"] == "NOT_FOUND"
    as_client = await quote(api, expert, invited["id"], "CLIENT")
    assert as_client["side"] == "EXPERT"  # a participant always speaks for their own side
    admin = Person(id="", token=server.admin_token, email="")
    meeting_id = await agreed_at(api, client, expert, service_id, 10)
    for_client = await quote(api, admin, meeting_id, "CLIENT")
    assert (for_client["side"], for_client["chargeAtRiskCredits"]) == ("CLIENT", 50)
    assert (await quote(api, admin, meeting_id))["side"] == "EXPERT"
