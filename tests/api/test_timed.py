"""Every row of DOMAIN.md's time table, driven by a controlled clock on a real server."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from app.models import ScheduledJob
from app.models.jobs import JobStatus
from tests.support.factories import (
    CANCEL,
    CONFIRM,
    SETTLE,
    Person,
    act,
    balance,
    book,
    earnings,
    make_person,
)
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer, ServerClock
from tests.support.tables import ledger_of
from tests.support.waiting import eventually

STATE = """
query($id: ID!) { meeting(id: $id) { ... on Meeting {
  status creditStatus canJoin joinOpensAt roomUrl settlementDueAt completedAt
  timeline { type } notes { text } review { rating }
} ... on Problem { code } } }"""
NOTIFICATION_TYPES = "{ notifications(first: 100) { edges { node { type text meetingId } } } }"
JOIN = """mutation($id: ID!) { joinMeeting(input: {meetingId: $id}) {
  __typename ... on Meeting { status canJoin } ... on Problem { code message } } }"""
END = """mutation($id: ID!) { endMeeting(input: {meetingId: $id}) {
  __typename ... on Meeting { status creditStatus } ... on Problem { code message } } }"""
ADD_NOTE = """mutation($id: ID!, $text: String!) { addNote(input: {meetingId: $id, text: $text}) {
  __typename ... on Note { text createdAt } ... on Problem { code message } } }"""
REVIEW = """mutation($id: ID!, $rating: Int!) { reviewMeeting(input: {meetingId: $id, rating: $rating, text: "Helpful"}) {
  __typename ... on Review { rating } ... on Problem { code message } } }"""
JOIN_AVAILABILITY = """subscription($id: ID!) {
  joinAvailability(meetingId: $id) { meetingId canJoin opensAt closesAt } }"""
RATING = "query($id: ID!) { expert(id: $id) { averageRating reviewCount } }"


def start_of_test() -> datetime:
    now = datetime.now(UTC)
    return now.replace(minute=now.minute // 30 * 30, second=0, microsecond=0)


async def agreed(api: Api, client: Person, expert: Person, service_id: str, starts_at: datetime) -> str:
    meeting = await book(api, client, service_id, starts_at.isoformat())
    assert meeting["__typename"] == "Meeting", meeting
    confirmed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
    assert confirmed["status"] == "AGREED"
    return str(meeting["id"])


async def agreed_from_now(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str, hours: int
) -> tuple[str, datetime]:
    """Freezes the clock at the start of the test and agrees a meeting `hours` later."""
    t0 = start_of_test()
    clock.set(t0)
    starts_at = t0 + timedelta(hours=hours)
    return await agreed(api, client, expert, service_id, starts_at), starts_at


async def state(api: Api, person: Person, meeting_id: str) -> dict[str, Any]:
    result: dict[str, Any] = (await api.query(STATE, {"id": meeting_id}, person.token))["meeting"]
    return result


async def notification_types(api: Api, person: Person, meeting_id: str) -> list[str]:
    edges = (await api.query(NOTIFICATION_TYPES, token=person.token))["notifications"]["edges"]
    return sorted(e["node"]["type"] for e in edges if e["node"]["meetingId"] == meeting_id)


async def status_becomes(api: Api, person: Person, meeting_id: str, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        current = await state(api, person, meeting_id)
        return current if current["status"] == status else None

    return await eventually(check)


async def test_reminders_fire_on_time_once_and_to_the_right_side(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=30)
    room_url = (await state(api, expert, meeting_id))["roomUrl"]  # the expert's own link
    assert room_url and "/rooms/" in room_url

    clock.set(starts_at - timedelta(hours=24))
    await eventually(lambda: _has(api, client, meeting_id, "REMINDER_24H"))
    assert "REMINDER_24H" not in await notification_types(api, expert, meeting_id)

    clock.set(starts_at - timedelta(minutes=60))
    await eventually(lambda: _has(api, expert, meeting_id, "ROOM_LINK"))
    texts = (await api.query(NOTIFICATION_TYPES, token=expert.token))["notifications"]["edges"]
    assert any(room_url in e["node"]["text"] for e in texts)

    clock.set(starts_at - timedelta(minutes=30))
    for person in (client, expert):
        await eventually(lambda p=person: _has(api, p, meeting_id, "REMINDER_30M"))  # type: ignore[misc]

    assert (await state(api, client, meeting_id))["canJoin"] is False
    clock.set(starts_at - timedelta(minutes=10))
    for person in (client, expert):
        await eventually(lambda p=person: _has(api, p, meeting_id, "REMINDER_10M"))  # type: ignore[misc]
    assert (await state(api, client, meeting_id))["canJoin"] is True

    assert await notification_types(api, client, meeting_id) == [
        "APPROVED_BY_EXPERT",
        "REMINDER_10M",
        "REMINDER_24H",
        "REMINDER_30M",
    ]
    assert await notification_types(api, expert, meeting_id) == [
        "BOOKED_BY_CLIENT",
        "REMINDER_10M",
        "REMINDER_30M",
        "ROOM_LINK",
    ]


async def _has(api: Api, person: Person, meeting_id: str, kind: str) -> bool:
    return kind in await notification_types(api, person, meeting_id)


async def test_expert_missing_at_the_grace_deadline_is_a_no_show_with_credits_returned(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    clock.set(starts_at - timedelta(minutes=5))
    joined = (await api.query(JOIN, {"id": meeting_id}, client.token))["joinMeeting"]
    assert (joined["status"], joined["canJoin"]) == ("AGREED", True)

    clock.set(starts_at + timedelta(minutes=9))
    assert (await state(api, client, meeting_id))["status"] == "AGREED"
    clock.set(starts_at + timedelta(minutes=10))
    final = await status_becomes(api, client, meeting_id, "NO_SHOW")
    assert (final["creditStatus"], final["canJoin"]) == ("RETURNED", False)
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}


async def test_both_missing_is_a_no_show_with_credits_returned(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    clock.set(starts_at + timedelta(minutes=10))
    final = await status_becomes(api, client, meeting_id, "NO_SHOW")
    assert final["creditStatus"] == "RETURNED"
    assert final["timeline"][-1] == {"type": "NO_SHOW"}


async def test_only_the_client_missing_leaves_the_charge_to_the_expert_then_waives_at_72h(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    t0 = start_of_test()
    clock.set(t0)
    first_start, second_start = t0 + timedelta(hours=2), t0 + timedelta(hours=4)
    first = await agreed(api, client, expert, service_id, first_start)
    second = await agreed(api, client, expert, service_id, second_start)

    clock.set(first_start)
    assert (await api.query(JOIN, {"id": first}, expert.token))["joinMeeting"]["status"] == "AGREED"
    clock.set(first_start + timedelta(minutes=10))
    no_show = await status_becomes(api, client, first, "NO_SHOW")
    assert no_show["creditStatus"] == "BLOCKED"
    assert datetime.fromisoformat(no_show["settlementDueAt"]) == first_start + timedelta(minutes=10, hours=72)
    charged = await act(api, SETTLE, expert, meetingId=first, decision="CHARGE")
    assert charged["creditStatus"] == "CHARGED"

    clock.set(second_start)
    await api.query(JOIN, {"id": second}, expert.token)
    clock.set(second_start + timedelta(minutes=10))
    await status_becomes(api, client, second, "NO_SHOW")
    clock.set(second_start + timedelta(minutes=10, hours=72))

    async def waived() -> dict[str, Any] | None:
        current = await state(api, client, second)
        return current if current["creditStatus"] == "RETURNED" else None

    final = await eventually(waived)
    assert final["timeline"][-1] == {"type": "CHARGE_WAIVED"}
    assert await balance(api, client) == {"available": 450, "blocked": 0, "pendingEarnings": 0}
    # The first meeting's charge was more than 72 h ago: its earnings (less the fee) are payable.
    assert await eventually(settled_earnings(api, expert)) == {
        "pendingEarnings": 0,
        "payableEarnings": 43,
        "paidOut": 0,
    }


def settled_earnings(api: Api, expert: Person) -> Callable[[], Awaitable[dict[str, int] | None]]:
    async def settled() -> dict[str, int] | None:
        found = await earnings(api, expert)
        return found if found["pendingEarnings"] == 0 else None

    return settled


async def test_both_join_then_it_completes_at_the_end_and_charges(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    clock.set(starts_at - timedelta(minutes=2))
    await api.query(JOIN, {"id": meeting_id}, expert.token)
    clock.set(starts_at + timedelta(minutes=7))  # late, but inside the grace period
    started = (await api.query(JOIN, {"id": meeting_id}, client.token))["joinMeeting"]
    assert (started["status"], started["canJoin"]) == ("IN_PROGRESS", True)

    clock.set(starts_at + timedelta(minutes=59))
    assert (await state(api, client, meeting_id))["status"] == "IN_PROGRESS"  # the end does not move
    clock.set(starts_at + timedelta(minutes=60))
    done = await status_becomes(api, client, meeting_id, "COMPLETED")
    assert (done["creditStatus"], done["canJoin"]) == ("CHARGED", False)
    assert [e["type"] for e in done["timeline"]] == [
        "BOOKED_BY_CLIENT",
        "APPROVED_BY_EXPERT",
        "JOINED_BY_EXPERT",
        "STARTED",
        "COMPLETED",
    ]
    assert await balance(api, client) == {"available": 450, "blocked": 0, "pendingEarnings": 0}
    assert await earnings(api, expert) == {"pendingEarnings": 43, "payableEarnings": 0, "paidOut": 0}  # 15 % fee: 7

    [settlement] = await ScheduledJob.filter(meeting_id=meeting_id, kind="SETTLE_EARNINGS", status=JobStatus.PENDING)
    assert settlement.due_at == starts_at + timedelta(minutes=60, hours=72)
    clock.set(starts_at + timedelta(minutes=60, hours=72))  # the settlement delay has passed
    assert await eventually(settled_earnings(api, expert)) == {
        "pendingEarnings": 0,
        "payableEarnings": 43,
        "paidOut": 0,
    }


async def test_the_expert_may_end_early_and_the_end_job_then_does_nothing(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    clock.set(starts_at)
    await api.query(JOIN, {"id": meeting_id}, client.token)
    await api.query(JOIN, {"id": meeting_id}, expert.token)
    clock.set(starts_at + timedelta(minutes=20))
    refused = (await api.query(END, {"id": meeting_id}, client.token))["endMeeting"]
    assert refused["code"] == "NOT_ALLOWED"
    ended = (await api.query(END, {"id": meeting_id}, expert.token))["endMeeting"]
    assert (ended["status"], ended["creditStatus"]) == ("COMPLETED", "CHARGED")

    clock.set(starts_at + timedelta(hours=2))
    await eventually(lambda: _no_pending_jobs(server, meeting_id))
    assert await ledger_of(meeting_id) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)]


async def _no_pending_jobs(server: RunningServer, meeting_id: str) -> bool:
    """None of the meeting's timed work is left (its charge's settlement waits 72 h)."""
    return (
        not await ScheduledJob.filter(meeting_id=meeting_id, status__in=[JobStatus.PENDING, JobStatus.RUNNING])
        .exclude(kind="SETTLE_EARNINGS")
        .exists()
    )


async def test_a_meeting_still_awaiting_approval_at_its_start_expires(
    api: Api, clock: ServerClock, client: Person, service_id: str
) -> None:
    t0 = start_of_test()
    clock.set(t0)
    starts_at = t0 + timedelta(hours=3)
    meeting = await book(api, client, service_id, starts_at.isoformat())
    clock.set(starts_at)
    expired = await status_becomes(api, client, meeting["id"], "EXPIRED")
    assert expired["creditStatus"] == "RETURNED"
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}


async def test_an_unsettled_late_cancellation_is_waived_after_72_hours(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=5)
    cancelled = await act(api, CANCEL, client, meetingId=meeting_id, acknowledgeLateNotice=True)
    assert cancelled["creditStatus"] == "BLOCKED"
    cancelled_at = starts_at - timedelta(hours=5)  # the clock still stands where the test began
    clock.set(cancelled_at + timedelta(hours=72) - timedelta(seconds=1))
    assert (await state(api, client, meeting_id))["creditStatus"] == "BLOCKED"
    clock.set(cancelled_at + timedelta(hours=72))

    async def waived() -> bool:
        return bool((await state(api, client, meeting_id))["creditStatus"] == "RETURNED")

    await eventually(waived)
    refused = await act(api, SETTLE, expert, meetingId=meeting_id, decision="CHARGE")
    assert refused["code"] == "INVALID_STATE"


async def test_a_cancelled_meetings_reminders_never_fire_and_its_room_is_revoked(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=30)
    assert (await state(api, client, meeting_id))["roomUrl"] is not None
    cancelled = await act(api, CANCEL, expert, meetingId=meeting_id, reason="ILLNESS", acknowledgeLateNotice=True)
    assert cancelled["status"] == "CANCELLED"
    assert (await state(api, client, meeting_id))["roomUrl"] is None
    clock.set(starts_at + timedelta(hours=2))
    await eventually(lambda: _no_pending_jobs(server, meeting_id))
    assert not any(t.startswith(("REMINDER", "ROOM")) for t in await notification_types(api, client, meeting_id))
    assert not any(t.startswith(("REMINDER", "ROOM")) for t in await notification_types(api, expert, meeting_id))
    assert (await state(api, client, meeting_id))["status"] == "CANCELLED"


async def test_join_availability_is_pushed_when_it_flips_and_only_to_participants(
    api: Api,
    server: RunningServer,
    clock: ServerClock,
    client: Person,
    expert: Person,
    outsider: Person,
    service_id: str,
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)

    subscribers = []
    for person in (client, expert):
        subscriber = await Subscriber.open(server.ws_url, person.token)
        await subscriber.expect_ack()
        await subscriber.subscribe(JOIN_AVAILABILITY, {"id": meeting_id})
        first = (await subscriber.next_payload())["data"]["joinAvailability"]
        assert first == {
            "meetingId": meeting_id,
            "canJoin": False,
            "opensAt": (starts_at - timedelta(minutes=10)).isoformat(),
            "closesAt": (starts_at + timedelta(hours=1)).isoformat(),
        }
        subscribers.append(subscriber)
    third = await Subscriber.open(server.ws_url, outsider.token)
    await third.expect_ack()
    await third.subscribe(JOIN_AVAILABILITY, {"id": meeting_id})
    refused = await third.next_payload()
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    await third.close()

    try:
        clock.set(starts_at - timedelta(minutes=10))
        for subscriber in subscribers:
            assert (await subscriber.next_payload(timeout=10))["data"]["joinAvailability"]["canJoin"] is True
        clock.set(starts_at + timedelta(minutes=10))
        for subscriber in subscribers:
            assert (await subscriber.next_payload(timeout=10))["data"]["joinAvailability"]["canJoin"] is False
        assert (await state(api, client, meeting_id))["status"] == "NO_SHOW"
    finally:
        for subscriber in subscribers:
            await subscriber.close()


async def test_joining_refusals(
    api: Api,
    server: RunningServer,
    clock: ServerClock,
    client: Person,
    expert: Person,
    outsider: Person,
    service_id: str,
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)

    async def refused(person: Person, code: str) -> None:
        before = await server.snapshot()
        result = (await api.query(JOIN, {"id": meeting_id}, person.token))["joinMeeting"]
        assert result.get("code") == code, result
        assert await server.snapshot() == before

    clock.set(starts_at - timedelta(minutes=11))
    await refused(client, "TOO_SOON")
    clock.set(starts_at - timedelta(minutes=10))
    await refused(outsider, "NOT_FOUND")
    admin = Person(id="", token=server.admin_token, email="")
    await refused(admin, "NOT_ALLOWED")
    assert (await api.query(JOIN, {"id": meeting_id}, client.token))["joinMeeting"]["status"] == "AGREED"
    await refused(client, "INVALID_STATE")  # already joined


async def completed_meeting(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> tuple[str, datetime]:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    clock.set(starts_at)
    await api.query(JOIN, {"id": meeting_id}, client.token)
    await api.query(JOIN, {"id": meeting_id}, expert.token)
    ended_at = starts_at + timedelta(minutes=50)
    clock.set(ended_at)
    assert (await api.query(END, {"id": meeting_id}, expert.token))["endMeeting"]["status"] == "COMPLETED"
    return meeting_id, ended_at


async def test_notes_are_written_by_the_expert_within_48_hours_and_read_by_the_pair(
    api: Api,
    server: RunningServer,
    clock: ServerClock,
    client: Person,
    expert: Person,
    outsider: Person,
    service_id: str,
) -> None:
    meeting_id, ended_at = await completed_meeting(api, clock, client, expert, service_id)
    other_expert = await make_person(api, server.admin_token, expert=True)

    async def refused(person: Person, code: str, text: str = "Summary") -> None:
        before = await server.snapshot()
        result = (await api.query(ADD_NOTE, {"id": meeting_id, "text": text}, person.token))["addNote"]
        assert result.get("code") == code, result
        assert await server.snapshot() == before

    await refused(other_expert, "NOT_FOUND")
    await refused(client, "NOT_ALLOWED")
    await refused(expert, "INVALID_INPUT", text="")
    first = (await api.query(ADD_NOTE, {"id": meeting_id, "text": "Practise the pitch"}, expert.token))["addNote"]
    assert first["__typename"] == "Note"
    clock.set(ended_at + timedelta(hours=48))
    second = (await api.query(ADD_NOTE, {"id": meeting_id, "text": "Follow-up"}, expert.token))["addNote"]
    assert second["__typename"] == "Note"
    clock.set(ended_at + timedelta(hours=48, seconds=1))
    await refused(expert, "TOO_LATE")

    for reader in (client, expert, Person(id="", token=server.admin_token, email="")):
        notes = (await state(api, reader, meeting_id))["notes"]
        assert [n["text"] for n in notes] == ["Practise the pitch", "Follow-up"]
    assert (await state(api, outsider, meeting_id)) == {"code": "NOT_FOUND"}


async def test_notes_on_an_unfinished_meeting_are_refused(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    t0 = start_of_test()
    clock.set(t0)
    meeting_id = await agreed(api, client, expert, service_id, t0 + timedelta(hours=3))
    before = await server.snapshot()
    result = (await api.query(ADD_NOTE, {"id": meeting_id, "text": "Early"}, expert.token))["addNote"]
    assert result["code"] == "INVALID_STATE"
    assert await server.snapshot() == before


async def test_there_is_no_way_to_edit_or_delete_a_note(api: Api) -> None:
    mutations = await api.query("{ __schema { mutationType { fields { name } } } }")
    names = {f["name"] for f in mutations["__schema"]["mutationType"]["fields"]}
    assert "addNote" in names
    assert not {n for n in names if "note" in n.lower()} - {"addNote"}


async def test_one_review_per_completed_meeting_and_the_average_rating(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, _ = await completed_meeting(api, clock, client, expert, service_id)

    async def refused(person: Person, rating: int, code: str) -> None:
        before = await server.snapshot()
        result = (await api.query(REVIEW, {"id": meeting_id, "rating": rating}, person.token))["reviewMeeting"]
        assert result.get("code") == code, result
        assert await server.snapshot() == before

    await refused(expert, 5, "NOT_ALLOWED")
    await refused(client, 6, "INVALID_INPUT")
    await refused(client, 0, "INVALID_INPUT")
    reviewed = (await api.query(REVIEW, {"id": meeting_id, "rating": 4}, client.token))["reviewMeeting"]
    assert reviewed == {"__typename": "Review", "rating": 4}
    await refused(client, 5, "INVALID_STATE")
    assert (await state(api, expert, meeting_id))["review"] == {"rating": 4}
    rating = (await api.query(RATING, {"id": expert.id}))["expert"]
    assert rating == {"averageRating": 4.0, "reviewCount": 1}


async def test_join_availability_turns_false_at_the_end(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=2)
    clock.set(starts_at)
    for person in (client, expert):
        await api.query(JOIN, {"id": meeting_id}, person.token)
    subscriber = await Subscriber.open(server.ws_url, client.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(JOIN_AVAILABILITY, {"id": meeting_id})
        assert (await subscriber.next_payload())["data"]["joinAvailability"]["canJoin"] is True
        clock.set(starts_at + timedelta(hours=1))
        assert (await subscriber.next_payload(timeout=10))["data"]["joinAvailability"]["canJoin"] is False
        assert (await state(api, client, meeting_id))["status"] == "COMPLETED"
    finally:
        await subscriber.close()


POLICY = """mutation($input: UpdateExpertPolicyInput!) { updateExpertPolicy(input: $input) {
  __typename ... on Expert { policy { notesRequired } } } }"""
NOTES_DUE = """query($id: ID!) { meeting(id: $id) { ... on Meeting { notesDueAt } }
  meetings(filter: {notesMissing: true}) { edges { node { id } } } }"""


async def test_an_expert_who_keeps_notes_is_reminded_once_while_a_sessions_notes_are_missing(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    changed = await act(api, POLICY, expert, notesRequired=True)
    assert changed["policy"] == {"notesRequired": True}
    meeting_id, ended_at = await completed_meeting(api, clock, client, expert, service_id)

    due = await api.query(NOTES_DUE, {"id": meeting_id}, expert.token)
    assert datetime.fromisoformat(due["meeting"]["notesDueAt"]) == ended_at + timedelta(hours=48)
    assert [edge["node"]["id"] for edge in due["meetings"]["edges"]] == [meeting_id]
    clock.set(ended_at + timedelta(hours=23, minutes=59))  # the reminder is planned for halfway
    [reminder] = await ScheduledJob.filter(meeting_id=meeting_id, kind="NOTES_REMINDER", status=JobStatus.PENDING)
    assert reminder.due_at == ended_at + timedelta(hours=24)
    clock.set(ended_at + timedelta(hours=24))

    async def reminded() -> bool:
        return "NOTES_DUE" in await notification_types(api, expert, meeting_id)

    await eventually(reminded)
    assert (await notification_types(api, expert, meeting_id)).count("NOTES_DUE") == 1
    assert "NOTES_DUE" not in await notification_types(api, client, meeting_id)

    await api.query(ADD_NOTE, {"id": meeting_id, "text": "Agreed next steps"}, expert.token)
    written = await api.query(NOTES_DUE, {"id": meeting_id}, expert.token)
    assert written["meeting"]["notesDueAt"] is None and written["meetings"]["edges"] == []


async def test_without_notes_required_no_notes_are_due(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, ended_at = await completed_meeting(api, clock, client, expert, service_id)
    quiet = await api.query(NOTES_DUE, {"id": meeting_id}, expert.token)
    assert quiet["meeting"]["notesDueAt"] is None  # none required, so none due
    assert [edge["node"]["id"] for edge in quiet["meetings"]["edges"]] == [meeting_id]  # yet still missing
    clock.set(ended_at + timedelta(hours=48, minutes=1))  # the notes window closed: no longer listed
    assert (await api.query(NOTES_DUE, {"id": meeting_id}, expert.token))["meetings"]["edges"] == []
    assert not await ScheduledJob.filter(meeting_id=meeting_id, kind="NOTES_REMINDER").exists()
