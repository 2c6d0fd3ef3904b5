"""What a meeting change does besides changing the meeting, looked up by its event type.

A use case saves the new state and calls `record`; each effect registered for
the outcome's event type then runs, in order, in the same transaction. Adding
an event type means adding its entry here (tests/unit/test_registries.py fails
until it has one).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tortoise.expressions import F

from app.domain.directory import business_time_between, judge
from app.domain.ledger import LedgerKind, credit_moves, discount_moves
from app.domain.meetings import CreditStatus, MeetingState, Outcome, TimelineEventType
from app.domain.notifications import MeetingSummary, plan_notifications
from app.domain.offers import OfferState, OfferStatus, outlived
from app.domain.people import Actor, Side
from app.domain.rooms import RoomChange, room_change
from app.domain.schedule import KEPT_ACROSS_CHANGES, JobKind, jobs_for
from app.events import topics
from app.events.broker import Event
from app.models import ExpertProfile, Meeting, ScheduledJob, TimelineEvent
from app.models.jobs import JobStatus
from app.services import offer_repository
from app.services.earnings import fee_percent, plan_settlement
from app.services.ledger import kind_totals, write_moves
from app.services.meeting_repository import MeetingRecord
from app.services.meeting_snapshots import row_payload
from app.services.notifications import deliver
from app.services.unit_of_work import UnitOfWork
from app.services.webhook_deliveries import queue_deliveries


@dataclass(frozen=True)
class Change:
    meeting: MeetingRecord
    """As saved."""
    before: MeetingState | None
    """None for a new meeting."""
    outcome: Outcome
    actor: Actor | None
    """None when the clock made the change."""
    side: Side | None
    now: datetime
    offer: OfferState | None = None
    """The offer the change made or answered, if any."""
    rebooked_from: datetime | None = None
    """A new meeting that replaces another's time: that time."""

    @property
    def moved_from(self) -> datetime | None:
        if self.rebooked_from is not None:
            return self.rebooked_from
        if self.before is not None and self.before.starts_at != self.meeting.state.starts_at:
            return self.before.starts_at
        return None

    def summary(self) -> MeetingSummary:
        details = self.outcome.details
        reason, message = details.get("reason"), details.get("message")
        summary = replace(
            self.meeting.summary(),
            previous_starts_at=self.moved_from,
            reason=str(reason) if reason else None,
            message=str(message) if message else None,
        )
        if self.offer is None:
            return summary
        return replace(
            summary,
            offered_times=self.offer.times,
            offered_mode=self.offer.mode,
            offered_location=self.offer.location,
        )

    @property
    def by_admin(self) -> bool:
        return self.actor is not None and self.actor.user_id not in (
            self.meeting.parties.client_id,
            self.meeting.parties.expert_id,
        )


Effect = Callable[[UnitOfWork, Change], Awaitable[None]]


async def move_credits(uow: UnitOfWork, change: Change) -> None:
    before = change.before.credit_status if change.before else CreditStatus.NONE
    after = change.meeting.state
    parties = change.meeting.parties
    fee = fee_percent(uow.runtime, change.meeting.fee_percent)
    blocked = change.before.price_credits if change.before else after.price_credits
    moves = credit_moves(before, after.credit_status, after.price_credits, fee, blocked)
    discounted = after.discount_credits - (change.before.discount_credits if change.before else 0)
    if discounted:
        charge = await kind_totals(meeting_id=change.meeting.id)
        moves += discount_moves(discounted, charge.get(LedgerKind.CHARGE, 0), charge.get(LedgerKind.PLATFORM_FEE, 0))
    await write_moves(
        moves, client_id=parties.client_id, expert_id=parties.expert_id, meeting_id=change.meeting.id, now=change.now
    )
    if any(move.kind is LedgerKind.EARNING for move in moves):
        plan_settlement(uow, change.meeting.id, change.meeting.version, change.now)


async def append_timeline(uow: UnitOfWork, change: Change) -> None:
    await TimelineEvent.create(
        meeting_id=change.meeting.id,
        type=change.outcome.event,
        actor_id=change.actor.user_id if change.actor else None,
        actor_side=change.side,
        by_admin=change.by_admin,
        at=change.now,
        meeting_version=change.meeting.version,
        details={k: v for k, v in change.outcome.details.items() if v is not None},
    )


