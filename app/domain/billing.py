"""Billable time: sessions priced per minute (seed 003: "avoid starting billable time until you
are sure that you can help"; Codementor's and Clarity's per-minute billing).

A per-minute service has a rate, a minimum and an optional cap. Booking blocks the most the
session may cost: the rate times the cap within the booked duration. Once both
sides are in the session (IN_PROGRESS) its expert starts billable time when context is built,
and may pause and resume it; only those marks count, never the wall clock alone. At the end
the charge is the billed minutes (started minutes count whole; none after the booked end), at
least the minimum and at most the cap, and the rest of the block goes back to the client. A
session whose billable time never started costs nothing; a late-cancelled or no-show one the
expert charges costs its minimum. There are no leave records, so billable time runs until
the expert pauses it or the session ends.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from app.domain.errors import InvalidInput, InvalidState, NotAllowed
from app.domain.meetings import MeetingState, MeetingStatus, Outcome, TimelineEventType, billed_seconds
from app.domain.people import Side

MAX_RATE_CREDITS = 10_000
MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class PerMinute:
    rate_credits: int
    """Credits per started minute."""
    minimum_minutes: int = 0
    """Charged at least this once billable time has started."""
    cap_minutes: int | None = None
    """Charged at most this; None: the booked duration."""


def validate_per_minute(terms: PerMinute) -> PerMinute:
    if not 1 <= terms.rate_credits <= MAX_RATE_CREDITS:
        raise InvalidInput(f"a rate is 1 to {MAX_RATE_CREDITS} credits a minute")
    if not 0 <= terms.minimum_minutes <= MAX_MINUTES:
        raise InvalidInput(f"a minimum is 0 to {MAX_MINUTES} minutes")
    if terms.cap_minutes is not None and not max(terms.minimum_minutes, 1) <= terms.cap_minutes <= MAX_MINUTES:
        raise InvalidInput(f"a cap is at least the minimum, and at most {MAX_MINUTES} minutes")
    return terms


def cap_for(terms: PerMinute, duration_minutes: int) -> int:
    """The most minutes a session may be charged: the cap, within the booked duration (billable
    time stops at the end), and never below the minimum."""
    return max(min(terms.cap_minutes or duration_minutes, duration_minutes), terms.minimum_minutes)


def blocked_for(terms: PerMinute, duration_minutes: int) -> int:
    """What a booking blocks: the most the session may cost."""
    return terms.rate_credits * cap_for(terms, duration_minutes)


def _billable(state: MeetingState, side: Side) -> None:
    if side is not Side.EXPERT:
        raise NotAllowed("only the expert starts and pauses billable time")
    if state.rate_credits is None:
        raise InvalidState("this session has a fixed price: it has no billable time")
    if state.status is not MeetingStatus.IN_PROGRESS:
        raise InvalidState("billable time runs only while both sides are in the session")


def start(state: MeetingState, side: Side, now: datetime) -> Outcome:
    _billable(state, side)
    if state.billing_since is not None or state.billed_seconds:
        raise InvalidState("billable time has started already (resume it after a pause)")
    return Outcome(replace(state, billing_since=now), TimelineEventType.BILLABLE_TIME_STARTED)


def pause(state: MeetingState, side: Side, now: datetime) -> Outcome:
    _billable(state, side)
    if state.billing_since is None:
        raise InvalidState("billable time is not running")
    paused = replace(state, billed_seconds=billed_seconds(state, now), billing_since=None)
    return Outcome(paused, TimelineEventType.BILLABLE_TIME_PAUSED, {"billedSeconds": paused.billed_seconds})


def resume(state: MeetingState, side: Side, now: datetime) -> Outcome:
    _billable(state, side)
    if state.billing_since is not None:
        raise InvalidState("billable time is running")
    if not state.billed_seconds:
        raise InvalidState("billable time has not started (start it first)")
    return Outcome(replace(state, billing_since=now), TimelineEventType.BILLABLE_TIME_RESUMED)
