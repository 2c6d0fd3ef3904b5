"""Reading busy times out of an expert's .ics, in a separate process with a time and memory budget.

A calendar is the one input a user controls that can cost unbounded work: a
recurrence rule can repeat every second, never (INTERVAL=0), or search for a
date that does not exist until the year 9999 inside a single step of the
recurrence library. So rules are checked first (INTERVAL 1-1000, no MINUTELY
or SECONDLY, no month day that no month has), occurrences are expanded lazily
in time order and stop at the window's end or the block limit, and all of it
runs in a child process whose own timer interrupts it at the time budget, even
inside one step of the recurrence library, under a memory limit. The event loop
and the database transaction never wait on it.
"""

import asyncio
import multiprocessing
import resource
import signal
from datetime import UTC, date, datetime, time, timedelta
from multiprocessing.connection import Connection
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from app.domain.availability import Interval
from app.domain.errors import InvalidInput, LimitExceeded, Refusal

MAX_BLOCKS = 5000
MAX_EVENTS = 5000
MAX_INTERVAL = 1000
ALLOWED_FREQUENCIES = frozenset({"HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
TIME_BUDGET_SECONDS = 3.0
MEMORY_LIMIT_BYTES = 512 * 1024 * 1024
_REFUSALS = {"InvalidInput": InvalidInput, "LimitExceeded": LimitExceeded}
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _as_utc(value: date | datetime, zone: ZoneInfo) -> datetime:
    """All-day dates and floating times are the expert's local time."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def _check_rules(calendar: Any) -> None:
    events = 0
    for component in calendar.walk():
        if component.name != "VEVENT":
            continue
        events += 1
        if events > MAX_EVENTS:
            raise LimitExceeded(f"at most {MAX_EVENTS} events in a calendar")
        rules = component.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
            frequency = str((rule.get("FREQ") or [""])[0]).upper()
            if frequency not in ALLOWED_FREQUENCIES:
                raise InvalidInput(f"a repeating event must repeat hourly or less often, not {frequency[:12]!r}")
            for interval in rule.get("INTERVAL") or [1]:
                if not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL:
                    raise InvalidInput(f"a repeat INTERVAL must be between 1 and {MAX_INTERVAL}")
            _check_month_days(rule.get("BYMONTH") or [], rule.get("BYMONTHDAY") or [])


def _check_month_days(months: list[Any], days: list[Any]) -> None:
    """A month day no chosen month has would be searched for, day by day, until the year 9999."""
    if not days:
        return
    try:
        lengths = [_DAYS_IN_MONTH[int(month) - 1] for month in months] if months else list(_DAYS_IN_MONTH)
        possible = any(1 <= abs(int(day)) <= length for day in days for length in lengths)
    except (ValueError, TypeError, IndexError) as exc:
        raise InvalidInput("a repeat's BYMONTH must be 1-12 and BYMONTHDAY 1-31 or -31 to -1") from exc
    if not possible:
        raise InvalidInput("a repeating event never happens: none of its months has that day")


def busy_intervals(ics_text: str, time_zone: str, window_from: datetime, window_to: datetime) -> list[Interval]:
    """The opaque events of a calendar within the window, recurrences expanded lazily."""
    try:
        calendar = icalendar.Calendar.from_ical(ics_text)
        _check_rules(calendar)
        occurrences = recurring_ical_events.of(calendar).after(window_from)
        zone = ZoneInfo(time_zone)
        intervals: list[Interval] = []
        for event in occurrences:
            start = event.get("DTSTART")
            if start is None:
                continue
            starts_at = _as_utc(start.dt, zone)
            if starts_at >= window_to:
                break
            if event.name != "VEVENT" or str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            if event.get("DTEND") is not None:
                ends_at = _as_utc(event["DTEND"].dt, zone)
            elif event.get("DURATION") is not None:
                ends_at = starts_at + event["DURATION"].dt
            elif not isinstance(start.dt, datetime):
                ends_at = _as_utc(start.dt + timedelta(days=1), zone)
            else:
                continue
            if ends_at > starts_at:
                intervals.append(Interval(starts_at, ends_at))
            if len(intervals) > MAX_BLOCKS:
                raise LimitExceeded(f"at most {MAX_BLOCKS} busy times within the booking horizon")
        return intervals
    except Refusal:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, IndexError) as exc:
        raise InvalidInput("this is not an iCalendar (.ics) document") from exc


def _out_of_time(signum: int, frame: Any) -> None:
    raise LimitExceeded("this calendar takes too long to read")


def _read_in_child(pipe: Connection, ics_text: str, time_zone: str, window_from: datetime, window_to: datetime) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, TIME_BUDGET_SECONDS)
    try:
        intervals = busy_intervals(ics_text, time_zone, window_from, window_to)
        signal.setitimer(signal.ITIMER_REAL, 0)
        pipe.send(("ok", [(i.starts_at, i.ends_at) for i in intervals]))
    except Refusal as refusal:
        pipe.send((type(refusal).__name__, refusal.message))
    except MemoryError:
        pipe.send(("LimitExceeded", "this calendar needs too much memory to read"))
    except RecursionError:
        pipe.send(("InvalidInput", "this is not an iCalendar (.ics) document"))


async def busy_intervals_bounded(
    ics_text: str, time_zone: str, window_from: datetime, window_to: datetime
) -> list[Interval]:
    """`busy_intervals` in a child process: killed past the time budget, capped in memory."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_read_in_child, args=(sender, ics_text, time_zone, window_from, window_to), daemon=True
    )
    child.start()
    sender.close()
    try:
        # Spawning costs up to a second on a busy machine; the budget is the child's own.
        answered = await asyncio.to_thread(receiver.poll, TIME_BUDGET_SECONDS + 4)
        if not answered:
            raise LimitExceeded("this calendar takes too long to read")
        try:
            kind, value = receiver.recv()
        except EOFError as exc:  # the child died: out of memory or killed
            raise LimitExceeded("this calendar needs too much to read") from exc
    finally:
        if child.is_alive():
            child.kill()
        await asyncio.to_thread(child.join, 5)
        receiver.close()
    if kind != "ok":
        raise _REFUSALS.get(kind, InvalidInput)(str(value))
    return [Interval(starts_at, ends_at) for starts_at, ends_at in value]
