"""What each kind of timed job does: one handler per `JobKind`.

A new timed rule is a domain function (a `ClockRule`), a `JobKind` that
`domain/schedule.jobs_for` plans, and its line here; tests/unit/test_registries.py
fails while a kind has no handler. A job whose kind this process does not know
fails (FAILED, with the reason), it is never marked DONE unrun.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime
from uuid import UUID

from app.domain import meetings as rules
from app.domain.meetings import ClockRule
from app.domain.schedule import JobKind, retry_delay
from app.models import ScheduledJob
from app.services.earnings import settle_earnings
from app.services.instant import expire_instant_request
from app.services.messages import send_unread_email
from app.services.offers import expire_offer
from app.services.outbound import send_notification
from app.services.payouts import run_payout_cycle, send_to_provider
from app.services.runtime import Runtime
from app.services.timed import announce_join_window, apply_clock_rule, remind_of_notes, send_reminder
from app.services.webhook_deliveries import send_delivery

JobHandler = Callable[[Runtime, ScheduledJob, datetime], Awaitable[None]]


class UnknownJobKind(Exception):
    """No handler for this kind here: retrying in this process cannot help."""


def _meeting_of(job: ScheduledJob) -> UUID:
    if job.meeting_id is None:
        raise ValueError(f"a {job.kind} job names its meeting")
    return job.meeting_id


def _clock_rule(rule: ClockRule) -> JobHandler:
    async def handle(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
        await apply_clock_rule(runtime, _meeting_of(job), rule, now)

    return handle


async def _reminder(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.reminder is None:
        raise ValueError("a reminder job names its reminder")
    await send_reminder(runtime, _meeting_of(job), job.reminder, now)


async def _offer_expiry(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await expire_offer(runtime, _meeting_of(job), now)


async def _instant_expiry(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.instant_request_id is None:
        raise ValueError("an instant expiry job names its request")
    await expire_instant_request(runtime, job.instant_request_id, now)


async def _send_email(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.notification_id is None:
        raise ValueError("a SEND_EMAIL job names its notification")
    last_try = retry_delay(job.attempts, job.kind) is None
    await send_notification(runtime, job.notification_id, now, last_try=last_try)


async def _messages_email(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.conversation_id is None or job.recipient_id is None:
        raise ValueError("a MESSAGES_EMAIL job names its conversation and recipient")
    last_try = retry_delay(job.attempts, job.kind) is None
    await send_unread_email(runtime, job.conversation_id, job.recipient_id, now, last_try=last_try)


async def _room(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.room_url is None:
        raise ValueError(f"a {job.kind} job names its room")
    if job.kind == JobKind.ROOM_OPEN:
        await runtime.rooms.open_room(job.room_url)
    else:
        await runtime.rooms.close_room(job.room_url)


async def _notes_reminder(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await remind_of_notes(runtime, _meeting_of(job), now)


async def _settle_earnings(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await settle_earnings(runtime, _meeting_of(job), now)


async def _payout_cycle(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await run_payout_cycle(runtime, now)


async def _send_payout(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.payout_id is None:
        raise ValueError("a SEND_PAYOUT job names its payout")
    await send_to_provider(runtime, job.payout_id)


async def _send_webhook(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.webhook_delivery_id is None:
        raise ValueError("a SEND_WEBHOOK job names its delivery")
    last_try = retry_delay(job.attempts, job.kind) is None
    await send_delivery(runtime, job.webhook_delivery_id, last_try=last_try)


async def _join_window(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await announce_join_window(runtime, _meeting_of(job), now)


JOB_HANDLERS: dict[str, JobHandler] = {
    JobKind.REMINDER: _reminder,
    JobKind.JOIN_WINDOW_OPENS: _join_window,
    JobKind.NO_SHOW_CHECK: _clock_rule(rules.no_show_at_grace),
    JobKind.COMPLETE: _clock_rule(rules.complete_at_end),
    JobKind.EXPIRE_UNAPPROVED: _clock_rule(rules.expire_at_start),
    JobKind.SETTLEMENT_WAIVER: _clock_rule(rules.waive_unsettled),
    JobKind.OFFER_EXPIRY: _offer_expiry,
    JobKind.INSTANT_EXPIRY: _instant_expiry,
    JobKind.SEND_EMAIL: _send_email,
    JobKind.MESSAGES_EMAIL: _messages_email,
    JobKind.NOTES_REMINDER: _notes_reminder,
    JobKind.ROOM_OPEN: _room,
    JobKind.ROOM_CLOSE: _room,
    JobKind.SETTLE_EARNINGS: _settle_earnings,
    JobKind.PAYOUT_CYCLE: _payout_cycle,
    JobKind.SEND_PAYOUT: _send_payout,
    JobKind.SEND_WEBHOOK: _send_webhook,
}

OUTSIDE_TRANSACTION: frozenset[str] = frozenset(
    {
        JobKind.SEND_EMAIL,
        JobKind.MESSAGES_EMAIL,
        JobKind.ROOM_OPEN,
        JobKind.ROOM_CLOSE,
        JobKind.SEND_PAYOUT,
        JobKind.SEND_WEBHOOK,
    }
)
"""Kinds that talk to the outside world: they run before the job's transaction, so no
database lock waits on a network call, and may run twice after a crash (at least once)."""


async def handle(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    handler = JOB_HANDLERS.get(job.kind)
    if handler is None:
        raise UnknownJobKind(f"no handler for job kind {job.kind!r}")
    await handler(runtime, job, now)
