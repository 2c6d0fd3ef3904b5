"""When an expert can be booked: weekly rules, date overrides, free slots (public)."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import strawberry

from app import models
from app.domain.availability import format_wall_time
from app.schema.enums import Weekday
from app.schema.fields import described


@strawberry.type(description="Local wall-clock times, HH:MM; an end of 24:00 is midnight.")
class TimeWindow:
    start_time: str = strawberry.field(description="Start, HH:MM.")
    end_time: str = strawberry.field(description="End, HH:MM (24:00 for midnight).")


@strawberry.type(description="Hours the expert can be booked on one weekday, every week, in their time zone.")
class WeeklyRule:
    weekday: Weekday = strawberry.field(description="The day.")
    start_time: str = strawberry.field(description="Start, HH:MM local.")
    end_time: str = strawberry.field(description="End, HH:MM local (24:00 for midnight).")


CalendarDay = date
"""`date` under another name: DateOverride has a field called date."""


@strawberry.type(description="That date's windows replace its weekly rules; no windows is a day off.")
class DateOverride:
    date: CalendarDay = strawberry.field(description="The day, in the expert's time zone.")
    windows: list[TimeWindow] = strawberry.field(description="That day's hours; empty for a day off.")

    @classmethod
    def from_model(cls, row: models.DateOverride) -> "DateOverride":
        return cls(date=row.day, windows=_windows(row.windows))


def _windows(raw: list[dict[str, int]]) -> list[TimeWindow]:
    return [
        TimeWindow(start_time=format_wall_time(w["start_minute"]), end_time=format_wall_time(w["end_minute"]))
        for w in raw
    ]


@strawberry.type(description="When an expert can be booked, in their own time zone. Public.")
class Availability:
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    time_zone: str = strawberry.field(description="The zone every rule is stated in.")
    weekly_rules: list[WeeklyRule] = strawberry.field(
        description="Bookable hours by weekday; several windows a day are allowed."
    )
    date_overrides: list[DateOverride] = strawberry.field(description="Days whose hours differ from the weekly rules.")
    buffer_before_minutes: int = strawberry.field(description="Kept free before each meeting.")
    buffer_after_minutes: int = strawberry.field(description="Kept free after each meeting.")
    minimum_notice_minutes: int = strawberry.field(description="Bookings must start at least this long from now.")
    horizon_days: int = strawberry.field(description="Bookings may start at most this many days ahead.")
    slot_step_minutes: int = strawberry.field(
        description="Slots start on multiples of this many minutes past the window's start."
    )

    @classmethod
    def from_models(
        cls, profile: models.ExpertProfile, time_zone: str, overrides: list[models.DateOverride]
    ) -> "Availability":
        return cls(
            expert_id=strawberry.ID(str(profile.user_id)),
            time_zone=time_zone,
            weekly_rules=[
                WeeklyRule(
                    weekday=Weekday(r["weekday"]),
                    start_time=format_wall_time(r["start_minute"]),
                    end_time=format_wall_time(r["end_minute"]),
                )
                for r in profile.weekly_rules
            ],
            date_overrides=[DateOverride.from_model(o) for o in overrides],
            buffer_before_minutes=profile.buffer_before_minutes,
            buffer_after_minutes=profile.buffer_after_minutes,
            minimum_notice_minutes=profile.minimum_notice_minutes,
            horizon_days=profile.horizon_days,
            slot_step_minutes=profile.slot_step_minutes,
        )


@strawberry.type(description="A free start time. Times are UTC; `expertLocalStart` shows the expert's wall clock.")
class Slot:
    """Its derived fields are computed only when asked for: a 60-day list holds ~3,000 slots."""

    starts_at: datetime = strawberry.field(description="Start (UTC).")
    expert_time_zone: str = strawberry.field(description="The expert's time zone.")
    length: strawberry.Private[timedelta]
    zone: strawberry.Private[ZoneInfo]

    @described("End (UTC), start plus the asked duration.")
    def ends_at(self) -> datetime:
        return self.starts_at + self.length

    @described("The same start on the expert's wall clock, with its offset.")
    def expert_local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @classmethod
    def listed(cls, starts: Iterable[datetime], duration_minutes: int, time_zone: str) -> list["Slot"]:
        length, zone = timedelta(minutes=duration_minutes), ZoneInfo(time_zone)
        return [cls(starts_at=start, expert_time_zone=time_zone, length=length, zone=zone) for start in starts]
