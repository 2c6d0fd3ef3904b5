"""What each kind of timed job does: one handler per `JobKind`.

A new timed rule is a domain function (a `ClockRule`), a `JobKind` that
`domain/schedule.jobs_for` plans, and its line here; tests/unit/test_registries.py
fails while a kind has no handler. A job whose kind this process does not know
fails (FAILED, with the reason), it is never marked DONE unrun.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime

from app.domain import meetings as rules
from app.domain.meetings import ClockRule
from app.domain.schedule import JobKind
from app.models import ScheduledJob
from app.services.offers import expire_offer
from app.services.runtime import Runtime
from app.services.timed import announce_join_window, apply_clock_rule, send_reminder

JobHandler = Callable[[Runtime, ScheduledJob, datetime], Awaitable[None]]


class UnknownJobKind(Exception):
    """No handler for this kind here: retrying in this process cannot help."""


def _clock_rule(rule: ClockRule) -> JobHandler:
    async def handle(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
        await apply_clock_rule(runtime, job.meeting_id, rule, now)

    return handle


async def _reminder(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    if job.reminder is None:
        raise ValueError("a reminder job names its reminder")
    await send_reminder(runtime, job.meeting_id, job.reminder, now)


async def _offer_expiry(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await expire_offer(runtime, job.meeting_id, now)


async def _join_window(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    await announce_join_window(runtime, job.meeting_id, now)


JOB_HANDLERS: dict[str, JobHandler] = {
    JobKind.REMINDER: _reminder,
    JobKind.JOIN_WINDOW_OPENS: _join_window,
    JobKind.NO_SHOW_CHECK: _clock_rule(rules.no_show_at_grace),
    JobKind.COMPLETE: _clock_rule(rules.complete_at_end),
    JobKind.EXPIRE_UNAPPROVED: _clock_rule(rules.expire_at_start),
    JobKind.SETTLEMENT_WAIVER: _clock_rule(rules.waive_unsettled),
    JobKind.OFFER_EXPIRY: _offer_expiry,
}


async def handle(runtime: Runtime, job: ScheduledJob, now: datetime) -> None:
    handler = JOB_HANDLERS.get(job.kind)
    if handler is None:
        raise UnknownJobKind(f"no handler for job kind {job.kind!r}")
    await handler(runtime, job, now)
