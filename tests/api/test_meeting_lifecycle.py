"""A client and an expert walk through the core lifecycle over real HTTP and WebSockets.

Each time, both participants receive the change on `meetingUpdated`, while an
outsider subscribed at the same moment receives nothing and gets NOT_FOUND.
"""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosedError

from tests.support.factories import (
    CANCEL,
    CONFIRM,
    DECLINE,
    PROPOSE,
    SETTLE,
    Person,
    act,
    balance,
    book,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock
from tests.support.tables import ledger_of

MEETING_UPDATED = """
subscription($id: ID) {
  meetingUpdated(meetingId: $id) { id status creditStatus version viewerSide }
}"""
READ_MEETING = """
query($id: ID!) {
  meeting(id: $id) {
    __typename
    ... on Meeting { id status timeline { type actorSide } }
    ... on Problem { code message }
  }
}"""
NOTIFICATIONS = "{ notifications(first: 20) { edges { node { type text meetingId read } } } }"


@asynccontextmanager
async def watching(server: RunningServer, person: Person, meeting_id: str) -> AsyncIterator[Subscriber]:
    """A subscription to one meeting, live once its first frame (the current state) arrived."""
    subscriber = await Subscriber.open(server.ws_url, person.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(MEETING_UPDATED, {"id": meeting_id})
        first = await subscriber.next_payload()
        assert first["data"]["meetingUpdated"]["id"] == meeting_id
        yield subscriber
    finally:
        await subscriber.close()


@dataclass
class Watcher:
    """An all-meetings subscription, and a way to make a change it must hear: `booker`
    books `service_id` at a time of its own."""

    subscriber: Subscriber
    api: Api
    booker: Person
    service_id: str
    hours_ahead: float

    async def book(self) -> str:
        self.hours_ahead += 2
        meeting = await book(self.api, self.booker, self.service_id, hours_from_now(self.hours_ahead))
        assert meeting["__typename"] == "Meeting", meeting
        return str(meeting["id"])

    async def next_meeting_id(self, timeout: float = 5.0) -> str:
        return str((await self.subscriber.next_payload(timeout))["data"]["meetingUpdated"]["id"])

    async def prove_live(self) -> None:
        """The subscription has no first frame and registers asynchronously: book until a frame
        arrives. Every booking after the one it is of is heard too, in order: expected, not
        waited out."""
        booked: list[str] = []
        for _ in range(10):
            booked.append(await self.book())
            try:
                heard = booked.index(await self.next_meeting_id(timeout=1))
            except TimeoutError:
                continue
            for later in booked[heard + 1 :]:
                assert await self.next_meeting_id() == later
            return
        raise AssertionError("the subscription never became live")

    async def hears_nothing_before_its_own_change(self) -> None:
        """Frames to one subscriber keep the order of the changes, so a frame of any change
        made before this booking would arrive before the booking's own."""
        marker = await self.book()
        assert await self.next_meeting_id() == marker, "heard another meeting first"


@asynccontextmanager
async def outsider_watching_everything(api: Api, server: RunningServer, outsider: Person) -> AsyncIterator[Watcher]:
    """The outsider's all-meetings subscription, proven live by bookings of their own."""
    other_expert = await make_person(api, server.admin_token, expert=True)
    other_service = await make_service(api, other_expert)
    subscriber = await Subscriber.open(server.ws_url, outsider.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(MEETING_UPDATED, {})
        watcher = Watcher(subscriber, api, outsider, other_service, 100)
        await watcher.prove_live()
        yield watcher
    finally:
        await subscriber.close()


async def awaiting_settlement(api: Api, person: Person) -> int:
    data = await api.query("{ creditBalance { awaitingSettlement } }", token=person.token)
    return int(data["creditBalance"]["awaitingSettlement"])


async def assert_outsider_sees_nothing(
    api: Api, server: RunningServer, outsider: Person, meeting_id: str, watcher: Watcher
) -> None:
    await watcher.hears_nothing_before_its_own_change()
    read = (await api.query(READ_MEETING, {"id": meeting_id}, outsider.token))["meeting"]
    assert read == {"__typename": "NotFound", "code": "NOT_FOUND", "message": "no such meeting"}
    before = await server.snapshot()
    acted = await act(api, CANCEL, outsider, meetingId=meeting_id, acknowledgeLateNotice=True)
    assert acted["code"] == "NOT_FOUND"
    assert await server.snapshot() == before

    subscriber = await Subscriber.open(server.ws_url, outsider.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(MEETING_UPDATED, {"id": meeting_id})
        refused = await subscriber.next_payload()
        assert refused["data"] is None
        assert refused["errors"][0]["message"] == "no such meeting"
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert (await subscriber.receive())["type"] == "complete"
    finally:
        await subscriber.close()


async def both_receive(client_sub: Subscriber, expert_sub: Subscriber, status: str, credit_status: str) -> None:
    for subscriber, side in ((client_sub, "CLIENT"), (expert_sub, "EXPERT")):
        frame: dict[str, Any] = (await subscriber.next_payload())["data"]["meetingUpdated"]
        assert (frame["status"], frame["creditStatus"], frame["viewerSide"]) == (
            status,
            credit_status,
            side,
        )


async def test_book_then_confirm_agrees_and_blocks_credits(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(72))
    assert (meeting["status"], meeting["creditStatus"]) == ("AWAITING_APPROVAL", "BLOCKED")
    assert await balance(api, client) == {"available": 450, "blocked": 50, "pendingEarnings": 0}

    async with (
        outsider_watching_everything(api, server, outsider) as outsider_sub,
        watching(server, client, meeting["id"]) as client_sub,
        watching(server, expert, meeting["id"]) as expert_sub,
    ):
        confirmed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
        assert (confirmed["status"], confirmed["creditStatus"]) == ("AGREED", "BLOCKED")
        await both_receive(client_sub, expert_sub, "AGREED", "BLOCKED")
        await assert_outsider_sees_nothing(api, server, outsider, meeting["id"], outsider_sub)

    read = (await api.query(READ_MEETING, {"id": meeting["id"]}, client.token))["meeting"]
    assert [e["type"] for e in read["timeline"]] == ["BOOKED_BY_CLIENT", "APPROVED_BY_EXPERT"]
    assert await balance(api, client) == {"available": 450, "blocked": 50, "pendingEarnings": 0}
    notes = (await api.query(NOTIFICATIONS, token=client.token))["notifications"]["edges"]
    assert [n["node"]["type"] for n in notes] == ["APPROVED_BY_EXPERT"]
    assert await ledger_of(meeting["id"]) == [("BLOCK", 50)]


async def test_book_then_decline_rejects_and_returns_credits(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(72))
    async with (
        outsider_watching_everything(api, server, outsider) as outsider_sub,
        watching(server, client, meeting["id"]) as client_sub,
        watching(server, expert, meeting["id"]) as expert_sub,
    ):
        declined = await act(api, DECLINE, expert, meetingId=meeting["id"], reason="NOT_AVAILABLE", message="Away")
        assert (declined["status"], declined["creditStatus"]) == ("REJECTED", "RETURNED")
        await both_receive(client_sub, expert_sub, "REJECTED", "RETURNED")
        await assert_outsider_sees_nothing(api, server, outsider, meeting["id"], outsider_sub)

    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}
    assert await ledger_of(meeting["id"]) == [("BLOCK", 50), ("RELEASE", 50)]


async def test_expert_proposes_and_the_client_confirms(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    proposed = await act(
        api,
        PROPOSE,
        expert,
        clientId=client.id,
        serviceId=service_id,
        startsAt=hours_from_now(96),
        durationMinutes=45,
        priceCredits=70,
        mode="VIDEO",
    )
    assert (proposed["status"], proposed["creditStatus"]) == ("AWAITING_APPROVAL", "NONE")
    assert (proposed["clientApproved"], proposed["expertApproved"]) == (False, True)
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}

    async with (
        outsider_watching_everything(api, server, outsider) as outsider_sub,
        watching(server, client, proposed["id"]) as client_sub,
        watching(server, expert, proposed["id"]) as expert_sub,
    ):
        confirmed = await act(api, CONFIRM, client, meetingId=proposed["id"])
        assert (confirmed["status"], confirmed["creditStatus"]) == ("AGREED", "BLOCKED")
        await both_receive(client_sub, expert_sub, "AGREED", "BLOCKED")
        await assert_outsider_sees_nothing(api, server, outsider, proposed["id"], outsider_sub)

    assert await balance(api, client) == {"available": 430, "blocked": 70, "pendingEarnings": 0}


async def test_a_late_client_cancel_needs_acknowledgement_then_the_expert_settles(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(20))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])

    before = await server.snapshot()
    refused = await act(api, CANCEL, client, meetingId=meeting["id"])
    assert refused["__typename"] == "LateNoticeNotAcknowledged"
    assert refused["code"] == "LATE_NOTICE_NOT_ACKNOWLEDGED"
    assert await server.snapshot() == before

    async with (
        outsider_watching_everything(api, server, outsider) as outsider_sub,
        watching(server, client, meeting["id"]) as client_sub,
        watching(server, expert, meeting["id"]) as expert_sub,
    ):
        cancelled = await act(api, CANCEL, client, meetingId=meeting["id"], acknowledgeLateNotice=True)
        assert (cancelled["status"], cancelled["creditStatus"]) == ("CANCELLED", "BLOCKED")
        assert cancelled["settlementDueAt"] is not None
        await both_receive(client_sub, expert_sub, "CANCELLED", "BLOCKED")
        assert await awaiting_settlement(api, expert) == 50  # theirs to charge or waive
        assert await awaiting_settlement(api, client) == 0

        charged = await act(api, SETTLE, expert, meetingId=meeting["id"], decision="CHARGE")
        assert (charged["status"], charged["creditStatus"]) == ("CANCELLED", "CHARGED")
        assert charged["settlementDueAt"] is None
        await both_receive(client_sub, expert_sub, "CANCELLED", "CHARGED")
        await assert_outsider_sees_nothing(api, server, outsider, meeting["id"], outsider_sub)

    assert await balance(api, client) == {"available": 450, "blocked": 0, "pendingEarnings": 0}
    assert await balance(api, expert) == {"available": 0, "blocked": 0, "pendingEarnings": 43}  # 15 % fee: 7
    assert await awaiting_settlement(api, expert) == 0  # settled
    again = await act(api, SETTLE, expert, meetingId=meeting["id"], decision="WAIVE")
    assert again["code"] == "INVALID_STATE"


async def test_the_expert_may_waive_a_late_cancellation(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(10))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    await act(api, CANCEL, client, meetingId=meeting["id"], acknowledgeLateNotice=True)
    waived = await act(api, SETTLE, expert, meetingId=meeting["id"], decision="WAIVE")
    assert (waived["status"], waived["creditStatus"]) == ("CANCELLED", "RETURNED")
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}


