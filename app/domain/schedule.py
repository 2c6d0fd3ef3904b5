"""What the clock must do for a meeting in its current state, and when.

Reminders whose moment has passed are not scheduled (and are dropped if they
fall due after the meeting started); state changes are always scheduled, even
if overdue, so that they happen once, late, after downtime.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.followups import notes_reminder_at
from app.domain.instant import InstantRequestState, InstantStatus
from app.domain.meetings import ONLINE_MODES, MeetingState, MeetingStatus, join_opens_at
from app.domain.people import Side
from app.domain.policy import ExpertPolicy


class JobKind(StrEnum):
    REMINDER = "REMINDER"
    JOIN_WINDOW_OPENS = "JOIN_WINDOW_OPENS"
    NO_SHOW_CHECK = "NO_SHOW_CHECK"
    COMPLETE = "COMPLETE"
    EXPIRE_UNAPPROVED = "EXPIRE_UNAPPROVED"
    SETTLEMENT_WAIVER = "SETTLEMENT_WAIVER"
    OFFER_EXPIRY = "OFFER_EXPIRY"
    INSTANT_EXPIRY = "INSTANT_EXPIRY"
    SEND_EMAIL = "SEND_EMAIL"
    NOTES_REMINDER = "NOTES_REMINDER"
    ROOM_OPEN = "ROOM_OPEN"
    ROOM_CLOSE = "ROOM_CLOSE"
    MESSAGES_EMAIL = "MESSAGES_EMAIL"
    SETTLE_EARNINGS = "SETTLE_EARNINGS"
    PAYOUT_CYCLE = "PAYOUT_CYCLE"
    SEND_PAYOUT = "SEND_PAYOUT"
    SEND_WEBHOOK = "SEND_WEBHOOK"


MAIL_JOBS = frozenset({JobKind.SEND_EMAIL, JobKind.MESSAGES_EMAIL})
"""Jobs that hand a mail (or a text message) to a server: retried with the mail back-off
(about a day)."""

ROOM_JOBS = frozenset({JobKind.ROOM_OPEN, JobKind.ROOM_CLOSE})
"""Telling a video provider of a room a change opened or closed: they run once each, and
later changes of the meeting do not cancel them (they replan only the clock's work)."""

KEPT_ACROSS_CHANGES = ROOM_JOBS | {JobKind.SETTLE_EARNINGS}
"""Jobs a change planned for what it did (a room, a charge's settlement), not for the
meeting's state: a later change of the meeting does not cancel them."""


class ReminderKind(StrEnum):
    REMINDER_24H = "REMINDER_24H"
    ROOM_LINK = "ROOM_LINK"
    REMINDER_30M = "REMINDER_30M"
    REMINDER_10M = "REMINDER_10M"
    NOTES_DUE = "NOTES_DUE"
    """To the expert, once, while a session's required notes are missing (not a plan() reminder)."""


@dataclass(frozen=True)
class ReminderOffsets:
    client_day_before: timedelta = timedelta(hours=24)
    expert_room_link: timedelta = timedelta(minutes=60)
    both_first: timedelta = timedelta(minutes=30)
    both_second: timedelta = timedelta(minutes=10)

    def plan(self) -> list[tuple[ReminderKind, timedelta, tuple[Side, ...]]]:
        return [
            (ReminderKind.REMINDER_24H, self.client_day_before, (Side.CLIENT,)),
            (ReminderKind.ROOM_LINK, self.expert_room_link, (Side.EXPERT,)),
            (ReminderKind.REMINDER_30M, self.both_first, (Side.CLIENT, Side.EXPERT)),
            (ReminderKind.REMINDER_10M, self.both_second, (Side.CLIENT, Side.EXPERT)),
        ]


@dataclass(frozen=True)
class PlannedJob:
    kind: JobKind
    due_at: datetime
    reminder: ReminderKind | None = None


def jobs_for(
    state: MeetingState,
    policy: ExpertPolicy,
    reminders: ReminderOffsets,
    now: datetime,
    *,
    offer_expires_at: datetime | None = None,
) -> list[PlannedJob]:
    """`offer_expires_at`: when the meeting's pending offer, if any, expires."""
    jobs: list[PlannedJob] = []
    if offer_expires_at is not None:
        jobs.append(PlannedJob(JobKind.OFFER_EXPIRY, offer_expires_at))
    if state.settlement_due_at is not None:
        jobs.append(PlannedJob(JobKind.SETTLEMENT_WAIVER, state.settlement_due_at))
    if state.status is MeetingStatus.AWAITING_APPROVAL and state.starts_at is not None:
        jobs.append(PlannedJob(JobKind.EXPIRE_UNAPPROVED, state.starts_at))
    if state.status is MeetingStatus.AGREED:
        for reminder, before, _sides in reminders.plan():
            due_at = state.start - before
            if reminder is ReminderKind.ROOM_LINK and state.mode not in ONLINE_MODES:
                continue  # in person: there is no room to send a link to
            if due_at > now:
                jobs.append(PlannedJob(JobKind.REMINDER, due_at, reminder))
        jobs.append(PlannedJob(JobKind.JOIN_WINDOW_OPENS, join_opens_at(state, policy)))
        jobs.append(PlannedJob(JobKind.NO_SHOW_CHECK, state.start + policy.no_show_grace))
    if state.status in (MeetingStatus.AGREED, MeetingStatus.IN_PROGRESS):
        jobs.append(PlannedJob(JobKind.COMPLETE, state.ends_at))
    notes_reminder = notes_reminder_at(state, policy)
    if notes_reminder is not None and notes_reminder > now:
        jobs.append(PlannedJob(JobKind.NOTES_REMINDER, notes_reminder, ReminderKind.NOTES_DUE))
    return jobs


def instant_jobs_for(request: InstantRequestState) -> list[PlannedJob]:
    """An open instant request expires when its time is up; an ended one needs nothing."""
    if request.status is InstantStatus.OPEN:
        return [PlannedJob(JobKind.INSTANT_EXPIRY, request.expires_at)]
    return []


def reminder_is_stale(state: MeetingState, now: datetime) -> bool:
    """A reminder that falls due once its meeting has started is dropped, not sent."""
    return state.status is not MeetingStatus.AGREED or now >= state.start


def recipients_of(reminder: ReminderKind, reminders: ReminderOffsets) -> tuple[Side, ...]:
    return next(sides for kind, _, sides in reminders.plan() if kind is reminder)


RETRY_BACKOFF_SECONDS = (1, 2, 5, 15, 60, 300)
MAX_ATTEMPTS = len(RETRY_BACKOFF_SECONDS) + 1
EMAIL_BACKOFF_SECONDS = (30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600)
"""A mail server down for most of a day still gets its mail, late; then the mail is FAILED."""


WEBHOOK_BACKOFF_SECONDS = (10, 30, 60, 300, 900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 8 * 3600)
"""A webhook delivery is tried 12 times over about a day (23.9 h), then FAILED."""


class NotYet(Exception):
    """A job that cannot run before another (a webhook delivery behind an earlier one to the
    same endpoint): it waits until `until`, and the wait is not counted as an attempt."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"waits until {until.isoformat()}")
        self.until = until


class TryAgain(Exception):
    """An outside party did not take the job's call (a webhook endpoint answering 500): an
    expected failure, retried with back-off and logged in one line, without a traceback."""


def retry_delay(attempts: int, kind: str | None = None) -> timedelta | None:
    """When a failed job runs again, or None once it has failed too often."""
    backoff: tuple[int, ...]
    if kind == JobKind.SEND_WEBHOOK:
        backoff = WEBHOOK_BACKOFF_SECONDS
    else:
        backoff = EMAIL_BACKOFF_SECONDS if kind in MAIL_JOBS else RETRY_BACKOFF_SECONDS
    if attempts > len(backoff):
        return None
    return timedelta(seconds=backoff[attempts - 1])
