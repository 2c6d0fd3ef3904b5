"""Offers and moves against the clock: expiry, lapsing, and reminders that follow the meeting."""

from datetime import datetime, timedelta
from typing import Any

from app.domain.meetings import TimelineEventType
from app.domain.notifications import format_when
from app.domain.schedule import JobKind
from app.models import Notification, Offer, ScheduledJob, TimelineEvent
from app.models.jobs import JobStatus
from tests.api.test_refusals import assert_refused
from tests.api.test_timed import agreed_from_now, state, status_becomes
from tests.support.factories import RESCHEDULE, RESPOND, WITHDRAW, Person, act
from tests.support.graphql import Api
from tests.support.server import RunningServer, ServerClock
from tests.support.tables import ledger_of
from tests.support.waiting import eventually

OFFERS = """query($id: ID!) { meeting(id: $id) { ... on Meeting {
  status startsAt offers { id status expiresAt } } } }"""


async def offer_status_becomes(api: Api, person: Person, meeting_id: str, status: str) -> dict[str, Any]:
    async def check() -> dict[str, Any] | None:
        meeting: dict[str, Any] = (await api.query(OFFERS, {"id": meeting_id}, person.token))["meeting"]
        return meeting if meeting["offers"][-1]["status"] == status else None

    return await eventually(check)


async def offer_times(api: Api, person: Person, meeting_id: str, times: list[datetime], **input: Any) -> dict[str, Any]:
    result = await act(api, RESCHEDULE, person, meetingId=meeting_id, times=[t.isoformat() for t in times], **input)
    assert result["__typename"] == "Meeting", result
    return result


async def test_an_unanswered_expert_offer_expires_after_24_hours_and_cancels_with_one_refund(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=60)
    t0 = starts_at - timedelta(hours=60)
    offered = await offer_times(api, expert, meeting_id, [starts_at + timedelta(hours=10)], reason="EXPERT_SCHEDULE")
    [offer] = offered["offers"]
    assert datetime.fromisoformat(offer["expiresAt"]) == t0 + timedelta(hours=24)

    clock.set(t0 + timedelta(hours=24))
    await status_becomes(api, client, meeting_id, "CANCELLED")
    after = await offer_status_becomes(api, client, meeting_id, "EXPIRED")
    assert after["startsAt"] == offered["startsAt"]
    assert await ledger_of(meeting_id) == [("BLOCK", 50), ("RELEASE", 50)]
    assert await TimelineEvent.filter(meeting_id=meeting_id, type=TimelineEventType.OFFER_EXPIRED).count() == 1
    told = await Notification.filter(meeting_id=meeting_id, type="OFFER_EXPIRED").values_list("text", flat=True)
    assert len(told) == 2 and all("cancelled and the credits are returned" in str(t) for t in told)
    assert (await state(api, client, meeting_id))["roomUrl"] is None


async def test_an_expert_offer_expires_at_the_original_start_when_that_is_sooner(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=5)
    offered = await offer_times(api, expert, meeting_id, [starts_at + timedelta(hours=3)], reason="EXPERT_SCHEDULE")
    assert datetime.fromisoformat(offered["offers"][0]["expiresAt"]) == starts_at
    clock.set(starts_at)
    await status_becomes(api, client, meeting_id, "CANCELLED")
    assert await ledger_of(meeting_id) == [("BLOCK", 50), ("RELEASE", 50)]


async def test_a_client_proposal_lapses_at_the_original_start_and_the_meeting_goes_ahead(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=3)
    await offer_times(api, client, meeting_id, [starts_at + timedelta(hours=30)])
    clock.set(starts_at)
    lapsed = await offer_status_becomes(api, client, meeting_id, "EXPIRED")
    assert lapsed["status"] == "AGREED"
    assert await ledger_of(meeting_id) == [("BLOCK", 50)]
    told = await Notification.filter(meeting_id=meeting_id, type="OFFER_EXPIRED").values_list("text", flat=True)
    assert told and all("The meeting stays as it was." in str(t) for t in told)


async def test_a_moved_meetings_old_reminders_never_fire_and_the_new_ones_do(
    api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=30)
    new_start = starts_at + timedelta(hours=20)
    moved = await offer_times(api, expert, meeting_id, [new_start], reason="CLIENT_REQUESTED")

    old_jobs = ScheduledJob.filter(meeting_id=meeting_id, meeting_version__lt=moved["version"])
    assert await old_jobs.filter(status=JobStatus.PENDING).count() == 0
    assert await old_jobs.filter(status=JobStatus.CANCELLED).count() >= 4
    clock.set(starts_at - timedelta(hours=24))  # the old day-before moment passes...
    clock.set(new_start - timedelta(hours=24))  # ...then the new one
    reminders = Notification.filter(meeting_id=meeting_id, type="REMINDER_24H")

    async def reminded() -> bool:
        return await reminders.exists()

    await eventually(reminded)
    [text] = await reminders.values_list("text", flat=True)
    assert format_when(new_start, "Europe/London") in str(text)
    pending = await ScheduledJob.filter(meeting_id=meeting_id, status=JobStatus.PENDING, kind=JobKind.NO_SHOW_CHECK)
    assert [j.due_at for j in pending] == [new_start + timedelta(minutes=10)]
    assert await Offer.filter(meeting_id=meeting_id).count() == 0


async def test_an_expired_offer_cannot_be_answered_or_withdrawn(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    meeting_id, starts_at = await agreed_from_now(api, clock, client, expert, service_id, hours=3)
    proposal = await offer_times(api, client, meeting_id, [starts_at + timedelta(hours=30)])
    offer_id = proposal["offers"][0]["id"]
    clock.set(starts_at)
    await offer_status_becomes(api, client, meeting_id, "EXPIRED")
    await assert_refused(server, act(api, RESPOND, expert, offerId=offer_id, decision="ACCEPT"), "INVALID_STATE")
    await assert_refused(server, act(api, RESPOND, expert, offerId=offer_id, decision="REJECT"), "INVALID_STATE")
    await assert_refused(server, act(api, WITHDRAW, client, offerId=offer_id), "INVALID_STATE")
