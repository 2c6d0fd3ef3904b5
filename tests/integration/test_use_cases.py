"""Each meeting use case against a real database, without HTTP.

A success writes the meeting, its timeline, ledger entries, notifications and
timed jobs together; a refusal leaves every table exactly as it was.
"""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from typing import Any
from uuid import UUID, uuid4

import pytest

from app.domain import meetings as rules
from app.domain.booking import Choice
from app.domain.catalog import Offering
from app.domain.errors import (
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    NotAllowed,
    NotFound,
    NotOffered,
    Refusal,
    SlotTaken,
)
from app.domain.meetings import (
    CancelReason,
    DeclineReason,
    MeetingMode,
    MeetingStatus,
    SettlementDecision,
    TimelineEventType,
)
from app.domain.people import Actor
from app.domain.rescheduling import ClientProgramme, RescheduleReason
from app.jobs.runner import JobRunner
from app.models import Meeting, Notification, ScheduledJob, TimelineEvent
from app.models.jobs import JobStatus
from app.services import (
    answering,
    availability,
    booking,
    cancelling,
    catalog,
    effects,
    offers,
    programmes,
    rescheduling,
    sessions,
    timed,
)
from app.services.runtime import Runtime
from tests.integration.conftest import T0, Cast, make_actor
from tests.support.tables import FixedClock, ledger_of, snapshot

START = T0 + timedelta(days=3)
VIDEO = Choice(START, 60, MeetingMode.VIDEO)


async def stored(meeting_id: UUID) -> dict[str, Any]:
    """What a change left behind, table by table."""
    jobs = ScheduledJob.filter(meeting_id=meeting_id, status=JobStatus.PENDING)
    return {
        "status": str((await Meeting.get(id=meeting_id)).status),
        "timeline": [
            str(t)
            for t in await TimelineEvent.filter(meeting_id=meeting_id).order_by("id").values_list("type", flat=True)
        ],
        "ledger": await ledger_of(str(meeting_id)),
        "notified": sorted(
            str(n) for n in await Notification.filter(meeting_id=meeting_id).values_list("recipient_id", flat=True)
        ),
        "jobs": sorted(str(k) for k in await jobs.values_list("kind", flat=True)),
    }


async def refused(refusal: type[Refusal], action: Callable[[], Awaitable[object]]) -> None:
    """The action is refused with `refusal` and every table is as it was."""
    before = await snapshot()
    with pytest.raises(refusal):
        await action()
    assert await snapshot() == before


async def book(runtime: Runtime, cast: Cast, choice: Choice = VIDEO, client: Actor | None = None) -> Meeting:
    return await booking.book_meeting(runtime, client or cast.client, cast.service_id, choice)


async def agreed(runtime: Runtime, cast: Cast, choice: Choice = VIDEO, client: Actor | None = None) -> Meeting:
    row = await book(runtime, cast, choice, client)
    return await answering.confirm_meeting(runtime, cast.expert, row.id, acknowledge_overlap=False)