async def test_an_early_client_cancel_returns_credits_at_once(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(30))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    cancelled = await act(api, CANCEL, client, meetingId=meeting["id"])
    assert (cancelled["status"], cancelled["creditStatus"]) == ("CANCELLED", "RETURNED")
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}


async def test_an_expert_cancel_at_short_notice_needs_acknowledgement_and_refunds(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(40))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    before = await server.snapshot()
    no_reason = await act(api, CANCEL, expert, meetingId=meeting["id"], acknowledgeLateNotice=True)
    assert no_reason["code"] == "INVALID_INPUT"
    not_acknowledged = await act(api, CANCEL, expert, meetingId=meeting["id"], reason="ILLNESS")
    assert not_acknowledged["code"] == "LATE_NOTICE_NOT_ACKNOWLEDGED"
    assert await server.snapshot() == before

    cancelled = await act(api, CANCEL, expert, meetingId=meeting["id"], reason="ILLNESS", acknowledgeLateNotice=True)
    assert (cancelled["status"], cancelled["creditStatus"]) == ("CANCELLED", "RETURNED")
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}


async def test_all_meetings_subscription_follows_every_meeting_of_the_viewer(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    subscriber = await Subscriber.open(server.ws_url, expert.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(MEETING_UPDATED, {})
        await Watcher(subscriber, api, client, service_id, 150).prove_live()
        first = await book(api, client, service_id, hours_from_now(50))
        frame = (await subscriber.next_payload())["data"]["meetingUpdated"]
        assert (frame["id"], frame["status"]) == (first["id"], "AWAITING_APPROVAL")
        second = await book(api, client, service_id, hours_from_now(80))
        frame = (await subscriber.next_payload())["data"]["meetingUpdated"]
        assert (frame["id"], frame["viewerSide"]) == (second["id"], "EXPERT")
    finally:
        await subscriber.close()


async def test_admins_see_and_hear_every_meeting(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(60))
    admin = Person(id="", token=server.admin_token, email="")
    read = (await api.query(READ_MEETING, {"id": meeting["id"]}, admin.token))["meeting"]
    assert read["status"] == "AWAITING_APPROVAL"
    async with watching(server, admin, meeting["id"]) as admin_sub:
        confirmed = await act(api, CONFIRM, admin, meetingId=meeting["id"])
        assert confirmed["status"] == "AGREED"
        frame = (await admin_sub.next_payload())["data"]["meetingUpdated"]
        assert (frame["status"], frame["viewerSide"]) == ("AGREED", None)
    read = (await api.query(READ_MEETING, {"id": meeting["id"]}, client.token))["meeting"]
    assert read["timeline"][-1] == {"type": "APPROVED_BY_EXPERT", "actorSide": "EXPERT"}
    client_notes = (await api.query(NOTIFICATIONS, token=client.token))["notifications"]["edges"]
    expert_notes = (await api.query(NOTIFICATIONS, token=expert.token))["notifications"]["edges"]
    assert client_notes[0]["node"]["type"] == expert_notes[0]["node"]["type"] == "APPROVED_BY_EXPERT"


async def test_a_websocket_sign_in_refusal_closes_with_a_code_to_act_on_and_a_reason_that_says_which(
    server: RunningServer, clock: ServerClock, client: Person
) -> None:
    """4401: sign in (graphql-ws gives up at once); 4403: reconnect with a fresh token."""
    now = datetime.now(UTC)
    clock.set(now)
    closes = []
    for token in (None, "not-a-token", client.token):
        if token == client.token:
            clock.set(now + timedelta(days=31))  # tokens live 30 days
        subscriber = await Subscriber.open(server.ws_url, token)
        with pytest.raises(ConnectionClosedError):
            await subscriber.receive()
        closes.append((subscriber.socket.close_code, subscriber.socket.close_reason))
    assert closes[0] == (4401, 'no token: send {"authorization": "Bearer <token>"} in connection_init')
    assert closes[1] == (4401, "token not valid here (malformed, or signed with another secret)")
    code, reason = closes[2]
    assert code == 4403 and re.fullmatch(r"token expired at \S+; reconnect with a fresh one", str(reason))


async def test_the_legacy_protocol_answers_a_bad_token_with_connection_error(
    server: RunningServer,
) -> None:
    for token, reason in ((None, "connection_init needs"), ("not-a-token", "this token is not valid here")):
        subscriber = await Subscriber.open(server.ws_url, token, protocol="graphql-ws")
        try:
            message = await subscriber.receive()
        finally:
            await subscriber.close()
        assert message["type"] == "connection_error"
        assert message["payload"]["message"].startswith(reason)
