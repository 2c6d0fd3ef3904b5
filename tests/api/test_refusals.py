"""Every refused action answers a typed Problem and leaves the database exactly as it was."""

from collections.abc import Awaitable
from typing import Any

from tests.support.factories import (
    CANCEL,
    CONFIRM,
    CREATE_SERVICE,
    CREATE_USER,
    DECLINE,
    GRANT,
    PROPOSE,
    SETTLE,
    Person,
    act,
    book,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api
from tests.support.server import RunningServer

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


async def assert_refused(server: RunningServer, action: Awaitable[dict[str, Any]], code: str) -> dict[str, Any]:
    before = await server.snapshot()
    result = await action
    assert result.get("code") == code, result
    assert result["message"]
    assert await server.snapshot() == before
    return result


async def test_booking_refusals(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    start = hours_from_now(72)
    await assert_refused(server, book(api, client, UNKNOWN_ID, start), "NOT_FOUND")
    await assert_refused(server, book(api, client, "not-an-id", start), "NOT_FOUND")
    await assert_refused(server, book(api, client, service_id, start, duration=45), "NOT_OFFERED")
    await assert_refused(server, book(api, client, service_id, start, mode="CHAT"), "NOT_OFFERED")
    await assert_refused(server, book(api, client, service_id, hours_from_now(-2)), "INVALID_INPUT")
    await assert_refused(server, book(api, client, service_id, start.replace(":00+", ":30+")), "INVALID_INPUT")
    await assert_refused(server, book(api, client, service_id, "9999-12-31T23:30:00+00:00"), "INVALID_INPUT")
    await assert_refused(server, book(api, expert, service_id, start), "INVALID_INPUT")

    poor = await make_person(api, server.admin_token, credits=49)
    refused = await assert_refused(server, book(api, poor, service_id, start), "INSUFFICIENT_CREDITS")
    assert refused["message"] == "this needs 50 credits; 49 are available"

    first = await book(api, client, service_id, start)
    assert first["__typename"] == "Meeting"
    overlapping = hours_from_now(72.5)
    await assert_refused(server, book(api, client, service_id, overlapping), "SLOT_TAKEN")
    touching = hours_from_now(73)
    assert (await book(api, client, service_id, touching))["__typename"] == "Meeting"


async def test_answer_refusals(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(72))
    mid = meeting["id"]
    await assert_refused(server, act(api, CONFIRM, client, meetingId=mid), "NOT_ALLOWED")
    await assert_refused(server, act(api, DECLINE, client, meetingId=mid, reason="OTHER"), "NOT_ALLOWED")
    await assert_refused(server, act(api, CANCEL, expert, meetingId=mid), "NOT_ALLOWED")
    await assert_refused(server, act(api, CONFIRM, outsider, meetingId=mid), "NOT_FOUND")
    await assert_refused(server, act(api, CONFIRM, expert, meetingId=UNKNOWN_ID), "NOT_FOUND")
    await assert_refused(server, act(api, SETTLE, expert, meetingId=mid, decision="CHARGE"), "INVALID_STATE")

    await act(api, DECLINE, expert, meetingId=mid, reason="NOT_AVAILABLE")
    await assert_refused(server, act(api, CONFIRM, expert, meetingId=mid), "INVALID_STATE")
    await assert_refused(server, act(api, CANCEL, client, meetingId=mid, acknowledgeLateNotice=True), "INVALID_STATE")


async def test_settlement_refusals(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(5))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    await act(api, CANCEL, client, meetingId=meeting["id"], acknowledgeLateNotice=True)
    await assert_refused(server, act(api, SETTLE, client, meetingId=meeting["id"], decision="WAIVE"), "NOT_ALLOWED")


async def test_an_expert_confirming_over_another_meeting_must_acknowledge(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    proposed = await act(
        api,
        PROPOSE,
        expert,
        clientId=client.id,
        serviceId=service_id,
        startsAt=hours_from_now(72),
        durationMinutes=60,
        priceCredits=10,
        mode="VIDEO",
    )
    assert proposed["__typename"] == "Meeting"
    other_client = await make_person(api, server.admin_token, credits=100)
    # The proposal holds the expert's time, so a booking over it is refused...
    await assert_refused(server, book(api, other_client, service_id, hours_from_now(72.5)), "SLOT_TAKEN")
    # ...and a second proposal over it needs the expert's acknowledgement.
    second = {
        "clientId": other_client.id,
        "serviceId": service_id,
        "startsAt": hours_from_now(72.5),
        "durationMinutes": 60,
        "priceCredits": 10,
        "mode": "VIDEO",
    }
    await assert_refused(server, act(api, PROPOSE, expert, **second), "CONFLICT_NOT_ACKNOWLEDGED")
    acknowledged = await act(api, PROPOSE, expert, **second, acknowledgeOverlap=True)
    assert (acknowledged["status"], acknowledged["overlapAcknowledged"]) == ("AWAITING_APPROVAL", True)


async def test_confirming_a_booking_that_now_overlaps_needs_acknowledgement(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(90))
    other_client = await make_person(api, server.admin_token, credits=100)
    overlapping = await act(
        api,
        PROPOSE,
        expert,
        clientId=other_client.id,
        serviceId=service_id,
        startsAt=hours_from_now(90.5),
        durationMinutes=60,
        priceCredits=0,
        mode="VIDEO",
        acknowledgeOverlap=True,
    )
    assert overlapping["__typename"] == "Meeting"
    await assert_refused(server, act(api, CONFIRM, expert, meetingId=booked["id"]), "CONFLICT_NOT_ACKNOWLEDGED")
    confirmed = await act(api, CONFIRM, expert, meetingId=booked["id"], acknowledgeOverlap=True)
    assert (confirmed["status"], confirmed["overlapAcknowledged"]) == ("AGREED", True)


async def test_a_client_short_of_credits_cannot_confirm_a_proposal(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    poor = await make_person(api, server.admin_token, credits=5)
    proposed = await act(
        api,
        PROPOSE,
        expert,
        clientId=poor.id,
        serviceId=service_id,
        startsAt=hours_from_now(72),
        durationMinutes=60,
        priceCredits=6,
        mode="VIDEO",
    )
    await assert_refused(server, act(api, CONFIRM, poor, meetingId=proposed["id"]), "INSUFFICIENT_CREDITS")


async def test_proposal_refusals(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    base = {
        "clientId": client.id,
        "serviceId": service_id,
        "startsAt": hours_from_now(72),
        "durationMinutes": 60,
        "priceCredits": 10,
        "mode": "VIDEO",
    }
    other_expert = await make_person(api, server.admin_token, expert=True)
    await assert_refused(server, act(api, PROPOSE, other_expert, **base), "NOT_ALLOWED")
    await assert_refused(server, act(api, PROPOSE, expert, **{**base, "clientId": UNKNOWN_ID}), "NOT_FOUND")
    await assert_refused(server, act(api, PROPOSE, expert, **{**base, "clientId": expert.id}), "INVALID_INPUT")
    await assert_refused(server, act(api, PROPOSE, expert, **{**base, "priceCredits": -1}), "INVALID_INPUT")
    await assert_refused(server, act(api, PROPOSE, expert, **{**base, "durationMinutes": 0}), "INVALID_INPUT")
    await assert_refused(server, act(api, PROPOSE, expert, **{**base, "mode": "IN_PERSON"}), "NOT_OFFERED")
    await assert_refused(server, act(api, PROPOSE, expert, **{**base, "skill": "juggling"}), "INVALID_INPUT")


async def test_admin_only_and_account_refusals(api: Api, server: RunningServer, client: Person, expert: Person) -> None:
    new_user = {"name": "X", "email": "x@example.com", "timeZone": "UTC"}
    await assert_refused(server, act(api, CREATE_USER, client, **new_user), "NOT_ALLOWED")
    await assert_refused(server, act(api, GRANT, client, userId=client.id, amount=10), "NOT_ALLOWED")
    admin = Person(id="", token=server.admin_token, email="")
    await assert_refused(server, act(api, GRANT, admin, userId=client.id, amount=0), "INVALID_INPUT")
    await assert_refused(server, act(api, GRANT, admin, userId=client.id, amount=-5), "INVALID_INPUT")
    await assert_refused(server, act(api, GRANT, admin, userId=client.id, amount=1_000_001), "INVALID_INPUT")
    await assert_refused(server, act(api, GRANT, admin, userId=UNKNOWN_ID, amount=5), "NOT_FOUND")
    await assert_refused(
        server, act(api, CREATE_USER, admin, **{**new_user, "timeZone": "Mars/Olympus"}), "INVALID_INPUT"
    )
    await assert_refused(server, act(api, CREATE_USER, admin, **{**new_user, "email": client.email}), "INVALID_INPUT")
    await assert_refused(server, act(api, CREATE_USER, admin, **{**new_user, "name": "n" * 121}), "INVALID_INPUT")
    service = {"title": "T", "offerings": [{"durationMinutes": 30, "priceCredits": 5}], "modes": ["CHAT"]}
    await assert_refused(server, act(api, CREATE_SERVICE, client, **service), "NOT_ALLOWED")
    await assert_refused(
        server, act(api, CREATE_SERVICE, expert, **{**service, "modes": ["IN_PERSON"]}), "INVALID_INPUT"
    )
    await assert_refused(server, act(api, CREATE_SERVICE, expert, **{**service, "offerings": []}), "INVALID_INPUT")
    await assert_refused(
        server,
        act(api, CREATE_SERVICE, expert, **{**service, "offerings": [{"durationMinutes": 30, "priceCredits": -1}]}),
        "INVALID_INPUT",
    )
    await assert_refused(server, act(api, CREATE_SERVICE, expert, **{**service, "expertId": client.id}), "NOT_ALLOWED")


async def test_an_expert_can_book_another_expert_as_a_client(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    other_expert = await make_person(api, server.admin_token, expert=True, credits=100)
    meeting = await book(api, other_expert, service_id, hours_from_now(72))
    assert (meeting["status"], meeting["viewerSide"]) == ("AWAITING_APPROVAL", "CLIENT")
    own_service = await make_service(api, other_expert)
    # While attending as a client, that expert is not free to be booked.
    someone = await make_person(api, server.admin_token, credits=100)
    await assert_refused(server, book(api, someone, own_service, hours_from_now(72)), "SLOT_TAKEN")