class TestBooking:
    async def test_a_booking_writes_all_of_its_records_together(self, runtime: Runtime, cast: Cast) -> None:
        row = await book(runtime, cast)
        assert await stored(row.id) == {
            "status": "AWAITING_APPROVAL",
            "timeline": ["BOOKED_BY_CLIENT"],
            "ledger": [("BLOCK", 50)],
            "notified": [str(cast.expert.user_id)],
            "jobs": ["EXPIRE_UNAPPROVED"],
        }

    async def test_refused_bookings_change_nothing(self, runtime: Runtime, cast: Cast) -> None:
        await book(runtime, cast, Choice(START + timedelta(hours=5), 60, MeetingMode.VIDEO))
        broke = await make_actor(runtime, cast.admin, credits=10)
        attempts: list[tuple[type[Refusal], Actor, UUID, Choice]] = [
            (NotFound, cast.client, uuid4(), VIDEO),
            (InvalidInput, cast.expert, cast.service_id, VIDEO),
            (NotOffered, cast.client, cast.service_id, Choice(START, 45, MeetingMode.VIDEO)),
            (NotOffered, cast.client, cast.service_id, Choice(START, 60, MeetingMode.CHAT)),
            (InvalidInput, cast.client, cast.service_id, Choice(START, 60, MeetingMode.VIDEO, "juggling")),
            (SlotTaken, cast.client, cast.service_id, Choice(START + timedelta(hours=5), 60, MeetingMode.VIDEO)),
            (InsufficientCredits, broke, cast.service_id, VIDEO),
        ]
        for refusal, who, service_id, choice in attempts:
            await refused(refusal, partial(booking.book_meeting, runtime, who, service_id, choice))

    async def test_an_in_person_booking_takes_the_service_address(self, runtime: Runtime, cast: Cast) -> None:
        row = await book(runtime, cast, Choice(START, 60, MeetingMode.IN_PERSON))
        assert (row.mode, row.location) == (MeetingMode.IN_PERSON, "1 High Street")

    async def test_an_expert_booked_as_a_client_elsewhere_is_not_free(self, runtime: Runtime, cast: Cast) -> None:
        other = await make_actor(runtime, cast.admin, expert=True)
        service = await catalog.create_service(
            runtime,
            other,
            catalog.NewService(
                title="Other",
                description="",
                offerings=[Offering(60, 0)],
                modes=[MeetingMode.VIDEO],
            ),
        )
        await booking.book_meeting(runtime, cast.expert, service.id, VIDEO)  # our expert, as a client
        await refused(SlotTaken, lambda: book(runtime, cast))


class TestProposing:
    async def test_a_proposal_waits_for_the_client_and_blocks_nothing(self, runtime: Runtime, cast: Cast) -> None:
        row = await booking.propose_meeting(
            runtime,
            cast.expert,
            booking.Proposal(
                cast.client.user_id,
                cast.service_id,
                VIDEO,
                price_credits=80,
            ),
        )
        assert await stored(row.id) == {
            "status": "AWAITING_APPROVAL",
            "timeline": ["PROPOSED_BY_EXPERT"],
            "ledger": [],
            "notified": [str(cast.client.user_id)],
            "jobs": ["EXPIRE_UNAPPROVED"],
        }

    async def test_refused_proposals_change_nothing(self, runtime: Runtime, cast: Cast) -> None:
        await book(runtime, cast)
        cases: list[tuple[type[Refusal], Actor, UUID, bool]] = [
            (NotAllowed, cast.client, cast.client.user_id, False),
            (InvalidInput, cast.expert, cast.expert.user_id, False),
            (NotFound, cast.expert, uuid4(), False),
            (ConflictNotAcknowledged, cast.expert, cast.client.user_id, False),
        ]
        for refusal, who, client_id, acknowledge in cases:
            proposal = booking.Proposal(client_id, cast.service_id, VIDEO, 80, acknowledge)
            await refused(refusal, partial(booking.propose_meeting, runtime, who, proposal))


class TestAnswering:
    async def test_confirming_agrees_opens_a_room_and_plans_the_session(self, runtime: Runtime, cast: Cast) -> None:
        row = await agreed(runtime, cast)
        assert row.room_url is not None
        assert await stored(row.id) == {
            "status": "AGREED",
            "timeline": ["BOOKED_BY_CLIENT", "APPROVED_BY_EXPERT"],
            "ledger": [("BLOCK", 50)],
            "notified": sorted([str(cast.expert.user_id), str(cast.client.user_id)]),
            "jobs": sorted(["REMINDER"] * 4 + ["COMPLETE", "JOIN_WINDOW_OPENS", "NO_SHOW_CHECK"]),
        }

    async def test_declining_returns_the_credits(self, runtime: Runtime, cast: Cast) -> None:
        row = await book(runtime, cast)
        await answering.decline_meeting(runtime, cast.expert, row.id, DeclineReason.NOT_AVAILABLE, "Sorry")
        found = await stored(row.id)
        assert (found["status"], found["ledger"], found["jobs"]) == (
            "REJECTED",
            [("BLOCK", 50), ("RELEASE", 50)],
            [],
        )

    async def test_refused_answers_change_nothing(self, runtime: Runtime, cast: Cast) -> None:
        row = await book(runtime, cast)
        outsider = await make_actor(runtime, cast.admin)
        await refused(
            NotAllowed, lambda: answering.confirm_meeting(runtime, cast.client, row.id, acknowledge_overlap=False)
        )
        await refused(NotFound, lambda: answering.confirm_meeting(runtime, outsider, row.id, acknowledge_overlap=False))
        await refused(
            InvalidInput,
            lambda: answering.decline_meeting(runtime, cast.expert, row.id, DeclineReason.OTHER, "x" * 1001),
        )


