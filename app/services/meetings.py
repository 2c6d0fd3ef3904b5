"""Meeting use cases: book, propose, confirm, decline, cancel, settle.

Each runs in one transaction that writes the meeting, its timeline event, its
ledger entries and its notifications together; the live events go out after
the commit. The rules themselves live in `app.domain.meetings`.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from tortoise.exceptions import DoesNotExist, IntegrityError
from tortoise.expressions import Q

from app.domain import meetings as rules
from app.domain.catalog import price_for, require_mode
from app.domain.errors import InvalidInput, InvalidState, NotAllowed, NotFound, SlotTaken
from app.domain.ledger import credit_moves, require_affordable
from app.domain.meetings import (
    ACTIVE_STATUSES,
    CancelReason,
    DeclineReason,
    MeetingMode,
    MeetingState,
    Outcome,
    SettlementDecision,
)
from app.domain.notifications import (
    Channel,
    MeetingSummary,
    PlannedNotification,
    plan_notifications,
)
from app.domain.people import Actor, Side, side_in_meeting, validate_text
from app.domain.policy import ExpertPolicy
from app.events import topics
from app.events.broker import Event
from app.domain.schedule import jobs_for
from app.models import (
    ExpertProfile,
    Meeting,
    Notification,
    ScheduledJob,
    Service,
    TimelineEvent,
    User,
)
from app.models.jobs import JobStatus
from app.services.availability import require_bookable
from app.services.catalog import modes_of, offerings_of
from app.services.ledger import balances_of, lock_account, write_moves
from app.services.rooms import room_after_change
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work

MAX_MESSAGE_LENGTH = 1000


@dataclass(frozen=True)
class BookingRequest:
    service_id: UUID
    starts_at: datetime
    duration_minutes: int
    mode: MeetingMode
    skill: str | None = None


@dataclass(frozen=True)
class Proposal:
    client_id: UUID
    service_id: UUID
    starts_at: datetime
    duration_minutes: int
    price_credits: int
    mode: MeetingMode
    skill: str | None = None
    acknowledge_overlap: bool = False


@dataclass
class Change:
    """What a use case decided, for `_record` to persist and announce."""

    row: Meeting
    side: Side | None
    """None when the clock, not a person, made the change."""
    outcome: Outcome
    credit_before: rules.CreditStatus
    details: dict[str, Any] = field(default_factory=dict)


def state_of(row: Meeting) -> MeetingState:
    if row.starts_at is None:
        raise InvalidState("the meeting has no start time yet")
    return MeetingState(
        status=row.status,
        starts_at=row.starts_at,
        duration_minutes=row.duration_minutes,
        price_credits=row.price_credits,
        credit_status=row.credit_status,
        client_approved=row.client_approved,
        expert_approved=row.expert_approved,
        overlap_acknowledged=row.overlap_acknowledged,
        settlement_due_at=row.settlement_due_at,
        client_joined_at=row.client_joined_at,
        expert_joined_at=row.expert_joined_at,
        completed_at=row.completed_at,
    )


def _state_fields(state: MeetingState) -> dict[str, Any]:
    return {
        "status": state.status,
        "starts_at": state.starts_at,
        "ends_at": state.ends_at,
        "duration_minutes": state.duration_minutes,
        "price_credits": state.price_credits,
        "credit_status": state.credit_status,
        "client_approved": state.client_approved,
        "expert_approved": state.expert_approved,
        "overlap_acknowledged": state.overlap_acknowledged,
        "settlement_due_at": state.settlement_due_at,
        "client_joined_at": state.client_joined_at,
        "expert_joined_at": state.expert_joined_at,
        "completed_at": state.completed_at,
    }


def policy_for(row: Meeting) -> ExpertPolicy:
    """The policy of a meeting's expert, loaded with the meeting (see `_apply`)."""
    expert: User = row.expert
    profile: ExpertProfile | None = expert.expert_profile
    if profile is None:
        raise DoesNotExist(f"the meeting's expert {row.expert_id} has no expert profile")
    return policy_of(profile)


def policy_of(profile: ExpertProfile) -> ExpertPolicy:
    return ExpertPolicy(
        client_cancellation_window=timedelta(minutes=profile.client_cancellation_window_minutes),
        short_notice_window=timedelta(minutes=profile.short_notice_window_minutes),
        join_window=timedelta(minutes=profile.join_window_minutes),
        no_show_grace=timedelta(minutes=profile.no_show_grace_minutes),
        notes_window=timedelta(minutes=profile.notes_window_minutes),
    )


