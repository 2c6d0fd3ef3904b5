"""Concurrent requests against a real uvicorn: exactly one winner, a consistent ledger."""

import asyncio
from collections import Counter

from app.domain.meetings import MeetingStatus
from app.models import Meeting
from tests.support.factories import (
    CANCEL,
    CONFIRM,
    Person,
    act,
    balance,
    book,
    hours_from_now,
    make_person,
)
from tests.support.graphql import Api
from tests.support.server import RunningServer
from tests.support.tables import ledger_of, status_of


async def test_twenty_clients_booking_one_slot_leave_exactly_one_booking(
    api: Api, server: RunningServer, service_id: str
) -> None:
    clients = [await make_person(api, server.admin_token, credits=100) for _ in range(20)]
    start = hours_from_now(120)
    results = await asyncio.gather(*(book(api, c, service_id, start) for c in clients))
    outcomes = Counter(r["__typename"] for r in results)
    assert outcomes == {"Meeting": 1, "SlotTaken": 19}
    winner = next(c for c, r in zip(clients, results, strict=True) if r["__typename"] == "Meeting")
    for person in clients:
        expected_blocked = 50 if person is winner else 0
        assert await balance(api, person) == {
            "available": 100 - expected_blocked,
            "blocked": expected_blocked,
            "pendingEarnings": 0,
        }
    assert await Meeting.filter(service_id=service_id, status=MeetingStatus.AWAITING_APPROVAL).count() == 1


async def test_one_client_racing_itself_never_overspends(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    client = await make_person(api, server.admin_token, credits=120)
    starts = [hours_from_now(200 + 2 * i) for i in range(6)]
    results = await asyncio.gather(*(book(api, client, service_id, s) for s in starts))
    outcomes = Counter(r["__typename"] for r in results)
    assert outcomes == {"Meeting": 2, "InsufficientCredits": 4}
    assert await balance(api, client) == {"available": 20, "blocked": 100, "pendingEarnings": 0}


async def test_a_confirm_racing_a_cancel_has_exactly_one_winner(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    # Inside the client's window: once confirmed, an unacknowledged cancel is refused;
    # once cancelled, there is nothing left to confirm. Either way, one side wins.
    meetings = [await book(api, client, service_id, hours_from_now(2 + 2 * i)) for i in range(8)]
    for meeting in meetings:
        confirm, cancel = await asyncio.gather(
            act(api, CONFIRM, expert, meetingId=meeting["id"]),
            act(api, CANCEL, client, meetingId=meeting["id"]),
        )
        winners = [r for r in (confirm, cancel) if r["__typename"] == "Meeting"]
        assert len(winners) == 1, (confirm, cancel)
        ledger = await ledger_of(meeting["id"])
        if confirm["__typename"] == "Meeting":
            assert cancel["code"] == "LATE_NOTICE_NOT_ACKNOWLEDGED"
            assert ledger == [("BLOCK", 50)]
        else:
            assert confirm["code"] == "INVALID_STATE"
            assert ledger == [("BLOCK", 50), ("RELEASE", 50)]
    blocked = sum([await status_of(m["id"]) == "AGREED" for m in meetings])
    assert await balance(api, client) == {
        "available": 500 - 50 * blocked,
        "blocked": 50 * blocked,
        "pendingEarnings": 0,
    }
