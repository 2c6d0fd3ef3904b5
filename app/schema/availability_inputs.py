"""Inputs of the availability mutations."""

from datetime import date

import strawberry

from app.schema.enums import Weekday


@strawberry.input
class TimeWindowInput:
    start_time: str
    end_time: str


@strawberry.input
class WeeklyRuleInput:
    weekday: Weekday
    start_time: str
    end_time: str


@strawberry.input
class SetWeeklyAvailabilityInput:
    rules: list[WeeklyRuleInput]
    buffer_before_minutes: int | None = None
    buffer_after_minutes: int | None = None
    minimum_notice_minutes: int | None = None
    horizon_days: int | None = None
    slot_step_minutes: int | None = None
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


@strawberry.input
class SetDateOverrideInput:
    date: date
    windows: list[TimeWindowInput] | None = strawberry.field(
        default=None, description="[] makes the date a day off; null removes the override."
    )
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


@strawberry.input
class UpdateExpertPolicyInput:
    client_cancellation_window_minutes: int | None = None
    short_notice_window_minutes: int | None = None
    join_window_minutes: int | None = None
    no_show_grace_minutes: int | None = None
    notes_window_minutes: int | None = None
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


@strawberry.input
class ImportBusyCalendarInput:
    ics: str = strawberry.field(description="An iCalendar document; it replaces the previous import.")
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")
