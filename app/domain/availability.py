"""Free slots from an expert's availability, in their own wall-clock time.

Rules and overrides are stated in the expert's local time. A wall time that
does not exist that day (spring forward) is skipped; one that occurs twice
(fall back) is offered once, at its first occurrence. Everything returned is
in UTC.
"""

import bisect
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from app.domain.errors import (
    InvalidInput,
    LimitExceeded,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooSoon,
)

MINUTES_PER_DAY = 24 * 60
MAX_RULES = 50
MAX_WINDOWS_PER_DAY = 12
MAX_RANGE_DAYS = 92
MAX_CANDIDATE_STARTS = 3000
"""Slot starts one `availableSlots` call may weigh: 62 days on a 30-minute step (the default horizon is 60), 10 on a 5-minute one."""
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100


class Weekday(IntEnum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


@dataclass(frozen=True, order=True)
class Window:
    """Local wall-clock minutes from midnight; end 1440 means midnight at the day's end."""

    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class WeeklyRule:
    weekday: Weekday
    window: Window


@dataclass(frozen=True)
class Interval:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class AvailabilitySettings:
    time_zone: str
    weekly_rules: tuple[WeeklyRule, ...] = ()
    overrides: dict[date, tuple[Window, ...]] = field(default_factory=dict)
    """A date's windows replace its weekly rules; an empty tuple is a day off."""
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    minimum_notice: timedelta = timedelta(hours=1)
    horizon: timedelta = timedelta(days=60)
    slot_step: timedelta = timedelta(minutes=30)

    def windows_on(self, day: date) -> tuple[Window, ...]:
        if day in self.overrides:
            return self.overrides[day]
        weekday = Weekday(day.weekday())
        return tuple(sorted(r.window for r in self.weekly_rules if r.weekday is weekday))


def parse_wall_time(text: str, *, allow_end_of_day: bool) -> int:
    """ "HH:MM" to minutes from midnight; "24:00" only as an end."""
    if allow_end_of_day and text == "24:00":
        return MINUTES_PER_DAY
    try:
        parsed = time.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(f"{text[:10]!r} is not a time of day (HH:MM)") from exc
    if parsed.second or parsed.microsecond or len(text) != 5:
        raise InvalidInput(f"{text[:10]!r} is not a time of day (HH:MM)")
    return parsed.hour * 60 + parsed.minute


def format_wall_time(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def validate_windows(windows: Sequence[Window]) -> tuple[Window, ...]:
    if len(windows) > MAX_WINDOWS_PER_DAY:
        raise LimitExceeded(f"at most {MAX_WINDOWS_PER_DAY} windows a day")
    ordered = sorted(windows)
    for window in ordered:
        if not 0 <= window.start_minute < window.end_minute <= MINUTES_PER_DAY:
            raise InvalidInput(
                f"{format_wall_time(window.start_minute)}–{format_wall_time(window.end_minute)}"
                " is not a window within one day"
            )
    for earlier, later in itertools.pairwise(ordered):
        if later.start_minute < earlier.end_minute:
            raise InvalidInput("windows on the same day must not overlap")
    return tuple(ordered)


@dataclass(frozen=True)
class Bounds:
    low: int
    high: int
    label: str

    def check(self, value: int | None) -> int | None:
        """None means "leave as it is" and is always allowed."""
        if value is not None and not self.low <= value <= self.high:
            raise InvalidInput(f"{self.label} must be between {self.low} and {self.high}")
        return value


BUFFER_MINUTES = Bounds(0, 240, "buffers")
NOTICE_MINUTES = Bounds(0, 30 * 24 * 60, "minimumNoticeMinutes")
HORIZON_DAYS = Bounds(1, 730, "horizonDays")
STEP_MINUTES = Bounds(5, 240, "slotStepMinutes")


def validate_rules(rules: Sequence[WeeklyRule]) -> tuple[WeeklyRule, ...]:
    if len(rules) > MAX_RULES:
        raise LimitExceeded(f"at most {MAX_RULES} weekly rules")
    for weekday in Weekday:
        validate_windows([r.window for r in rules if r.weekday is weekday])
    return tuple(sorted(rules, key=lambda r: (r.weekday, r.window)))


def _local_instant(day: date, minute: int, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall time, or None if that wall time does not exist.

    For a repeated wall time, fold=0 is its first occurrence.
    """
    if minute == MINUTES_PER_DAY:
        day, minute = day + timedelta(days=1), 0
    naive = datetime.combine(day, time(minute // 60, minute % 60))
    local = naive.replace(tzinfo=zone, fold=0)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return utc


def _window_end(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """A window's end instant; an end inside a gap is taken at the gap's far side."""
    end = _local_instant(day, minute, zone)
    while end is None:
        minute += 1
        end = _local_instant(day, minute, zone)
    return end


@dataclass(frozen=True)
class _PlacedWindow:
    day: date
    window: Window
    starts_at: datetime
    ends_at: datetime


def _placed_windows(
    settings: AvailabilitySettings, zone: ZoneInfo, first_day: date, last_day: date
) -> list[_PlacedWindow]:
    placed = []
    day = first_day
    while day <= last_day:
        for window in settings.windows_on(day):
            placed.append(
                _PlacedWindow(
                    day,
                    window,
                    _window_end(day, window.start_minute, zone),
                    _window_end(day, window.end_minute, zone),
                )
            )
        day += timedelta(days=1)
    return placed


def candidate_starts(
    settings: AvailabilitySettings, duration: timedelta, range_from: datetime, range_to: datetime
) -> Iterator[datetime]:
    """Starts (UTC, ascending) inside the availability, ignoring notice, horizon and busy times.

    Starts follow the slot step from each window's start. A slot may run on into
    a window that begins where its own ends (Monday until 24:00, Tuesday from
    00:00), so availability that touches across midnight is one stretch.
    """
    zone = ZoneInfo(settings.time_zone)
    step_minutes = int(settings.slot_step.total_seconds() // 60)
    first_day = range_from.astimezone(zone).date() - timedelta(days=1)
    last_day = range_to.astimezone(zone).date()
    placed = _placed_windows(settings, zone, first_day, last_day + timedelta(days=1))
    reach = [p.ends_at for p in placed]
    for i in range(len(placed) - 2, -1, -1):
        if placed[i + 1].starts_at <= placed[i].ends_at:
            reach[i] = max(reach[i], reach[i + 1])
    step = timedelta(minutes=step_minutes)
    for window, stretch_end in zip(placed, reach, strict=True):
        if window.starts_at >= range_to:
            return
        minutes = range(window.window.start_minute, window.window.end_minute, step_minutes)
        if _one_offset(window, zone):  # the usual case: each start is the window's start plus steps
            starts: Iterable[datetime | None] = (window.starts_at + step * k for k in range(len(minutes)))
        else:  # a clock change inside the window: each wall time on its own
            starts = (_local_instant(window.day, minute, zone) for minute in minutes)
        for starts_at in starts:
            if starts_at is None:
                continue
            if starts_at + duration > stretch_end:
                break
            if range_from <= starts_at < range_to:
                yield starts_at


def _one_offset(window: _PlacedWindow, zone: ZoneInfo) -> bool:
    """The window starts at its own wall time (not pushed past a gap) and keeps one UTC offset
    to its end, so wall minutes and UTC instants advance together."""
    start_offset = window.starts_at.astimezone(zone).utcoffset()
    return (
        window.starts_at.astimezone(zone).time()
        == time(window.window.start_minute // 60, window.window.start_minute % 60)
        and start_offset == window.ends_at.astimezone(zone).utcoffset()
    )


class BusyTimes:
    """Busy intervals sorted by start, for fast overlap questions."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self._intervals = sorted(intervals, key=lambda i: i.starts_at)
        self._starts = [i.starts_at for i in self._intervals]
        self._longest = max((i.ends_at - i.starts_at for i in self._intervals), default=timedelta(0))

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        # Only intervals starting before `ends_at` and after `starts_at - longest` can overlap.
        low = bisect.bisect_right(self._starts, starts_at - self._longest)
        high = bisect.bisect_left(self._starts, ends_at)
        return any(self._intervals[i].ends_at > starts_at for i in range(low, high))


def _blocked(settings: AvailabilitySettings, busy: BusyTimes, starts_at: datetime, duration: timedelta) -> bool:
    return busy.overlaps(starts_at - settings.buffer_before, starts_at + duration + settings.buffer_after)


MAX_OVERRIDE_DAYS_AHEAD = 2 * 365


def validate_override_day(day: date, today: date) -> date:
    """An override is for a day from yesterday up to two years ahead: at most ~730 per expert."""
    if not today - timedelta(days=1) <= day <= today + timedelta(days=MAX_OVERRIDE_DAYS_AHEAD):
        raise InvalidInput(f"an override is for a day from yesterday up to {MAX_OVERRIDE_DAYS_AHEAD} days ahead")
    return day


def validate_range(range_from: datetime, range_to: datetime) -> None:
    if range_from.tzinfo is None or range_to.tzinfo is None:
        raise InvalidInput("from and to need a UTC offset")
    for moment in (range_from, range_to):
        if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            raise InvalidInput(f"from and to must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    if range_to <= range_from:
        raise InvalidInput("to must be after from")
    if range_to - range_from > timedelta(days=MAX_RANGE_DAYS):
        raise LimitExceeded(f"ask for at most {MAX_RANGE_DAYS} days at a time")


def free_slots(
    settings: AvailabilitySettings,
    duration: timedelta,
    range_from: datetime,
    range_to: datetime,
    now: datetime,
    busy: BusyTimes,
) -> list[datetime]:
    """Free start times in [range_from, range_to), respecting notice, horizon, buffers and busy times.

    `busy` holds active meetings, held offer times and imported busy blocks alike.
    """
    validate_range(range_from, range_to)
    earliest = max(range_from, now + settings.minimum_notice)
    latest = min(range_to, now + settings.horizon + timedelta(microseconds=1))
    if earliest >= latest:
        return []
    if (latest - earliest) / settings.slot_step > MAX_CANDIDATE_STARTS:
        days = int(MAX_CANDIDATE_STARTS * settings.slot_step / timedelta(days=1))
        raise LimitExceeded(f"with this expert's slot step, ask for at most {days} days at a time")
    return [
        starts_at
        for starts_at in candidate_starts(settings, duration, earliest, latest)
        if not _blocked(settings, busy, starts_at, duration)
    ]


def free_slots_change_at(
    settings: AvailabilitySettings, range_to: datetime, now: datetime, starts: Sequence[datetime]
) -> datetime | None:
    """The first instant `free_slots` may answer otherwise with nothing written: its first free
    start falls inside the notice period, or the horizon moves on and lets in a start it held
    out (within one slot step). None: only a write changes the answer."""
    changes = []
    if starts:
        changes.append(starts[0] - settings.minimum_notice)
    if range_to > now + settings.horizon:
        changes.append(now + settings.slot_step)
    return min(changes, default=None)


def _not_a_start(settings: AvailabilitySettings, starts_at: datetime, duration: timedelta) -> str:
    """Why a time is not bookable in the availability: off the slot step (naming the nearest
    starts, which availableSlots lists), or outside the expert's hours."""
    step = settings.slot_step
    around = candidate_starts(settings, duration, starts_at - step, starts_at + step + timedelta(minutes=1))
    nearest = sorted(around, key=lambda start: abs(start - starts_at))[:2]
    if not nearest:
        return "that time is not within the expert's availability"
    named = " and ".join(start.isoformat() for start in sorted(nearest))
    minutes = int(step.total_seconds() // 60)
    return f"that time is not a slot start (slots start every {minutes} minutes); the nearest are {named}"


def check_bookable(
    settings: AvailabilitySettings,
    starts_at: datetime,
    duration: timedelta,
    now: datetime,
    busy: BusyTimes,
) -> None:
    """Why `starts_at` cannot be booked, as a refusal; nothing if it can."""
    if starts_at < now + settings.minimum_notice:
        raise TooSoon(f"the expert needs {int(settings.minimum_notice.total_seconds() // 60)} minutes' notice")
    if starts_at > now + settings.horizon:
        raise TooFarAhead(f"the expert takes bookings up to {settings.horizon.days} days ahead")
    on_offer = candidate_starts(settings, duration, starts_at, starts_at + timedelta(minutes=1))
    if starts_at not in on_offer:
        raise OutsideAvailability(_not_a_start(settings, starts_at, duration))
    if _blocked(settings, busy, starts_at, duration):
        raise SlotTaken("the expert is not free at that time")