class TestCancellingAndSettling:
    async def test_a_late_client_cancellation_waits_for_the_expert_to_settle(
        self, runtime: Runtime, cast: Cast, clock: FixedClock
    ) -> None:
        row = await agreed(runtime, cast)
        clock.moment = START - timedelta(hours=2)
        await refused(
            LateNoticeNotAcknowledged,
            lambda: cancelling.cancel_meeting(
                runtime, cast.client, row.id, reason=None, message=None, acknowledge_late_notice=False
            ),
        )
        await cancelling.cancel_meeting(
            runtime, cast.client, row.id, reason=None, message=None, acknowledge_late_notice=True
        )
        found = await stored(row.id)
        assert (found["status"], found["ledger"], found["jobs"]) == (
            "CANCELLED",
            [("BLOCK", 50)],
            ["SETTLEMENT_WAIVER"],
        )
        assert (await Meeting.get(id=row.id)).room_url is None
        await cancelling.settle_charge(runtime, cast.expert, row.id, SettlementDecision.CHARGE)
        assert await ledger_of(str(row.id)) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)]
        await refused(
            InvalidState, lambda: cancelling.settle_charge(runtime, cast.expert, row.id, SettlementDecision.WAIVE)
        )

    async def test_an_admin_cancels_for_the_expert_unless_told_otherwise(self, runtime: Runtime, cast: Cast) -> None:
        row = await agreed(runtime, cast)
        await cancelling.cancel_meeting(
            runtime, cast.admin, row.id, reason=CancelReason.OTHER, message=None, acknowledge_late_notice=True
        )
        cancelled = await Meeting.get(id=row.id)
        assert cancelled.cancelled_by_side is rules.ADMIN_CANCELS_AS
        assert await ledger_of(str(row.id)) == [("BLOCK", 50), ("RELEASE", 50)]


