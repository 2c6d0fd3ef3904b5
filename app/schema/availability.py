"""When an expert can be booked: weekly rules, date overrides, free slots (public)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import strawberry

from app import models
from app.domain.availability import format_wall_time
from app.schema.enums import Weekday


@strawberry.type(description="Local wall-clock times, HH:MM; an end of 24:00 is midnight.")
class TimeWindow:
    start_time: str
    end_time: str


@strawberry.type
class WeeklyRule:
    weekday: Weekday
    start_time: str
    end_time: str


@strawberry.type(description="That date's windows replace its weekly rules; no windows is a day off.")
class DateOverride:
    date: date
    windows: list[TimeWindow]

    @classmethod
    def from_model(cls, row: models.DateOverride) -> "DateOverride":
        return cls(date=row.day, windows=_windows(row.windows))


def _windows(raw: list[dict[str, int]]) -> list[TimeWindow]:
    return [
        TimeWindow(
            start_time=format_wall_time(w["start_minute"]), end_time=format_wall_time(w["end_minute"])
        )
        for w in raw
    ]


@strawberry.type(description="When an expert can be booked, in their own time zone. Public.")
class Availability:
    expert_id: strawberry.ID
    time_zone: str
    weekly_rules: list[WeeklyRule]
    date_overrides: list[DateOverride]
    buffer_before_minutes: int
    buffer_after_minutes: int
    minimum_notice_minutes: int
    horizon_days: int
    slot_step_minutes: int

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
    starts_at: datetime
    ends_at: datetime
    expert_time_zone: str
    expert_local_start: datetime

    @classmethod
    def at(cls, starts_at: datetime, duration_minutes: int, time_zone: str) -> "Slot":
        return cls(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=duration_minutes),
            expert_time_zone=time_zone,
            expert_local_start=starts_at.astimezone(ZoneInfo(time_zone)),
        )