async def person_is_busy(
    user_id: UUID, starts_at: datetime, ends_at: datetime, exclude_meeting_id: UUID | None = None
) -> bool:
    """Does an active meeting of this person (on either side) overlap the interval?"""
    query = Meeting.filter(
        Q(expert_id=user_id) | Q(client_id=user_id),
        status__in=list(ACTIVE_STATUSES),
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude_meeting_id is not None:
        query = query.exclude(id=exclude_meeting_id)
    return await query.exists()


def _optional_text(label: str, value: str | None) -> str | None:
    if value is None:
        return None
    return validate_text(label, value, max_length=MAX_MESSAGE_LENGTH, required=False) or None


async def _service_with_expert(service_id: UUID) -> Service:
    service = (
        await Service.filter(id=service_id, is_active=True)
        .select_related("expert", "expert__expert_profile")
        .first()
    )
    if service is None:
        raise NotFound("no such service")
    return service


def _validate_skill(skill: str | None, profile: ExpertProfile) -> str | None:
    if skill is None:
        return None
    if skill not in profile.skills:
        raise InvalidInput(f"the expert does not list the skill {skill[:80]!r}")
    return skill


async def book_meeting(runtime: Runtime, actor: Actor, request: BookingRequest) -> Meeting:
    """A client books a time with an expert; the expert confirms or declines."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        service = await _service_with_expert(request.service_id)
        expert: User = service.expert
        if expert.id == actor.user_id:
            raise InvalidInput("you cannot book your own service")
        price = price_for(offerings_of(service), request.duration_minutes)
        require_mode(modes_of(service), request.mode)
        skill = _validate_skill(request.skill, expert.expert_profile)
        outcome = rules.booked_by_client(request.starts_at, request.duration_minutes, price, now)
        await require_bookable(
            expert.expert_profile, expert.time_zone, request.starts_at, request.duration_minutes, now
        )
        await lock_account(actor.user_id)
        require_affordable(await balances_of(actor.user_id), price)
        client = await User.get(id=actor.user_id)
        row = await _create_meeting(
            outcome, client=client, expert=expert, service=service, mode=request.mode,
            skill=skill, created_by=Side.CLIENT, now=now,
        )
        await _record(
            uow, runtime, actor, now, Change(row, Side.CLIENT, outcome, rules.CreditStatus.NONE)
        )
    return row


async def propose_meeting(runtime: Runtime, actor: Actor, proposal: Proposal) -> Meeting:
    """An expert invites a client to a meeting; the client confirms or declines."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        service = await _service_with_expert(proposal.service_id)
        expert: User = service.expert
        if expert.id != actor.user_id and not actor.is_admin:
            raise NotAllowed("you may only propose meetings for your own services")
        if proposal.client_id == expert.id:
            raise InvalidInput("an expert cannot invite themself")
        client = await User.filter(id=proposal.client_id).first()
        if client is None:
            raise NotFound("no such client")
        require_mode(modes_of(service), proposal.mode)
        skill = _validate_skill(proposal.skill, expert.expert_profile)
        rules.validate_new_time(proposal.starts_at, proposal.duration_minutes, now)
        ends_at = proposal.starts_at + timedelta(minutes=proposal.duration_minutes)
        outcome = rules.proposed_by_expert(
            proposal.starts_at,
            proposal.duration_minutes,
            proposal.price_credits,
            now,
            overlaps_other_meeting=await person_is_busy(expert.id, proposal.starts_at, ends_at),
            acknowledge_overlap=proposal.acknowledge_overlap,
        )
        row = await _create_meeting(
            outcome, client=client, expert=expert, service=service, mode=proposal.mode,
            skill=skill, created_by=Side.EXPERT, now=now,
        )
        await _record(
            uow, runtime, actor, now, Change(row, Side.EXPERT, outcome, rules.CreditStatus.NONE)
        )
    return row


async def _create_meeting(
    outcome: Outcome,
    *,
    client: User,
    expert: User,
    service: Service,
    mode: MeetingMode,
    skill: str | None,
    created_by: Side,
    now: datetime,
) -> Meeting:
    row = Meeting(
        id=uuid4(),
        client=client,
        expert=expert,
        service=service,
        skill=skill,
        mode=mode,
        location=service.location if mode is MeetingMode.IN_PERSON else None,
        created_by_side=created_by,
        version=1,
        created_at=now,
        updated_at=now,
        **_state_fields(outcome.state),
    )
    async with _overlap_is_slot_taken():
        await row.save()
    return row


@asynccontextmanager
async def _overlap_is_slot_taken() -> AsyncIterator[None]:
    """The database's last word on double booking (see migration 0003)."""
    try:
        yield
    except IntegrityError as exc:
        if "meeting_overlap" in str(exc):
            raise SlotTaken("the expert is not free at that time") from exc
        raise


async def confirm_meeting(
    runtime: Runtime, actor: Actor, meeting_id: UUID, *, acknowledge_overlap: bool
) -> Meeting:
    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        overlaps = side is Side.EXPERT and await person_is_busy(
            row.expert_id, state.starts_at, state.ends_at, exclude_meeting_id=row.id
        )
        outcome = rules.confirm(
            state, side, now, overlaps_other_meeting=overlaps, acknowledge_overlap=acknowledge_overlap
        )
        if outcome.state.credit_status is not state.credit_status:
            await lock_account(row.client_id)
            require_affordable(await balances_of(row.client_id), state.price_credits)
        return Change(row, side, outcome, state.credit_status)

    return await change_meeting(runtime, actor, meeting_id, _unapproved_side, decide)


async def decline_meeting(
    runtime: Runtime, actor: Actor, meeting_id: UUID, reason: DeclineReason, message: str | None
) -> Meeting:
    message = _optional_text("message", message)

    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        outcome = rules.decline(state, side, now)
        row.decline_reason = reason
        return Change(row, side, outcome, state.credit_status, {"reason": reason.value, "message": message})

    return await change_meeting(runtime, actor, meeting_id, _unapproved_side, decide)


async def cancel_meeting(
    runtime: Runtime,
    actor: Actor,
    meeting_id: UUID,
    *,
    reason: CancelReason | None,
    message: str | None,
    acknowledge_late_notice: bool,
    admin_acts_as: Side = Side.EXPERT,
) -> Meeting:
    message = _optional_text("message", message)

    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        outcome = rules.cancel(
            state,
            side,
            policy_for(row),
            now,
            acknowledge_late_notice=acknowledge_late_notice,
            reason_given=reason is not None,
        )
        row.cancel_reason = reason
        row.cancelled_by_side = side
        details = {
            "reason": reason.value if reason else None,
            "message": message,
            "late_notice_acknowledged": acknowledge_late_notice,
            "settlement_due_at": (
                outcome.state.settlement_due_at.isoformat() if outcome.state.settlement_due_at else None
            ),
        }
        return Change(row, side, outcome, state.credit_status, details)

    return await change_meeting(runtime, actor, meeting_id, lambda _row: admin_acts_as, decide)


async def settle_charge(
    runtime: Runtime, actor: Actor, meeting_id: UUID, decision: SettlementDecision
) -> Meeting:
    async def decide(row: Meeting, side: Side, now: datetime) -> Change:
        state = state_of(row)
        outcome = rules.settle(state, side, decision, now)
        return Change(row, side, outcome, state.credit_status, {"decision": decision.value})

    return await change_meeting(runtime, actor, meeting_id, lambda _row: Side.EXPERT, decide)


def _unapproved_side(row: Meeting) -> Side | None:
    """An admin answering for a meeting answers for the side that has not approved."""
    if not row.expert_approved:
        return Side.EXPERT
    if not row.client_approved:
        return Side.CLIENT
    return None


async def change_meeting(
    runtime: Runtime,
    actor: Actor,
    meeting_id: UUID,
    admin_side: Callable[[Meeting], Side | None],
    decide: Callable[[Meeting, Side, datetime], Awaitable[Change]],
) -> Meeting:
    async def decide_for_actor(row: Meeting, now: datetime) -> Change:
        side = side_in_meeting(actor, row.client_id, row.expert_id, admin_side(row))
        return await decide(row, side, now)

    row = await _apply(runtime, actor, meeting_id, decide_for_actor)
    assert row is not None
    return row


async def apply_timed_change(
    runtime: Runtime,
    meeting_id: UUID,
    decide: Callable[[MeetingState, ExpertPolicy, datetime], Outcome | None],
    now: datetime,
) -> Meeting | None:
    """A change the clock makes (no-show, completion, expiry, waiver), if still due at `now`,
    the instant its job was claimed at."""

    async def decide_now(row: Meeting, now: datetime) -> Change | None:
        state = state_of(row)
        outcome = decide(state, policy_for(row), now)
        return None if outcome is None else Change(row, None, outcome, state.credit_status)

    return await _apply(runtime, None, meeting_id, decide_now, now)


async def _apply(
    runtime: Runtime,
    actor: Actor | None,
    meeting_id: UUID,
    decide: Callable[[Meeting, datetime], Awaitable[Change | None]],
    now: datetime | None = None,
) -> Meeting | None:
    now = now or runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        row = (
            await Meeting.filter(id=meeting_id)
            .select_for_update()
            .select_related("client", "expert", "expert__expert_profile", "service")
            .first()
        )
        if row is None:
            raise NotFound("no such meeting")
        before = row.status
        change = await decide(row, now)
        if change is None:
            return None
        row.room_url = room_after_change(
            runtime.rooms, row.mode, before, change.outcome.state.status, row.room_url
        )
        await _save_state(row, change.outcome.state, now)
        await _record(uow, runtime, actor, now, change)
    return row


async def _save_state(row: Meeting, state: MeetingState, now: datetime) -> None:
    """Writes only if nobody changed the meeting since it was read (version check)."""
    fields = {
        **_state_fields(state),
        "decline_reason": row.decline_reason,
        "cancel_reason": row.cancel_reason,
        "cancelled_by_side": row.cancelled_by_side,
        "room_url": row.room_url,
        "version": row.version + 1,
        "updated_at": now,
    }
    async with _overlap_is_slot_taken():
        updated = await Meeting.filter(id=row.id, version=row.version).update(**fields)
    if updated != 1:
        raise InvalidState("the meeting changed meanwhile; reload it and try again")
    for name, value in fields.items():
        setattr(row, name, value)


async def _record(
    uow: UnitOfWork, runtime: Runtime, actor: Actor | None, now: datetime, change: Change
) -> None:
    """Writes the change's ledger entries, timeline event, notifications and timed jobs;
    queues its live events."""
    row, state = change.row, change.outcome.state
    client: User = row.client
    expert: User = row.expert
    service: Service = row.service
    await write_moves(
        credit_moves(change.credit_before, state.credit_status, state.price_credits),
        client_id=client.id,
        expert_id=expert.id,
        meeting_id=row.id,
        now=now,
    )
    by_admin = actor is not None and actor.user_id not in (client.id, expert.id)
    await TimelineEvent.create(
        meeting_id=row.id,
        type=change.outcome.event,
        actor_id=actor.user_id if actor else None,
        actor_side=change.side,
        by_admin=by_admin,
        at=now,
        meeting_version=row.version,
        details={k: v for k, v in change.details.items() if v is not None},
    )
    planned = plan_notifications(
        change.outcome.event,
        change.side,
        by_admin,
        MeetingSummary(
            service_title=service.title,
            starts_at=state.starts_at,
            price_credits=state.price_credits,
            client_name=client.name,
            expert_name=expert.name,
        ),
        {Side.CLIENT: client.time_zone, Side.EXPERT: expert.time_zone},
    )
    await notify(uow, row, planned, now)
    await schedule_jobs(runtime, row, state, now)
    announce_meeting(uow, row, change.outcome.event.value)


async def notify(uow: UnitOfWork, row: Meeting, planned: list[PlannedNotification], now: datetime) -> None:
    for plan in planned:
        recipient_id = row.client_id if plan.recipient is Side.CLIENT else row.expert_id
        notification = await Notification.create(
            id=uuid4(),
            recipient_id=recipient_id,
            type=plan.type,
            meeting_id=row.id,
            text=plan.text,
            channels=[Channel.DASHBOARD.value, Channel.EMAIL.value],
            created_at=now,
        )
        uow.publish_after_commit(
            Event(
                topics.user_notifications(recipient_id),
                "notification",
                {"notification_id": str(notification.id)},
            )
        )


def announce_meeting(uow: UnitOfWork, row: Meeting, event: str) -> None:
    """Tells the participants' and admins' subscriptions that this meeting changed."""
    payload: dict[str, str | int | None] = {
        "meeting_id": str(row.id),
        "version": row.version,
        "event": event,
    }
    uow.publish_after_commit(
        *(
            Event(topic, "meeting", payload)
            for topic in (
                topics.user_meetings(row.client_id),
                topics.user_meetings(row.expert_id),
                topics.ADMIN_MEETINGS,
            )
        )
    )


async def schedule_jobs(runtime: Runtime, row: Meeting, state: MeetingState, now: datetime) -> None:
    """Replaces the meeting's pending timed work with what its new state needs."""
    await ScheduledJob.filter(meeting_id=row.id, status=JobStatus.PENDING).update(
        status=JobStatus.CANCELLED, finished_at=now
    )
    planned = jobs_for(state, policy_for(row), runtime.reminder_offsets, now)
    await ScheduledJob.bulk_create(
        [
            ScheduledJob(
                kind=job.kind,
                reminder=job.reminder,
                meeting_id=row.id,
                meeting_version=row.version,
                due_at=job.due_at,
                created_at=now,
            )
            for job in planned
        ]
    )


__all__ = [
    "BookingRequest",
    "Proposal",
    "book_meeting",
    "cancel_meeting",
    "confirm_meeting",
    "decline_meeting",
    "propose_meeting",
    "settle_charge",
]
