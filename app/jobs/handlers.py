"""What each kind of job does. Every handler re-reads the meeting and acts only if
its moment is still due, so running late (after downtime) or twice is harmless."""

from datetime import datetime

from app.domain import meetings as rules
from app.domain.notifications import MeetingSummary, plan_reminder
from app.domain.people import Side
from app.domain.schedule import JobKind, recipients_of, reminder_is_stale
from app.models import Meeting, ScheduledJob
from app.services.meetings import (
    announce_meeting,
    apply_timed_change,
    notify,
    policy_for,
    state_of,
)
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


async def handle(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.kind is JobKind.REMINDER:
        await _send_reminder(runtime, job, now)
    elif job.kind is JobKind.JOIN_WINDOW_OPENS:
        await _announce_join_window(runtime, job, now)
    elif job.kind is JobKind.NO_SHOW_CHECK:
        await apply_timed_change(runtime, job.meeting_id, rules.no_show_at_grace, now)
    elif job.kind is JobKind.COMPLETE:
        await apply_timed_change(
            runtime, job.meeting_id, lambda state, _policy, at: rules.complete_at_end(state, at), now
        )
    elif job.kind is JobKind.EXPIRE_UNAPPROVED:
        await apply_timed_change(
            runtime, job.meeting_id, lambda state, _policy, at: rules.expire_at_start(state, at), now
        )
    elif job.kind is JobKind.SETTLEMENT_WAIVER:
        await apply_timed_change(
            runtime, job.meeting_id, lambda state, _policy, at: rules.waive_unsettled(state, at), now
        )


async def _send_reminder(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    row = await Meeting.get(id=job.meeting_id).select_related("client", "expert", "service")
    state = state_of(row)
    if job.reminder is None or reminder_is_stale(state, now):
        return
    planned = plan_reminder(
        job.reminder,
        recipients_of(job.reminder, runtime.reminder_offsets),
        MeetingSummary(
            service_title=row.service.title,
            starts_at=state.starts_at,
            price_credits=row.price_credits,
            client_name=row.client.name,
            expert_name=row.expert.name,
        ),
        {Side.CLIENT: row.client.time_zone, Side.EXPERT: row.expert.time_zone},
        row.room_url,
    )
    async with unit_of_work(runtime) as uow:
        await notify(uow, row, planned, now)


async def _announce_join_window(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    """canJoin turned true with the clock; nothing is stored, the subscriptions are told."""
    row = await Meeting.get(id=job.meeting_id).select_related("expert__expert_profile")
    if rules.can_join(state_of(row), policy_for(row), now):
        async with unit_of_work(runtime) as uow:
            announce_meeting(uow, row, "JOIN_WINDOW_OPENED")