class TestSession:
    async def test_joining_ending_then_a_note_and_a_review(
        self, runtime: Runtime, cast: Cast, clock: FixedClock
    ) -> None:
        row = await agreed(runtime, cast)
        clock.moment = START - timedelta(minutes=5)
        await sessions.join_meeting(runtime, cast.client, row.id)
        await sessions.join_meeting(runtime, cast.expert, row.id)
        clock.moment = START + timedelta(minutes=50)
        await sessions.end_meeting(runtime, cast.expert, row.id)
        await refused(NotAllowed, lambda: sessions.add_note(runtime, cast.client, row.id, "mine"))
        await sessions.add_note(runtime, cast.expert, row.id, "Went well")
        await sessions.review_meeting(runtime, cast.client, row.id, 5, "Great")
        await refused(InvalidState, lambda: sessions.review_meeting(runtime, cast.client, row.id, 4, ""))
        found = await stored(row.id)
        assert found["timeline"][-5:] == [
            "JOINED_BY_CLIENT",
            "STARTED",
            "ENDED_BY_EXPERT",
            "NOTE_ADDED",
            "REVIEWED",
        ]
        assert (found["status"], found["ledger"][-3:], found["jobs"]) == (
            "COMPLETED",
            [("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)],  # the platform's fee: 15 %
            ["SETTLE_EARNINGS"],  # the earnings become payable 72 h after the charge
        )


async def agreed_over_an_overlap(runtime: Runtime, cast: Cast) -> Meeting:
    """Agreed with the overlap acknowledged: the expert has another meeting at that time."""
    await agreed(runtime, cast)
    other = await make_actor(runtime, cast.admin, credits=100)
    proposal = booking.Proposal(other.user_id, cast.service_id, VIDEO, 10, acknowledge_overlap=True)
    proposed = await booking.propose_meeting(runtime, cast.expert, proposal)
    row = await answering.confirm_meeting(runtime, other, proposed.id, acknowledge_overlap=False)
    assert (row.status, row.overlap_acknowledged) == (MeetingStatus.AGREED, True)
    return row


class TestAMeetingAgreedOverAnAcknowledgedOverlap:
    """Every use case that writes such a meeting while it stays active (the guard lets it
    through; the repository once refused it as "taking new time")."""

    async def test_it_is_joined_ended_noted_and_reviewed(self, runtime: Runtime, cast: Cast, clock: FixedClock) -> None:
        row = await agreed_over_an_overlap(runtime, cast)
        client = Actor(UUID(str(row.client_id)))
        clock.moment = START - timedelta(minutes=5)
        await sessions.join_meeting(runtime, client, row.id)
        await sessions.join_meeting(runtime, cast.expert, row.id)
        clock.moment = START + timedelta(minutes=50)
        await sessions.end_meeting(runtime, cast.expert, row.id)
        await sessions.add_note(runtime, cast.expert, row.id, "Went well")
        await sessions.review_meeting(runtime, client, row.id, 5, "")
        assert (await stored(row.id))["status"] == "COMPLETED"

    async def test_the_expert_offers_other_times(self, runtime: Runtime, cast: Cast) -> None:
        row = await agreed_over_an_overlap(runtime, cast)
        later = rescheduling.RescheduleRequest(
            times=(START + timedelta(days=1),), reason=RescheduleReason.EXPERT_SCHEDULE
        )
        await rescheduling.reschedule_meeting(runtime, cast.expert, row.id, later)
        assert (await stored(row.id))["status"] == "AGREED"

    async def test_the_expert_offers_another_place(self, runtime: Runtime, cast: Cast) -> None:
        row = await agreed_over_an_overlap(runtime, cast)
        await offers.change_meeting_location(runtime, cast.expert, row.id, MeetingMode.IN_PERSON, None, None)
        assert (await stored(row.id))["status"] == "AGREED"

    async def test_nobody_joining_is_a_no_show(self, runtime: Runtime, cast: Cast, clock: FixedClock) -> None:
        row = await agreed_over_an_overlap(runtime, cast)
        clock.moment = START + timedelta(minutes=11)
        runner = JobRunner(runtime)
        while await runner.run_due():
            pass
        assert (await stored(row.id))["status"] == "NO_SHOW"
        assert await ScheduledJob.exclude(last_error=None).count() == 0


class TestClock:
    async def test_an_unanswered_booking_expires_at_its_start_once(
        self, runtime: Runtime, cast: Cast, clock: FixedClock
    ) -> None:
        row = await book(runtime, cast)
        await timed.apply_clock_rule(runtime, row.id, rules.expire_at_start, START - timedelta(seconds=1))
        assert (await stored(row.id))["status"] == "AWAITING_APPROVAL"
        for _ in range(2):
            await timed.apply_clock_rule(runtime, row.id, rules.expire_at_start, START)
        found = await stored(row.id)
        assert (found["status"], found["timeline"], found["ledger"]) == (
            "EXPIRED",
            ["BOOKED_BY_CLIENT", "EXPIRED"],
            [("BLOCK", 50), ("RELEASE", 50)],
        )


async def test_a_failing_effect_rolls_the_whole_change_back(
    runtime: Runtime, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(uow: object, change: object) -> None:
        raise RuntimeError("the notification store is down")

    booked_effects = effects.EFFECTS[TimelineEventType.BOOKED_BY_CLIENT]
    monkeypatch.setitem(effects.EFFECTS, TimelineEventType.BOOKED_BY_CLIENT, (*booked_effects, broken))
    before = await snapshot()
    with pytest.raises(RuntimeError):
        await book(runtime, cast)
    assert await snapshot() == before


class VideoService:
    """A room provider that must be told (a video service's API), recording what it heard."""

    calls_out = True

    def __init__(self, rooms: Any) -> None:
        self._rooms = rooms
        self.heard: list[tuple[str, str]] = []

    async def open_room(self, room_url: str) -> None:
        self.heard.append(("open", room_url))

    async def close_room(self, room_url: str) -> None:
        self.heard.append(("close", room_url))

    def link_for(self, room_url: str, user_id: UUID) -> str:
        return str(self._rooms.link_for(room_url, user_id))

    def participant(self, room_url: str, signed: str) -> UUID | None:
        return self._rooms.participant(room_url, signed)  # type: ignore[no-any-return]


class TestRoomsOfACallingOutProvider:
    async def test_it_hears_of_each_room_once_after_the_change_commits_and_never_of_a_refused_one(
        self, runtime: Runtime, cast: Cast
    ) -> None:
        video = VideoService(runtime.rooms)
        runtime = replace(runtime, rooms=video)
        row = await book(runtime, cast)
        room_jobs = ScheduledJob.filter(meeting_id=row.id, kind__in=["ROOM_OPEN", "ROOM_CLOSE"])
        await refused(
            NotAllowed, lambda: answering.confirm_meeting(runtime, cast.client, row.id, acknowledge_overlap=False)
        )
        assert await room_jobs.count() == 0 and video.heard == []  # no room for a change that did not happen

        confirmed = await answering.confirm_meeting(runtime, cast.expert, row.id, acknowledge_overlap=False)
        room = confirmed.room_url
        assert room is not None and video.heard == []  # the change itself calls no one
        await JobRunner(runtime).run_due()
        assert video.heard == [("open", room)]

        await cancelling.cancel_meeting(
            runtime,
            cast.expert,
            row.id,
            reason=CancelReason.SCHEDULE_CONFLICT,
            message=None,
            acknowledge_late_notice=False,
        )
        await JobRunner(runtime).run_due()
        await JobRunner(runtime).run_due()  # nothing left to tell
        assert video.heard == [("open", room), ("close", room)]
        assert await room_jobs.filter(status=JobStatus.DONE).count() == 2


class TestHubClientsWindow:
    """Seed 002: a HUB client has a fixed 24-hour cancellation window, whatever the expert's own;
    a private client has the expert's, and each reads their programme's warning."""

    async def test_a_hub_client_cancels_freely_outside_24_hours_where_a_private_one_may_pay(
        self, runtime: Runtime, cast: Cast, clock: FixedClock
    ) -> None:
        await availability.update_expert_policy(
            runtime, cast.expert, None, availability.PolicyChange(client_cancellation_window_minutes=72 * 60)
        )
        private = await agreed(runtime, cast)
        hub_client = await make_actor(runtime, cast.admin, credits=500)
        await programmes.set_client_programme(runtime, cast.expert, None, hub_client.user_id, ClientProgramme.HUB)
        hub = await agreed(runtime, cast, replace(VIDEO, starts_at=START + timedelta(hours=2)), client=hub_client)
        clock.moment = START - timedelta(hours=30)  # inside the expert's 72 h, outside the HUB's 24 h

        with pytest.raises(LateNoticeNotAcknowledged, match="penalty may apply depending on the professional"):
            await cancelling.cancel_meeting(
                runtime, cast.client, private.id, reason=None, message=None, acknowledge_late_notice=False
            )
        freely = await cancelling.cancel_meeting(
            runtime, hub_client, hub.id, reason=None, message=None, acknowledge_late_notice=False
        )
        assert (freely.status, freely.credit_status) == ("CANCELLED", "RETURNED")

    async def test_inside_24_hours_a_hub_client_reads_the_hub_warning(
        self, runtime: Runtime, cast: Cast, clock: FixedClock
    ) -> None:
        hub_client = await make_actor(runtime, cast.admin, credits=500)
        await programmes.set_client_programme(runtime, cast.expert, None, hub_client.user_id, ClientProgramme.HUB)
        hub = await agreed(runtime, cast, client=hub_client)
        clock.moment = START - timedelta(hours=10)
        _side, quote = await cancelling.cancellation_quote(runtime, hub_client, hub.id)
        assert quote.acknowledgement_needed and quote.charge_at_risk_credits == 50
        with pytest.raises(LateNoticeNotAcknowledged, match="Your session starts within 24 hours"):
            await cancelling.cancel_meeting(
                runtime, hub_client, hub.id, reason=None, message=None, acknowledge_late_notice=False
            )