async def notify_participants(uow: UnitOfWork, change: Change) -> None:
    meeting = change.meeting
    planned = plan_notifications(
        change.outcome.event, change.side, change.by_admin, change.summary(), meeting.time_zones()
    )
    await deliver(uow, meeting.id, meeting.parties, planned, change.now)


async def lapse_offers(uow: UnitOfWork, change: Change) -> None:
    """A pending offer lapses once the meeting ends, moves or changes place by other means."""
    if change.before is None:
        return
    pending = await offer_repository.pending_for(change.meeting.id)
    if pending is not None and outlived(pending.state, change.before, change.meeting.state):
        await offer_repository.save(pending, replace(pending.state, status=OfferStatus.EXPIRED), change.now)


async def judge_expert(uow: UnitOfWork, change: Change) -> None:
    """Keeps the expert's directory measures: first response time, rearrangements, cancellations."""
    meeting = change.meeting
    first_answer = meeting.row.created_by_side is Side.CLIENT and meeting.row.expert_answered_at is None
    judged = judge(change.outcome.event, change.side, by_admin=change.by_admin, first_answer=first_answer)
    counters: dict[str, Any] = {}
    if judged.answers:
        waited = business_time_between(meeting.row.created_at, change.now, meeting.expert.time_zone)
        counters["responses"] = F("responses") + 1
        counters["response_business_seconds"] = F("response_business_seconds") + int(waited.total_seconds())
        await Meeting.filter(id=meeting.id).update(expert_answered_at=change.now)
        meeting.row.expert_answered_at = change.now
    if judged.rearranges:
        counters["unrequested_rearrangements"] = F("unrequested_rearrangements") + 1
    if judged.cancels:
        counters["expert_cancellations"] = F("expert_cancellations") + 1
    if counters:
        await ExpertProfile.filter(user_id=meeting.parties.expert_id).update(**counters)


async def replan_jobs(uow: UnitOfWork, change: Change) -> None:
    """Replaces the meeting's pending timed work with what its new state and pending offer need."""
    meeting = change.meeting
    if change.before is None:  # a new meeting: no jobs yet, and no offer but the one this change made
        offer = change.offer if change.offer is not None and change.offer.status is OfferStatus.PENDING else None
    else:
        await (
            ScheduledJob.filter(meeting_id=meeting.id, status=JobStatus.PENDING)
            .exclude(kind__in=list(KEPT_ACROSS_CHANGES))
            .update(status=JobStatus.CANCELLED, finished_at=change.now)
        )
        pending = await offer_repository.pending_for(meeting.id)
        offer = pending.state if pending else None
    planned = jobs_for(
        meeting.state,
        meeting.policy,
        uow.runtime.reminder_offsets,
        change.now,
        offer_expires_at=offer.expires_at if offer else None,
    )
    uow.plan_jobs(
        *(
            ScheduledJob(
                kind=job.kind,
                reminder=job.reminder,
                meeting_id=meeting.id,
                meeting_version=meeting.version,
                due_at=job.due_at,
                created_at=change.now,
            )
            for job in planned
        )
    )


async def tell_room_provider(uow: UnitOfWork, change: Change) -> None:
    """A provider that calls out hears of the room this change opened or closed, through a job
    run after the commit: a change that rolls back tells it nothing, and a slow provider
    holds no transaction open (the room's address was given with the change itself)."""
    if not uow.runtime.rooms.calls_out:
        return
    before, after = change.before, change.meeting.state
    match room_change(before, after):
        case RoomChange.OPENED:
            kind, room_url = JobKind.ROOM_OPEN, after.room_url
        case RoomChange.CLOSED:
            kind, room_url = JobKind.ROOM_CLOSE, before.room_url if before else None
        case None:
            return
    uow.plan_jobs(
        ScheduledJob(
            kind=kind,
            meeting_id=change.meeting.id,
            meeting_version=change.meeting.version,
            room_url=room_url,
            due_at=change.now,
            created_at=change.now,
        )
    )


async def announce_change(uow: UnitOfWork, change: Change) -> None:
    announce(uow, change.meeting, change.outcome.event.value)


