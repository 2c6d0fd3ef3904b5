"""Busy times imported from an expert's own calendar (.ics). Importing again replaces them."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from app.domain.availability import Interval
from app.domain.errors import InvalidInput, LimitExceeded
from app.domain.people import Actor
from app.models import BusyBlock
from app.services.availability import managed_profile
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work

MAX_BLOCKS = 5000


def _as_utc(value: date | datetime, zone: ZoneInfo) -> datetime:
    """All-day dates and floating times are the expert's local time."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


def busy_intervals(ics_text: str, time_zone: str, window_from: datetime, window_to: datetime) -> list[Interval]:
    """The opaque events of a calendar, recurrences expanded, within the window."""
    try:
        calendar = icalendar.Calendar.from_ical(ics_text)
        events: list[Any] = recurring_ical_events.of(calendar).between(window_from, window_to)
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInput("this is not an iCalendar (.ics) document") from exc
    zone = ZoneInfo(time_zone)
    intervals = []
    for event in events:
        if event.name != "VEVENT":
            continue
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        start = event.get("DTSTART")
        if start is None:
            continue
        starts_at = _as_utc(start.dt, zone)
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


async def import_busy_calendar(
    runtime: Runtime, actor: Actor, expert_id: UUID | None, ics_text: str
) -> int:
    """Replaces the expert's busy blocks with the calendar's events up to their horizon."""
    now = runtime.clock.now()
    async with unit_of_work(runtime):
        profile = await managed_profile(actor, expert_id)
        await profile.fetch_related("user")
        intervals = busy_intervals(
            ics_text, profile.user.time_zone, now - timedelta(days=1),
            now + timedelta(days=profile.horizon_days + 1),
        )
        await BusyBlock.filter(expert_id=profile.user_id).delete()
        await BusyBlock.bulk_create(
            [BusyBlock(expert_id=profile.user_id, starts_at=i.starts_at, ends_at=i.ends_at) for i in intervals]
        )
    return len(intervals)