async def tell_webhooks(uow: UnitOfWork, change: Change) -> None:
    """A delivery for each webhook that hears this event, written with the change."""
    await queue_deliveries(
        uow, change.meeting, change.outcome.event.value, change.side, change.outcome.details, change.now
    )


def announce(uow: UnitOfWork, meeting: MeetingRecord, event: str) -> None:
    """Tells the participants' and admins' subscriptions that this meeting changed, with the
    row as this version left it."""
    payload: dict[str, str | int | None] = {
        "meeting_id": str(meeting.id),
        "version": meeting.version,
        "event": event,
        "row": row_payload(meeting.row),
    }
    parties = meeting.parties
    uow.changed_expert(parties.expert_id)  # busy times, and the measures the directory ranks by
    uow.publish_after_commit(
        *(
            Event(topic, "meeting", payload)
            for topic in (
                topics.user_meetings(parties.client_id),
                topics.user_meetings(parties.expert_id),
                topics.ADMIN_MEETINGS,
            )
        )
    )


STATE_CHANGED: tuple[Effect, ...] = (
    lapse_offers,
    move_credits,
    append_timeline,
    notify_participants,
    judge_expert,
    replan_jobs,
    tell_room_provider,
    announce_change,
    tell_webhooks,
)
"""A change of status, time, approval, credits or attendance."""
RECORD_ADDED: tuple[Effect, ...] = (append_timeline, notify_participants, announce_change, tell_webhooks)
"""Something added beside the meeting (a note, a review); its state is as it was."""
BILLING_MARKED: tuple[Effect, ...] = (append_timeline, announce_change, tell_webhooks)
"""Billable time started, paused or resumed: both sides, in the session, see it live
(meetingUpdated); no notification, no money moves until the end."""

T = TimelineEventType
EFFECTS: dict[TimelineEventType, tuple[Effect, ...]] = {
    T.BOOKED_BY_CLIENT: STATE_CHANGED,
    T.PROPOSED_BY_EXPERT: STATE_CHANGED,
    T.APPROVED_BY_CLIENT: STATE_CHANGED,
    T.APPROVED_BY_EXPERT: STATE_CHANGED,
    T.DECLINED_BY_CLIENT: STATE_CHANGED,
    T.REJECTED_BY_EXPERT: STATE_CHANGED,
    T.CANCELLED_BY_CLIENT: STATE_CHANGED,
    T.CANCELLED_BY_EXPERT: STATE_CHANGED,
    T.CHARGED_BY_EXPERT: STATE_CHANGED,
    T.CHARGE_WAIVED: STATE_CHANGED,
    T.DISCOUNTED_BY_EXPERT: STATE_CHANGED,
    T.BILLABLE_TIME_STARTED: BILLING_MARKED,
    T.BILLABLE_TIME_PAUSED: BILLING_MARKED,
    T.BILLABLE_TIME_RESUMED: BILLING_MARKED,
    T.JOINED_BY_CLIENT: STATE_CHANGED,
    T.JOINED_BY_EXPERT: STATE_CHANGED,
    T.STARTED: STATE_CHANGED,
    T.ENDED_BY_EXPERT: STATE_CHANGED,
    T.COMPLETED: STATE_CHANGED,
    T.NO_SHOW: STATE_CHANGED,
    T.EXPIRED: STATE_CHANGED,
    T.NOTE_ADDED: RECORD_ADDED,
    T.REVIEWED: RECORD_ADDED,
    T.REQUESTED_BY_CLIENT: STATE_CHANGED,
    T.TAKEN_INSTANTLY: STATE_CHANGED,
    T.RESCHEDULED: STATE_CHANGED,
    T.REBOOKED_BY_CLIENT: STATE_CHANGED,
    T.TIMES_OFFERED: STATE_CHANGED,
    T.LOCATION_OFFERED: STATE_CHANGED,
    T.LOCATION_CHANGED: STATE_CHANGED,
    T.OFFER_ACCEPTED: STATE_CHANGED,
    T.OFFER_REJECTED: STATE_CHANGED,
    T.OFFER_WITHDRAWN: STATE_CHANGED,
    T.OFFER_EXPIRED: STATE_CHANGED,
}


async def record(uow: UnitOfWork, change: Change) -> None:
    """Runs the effects of the change's event type, in the change's transaction."""
    for effect in EFFECTS[change.outcome.event]:
        await effect(uow, change)
