"""What the availability and calendar operations take and answer."""

from datetime import date

import strawberry

from app.schema.accounts.experts import Expert
from app.schema.availability.types import Availability
from app.schema.enums import Weekday
from app.schema.results import result_of
from app.services import availability, busy_calendar, calendar_feed


@strawberry.input(description="Hours within one day.")
class TimeWindowInput:
    start_time: str = strawberry.field(description="Start, HH:MM in the expert's time zone.")
    end_time: str = strawberry.field(description="End, HH:MM in the expert's time zone (24:00 for midnight).")


@strawberry.input(description="Hours on one weekday, every week.")
class WeeklyRuleInput:
    weekday: Weekday = strawberry.field(description="The day.")
    start_time: str = strawberry.field(description="Start, HH:MM in the expert's time zone.")
    end_time: str = strawberry.field(description="End, HH:MM in the expert's time zone (24:00 for midnight).")


@strawberry.input(description="An expert replaces their weekly hours; omitted numbers keep their value.")
class SetWeeklyAvailabilityInput:
    rules: list[WeeklyRuleInput] = strawberry.field(
        description="The new weekly rules (several windows a day allowed; [] closes every weekday)."
    )
    buffer_before_minutes: int | None = strawberry.field(default=None, description="Kept free before each meeting.")
    buffer_after_minutes: int | None = strawberry.field(default=None, description="Kept free after each meeting.")
    minimum_notice_minutes: int | None = strawberry.field(
        default=None, description="Bookings must start at least this long from now."
    )
    horizon_days: int | None = strawberry.field(
        default=None, description="Bookings may start at most this many days ahead."
    )
    slot_step_minutes: int | None = strawberry.field(default=None, description="Slots start on multiples of this.")
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


CalendarDay = date
"""`date` under another name: the input has a field called date."""


@strawberry.input(description="An expert sets other hours for one date, or a day off.")
class SetDateOverrideInput:
    date: CalendarDay = strawberry.field(description="The day, in the expert's time zone.")
    windows: list[TimeWindowInput] | None = strawberry.field(
        default=None, description="[] makes the date a day off; null removes the override."
    )
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


@strawberry.input(description="An expert changes their timing policy; omitted values keep theirs.")
class UpdateExpertPolicyInput:
    client_cancellation_window_minutes: int | None = strawberry.field(
        default=None, description="Client cancellations later than this before the start may be charged."
    )
    short_notice_window_minutes: int | None = strawberry.field(
        default=None, description="Expert cancellations or moves later than this need acknowledging."
    )
    join_window_minutes: int | None = strawberry.field(
        default=None, description="Joining opens this long before the start."
    )
    no_show_grace_minutes: int | None = strawberry.field(
        default=None, description="Not joined this long after the start is a no-show."
    )
    notes_window_minutes: int | None = strawberry.field(
        default=None, description="Notes can be added until this long after completion."
    )
    notes_required: bool | None = strawberry.field(
        default=None,
        description="Keep notes of every session: a completed one without notes shows notesDueAt, and you are "
        "reminded once, halfway through the notes window.",
    )
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


@strawberry.input(description="An expert imports busy time from another calendar (.ics, at most 64 KiB).")
class ImportBusyCalendarInput:
    ics: str = strawberry.field(description="An iCalendar document; it replaces the previous import.")
    expert_id: strawberry.ID | None = strawberry.field(default=None, description="Admins only.")


@strawberry.type(description="An .ics calendar imported as busy time; it replaces the previous import.")
class BusyCalendarImported:
    busy_block_count: int = strawberry.field(
        description="Busy blocks now stored (recurring events expanded within the booking horizon)."
    )


@strawberry.type(description="The viewer's private calendar feed; rotating it revokes the old address.")
class CalendarFeed:
    url: str = strawberry.field(
        description="An iCalendar (.ics) address of your meetings for any calendar app. Keep it private."
    )


SetWeeklyAvailabilityResult = result_of(
    "SetWeeklyAvailabilityResult", Availability, availability.set_weekly_availability
)
SetDateOverrideResult = result_of("SetDateOverrideResult", Availability, availability.set_date_override)
UpdateExpertPolicyResult = result_of("UpdateExpertPolicyResult", Expert, availability.update_expert_policy)
ImportBusyCalendarResult = result_of(
    "ImportBusyCalendarResult", BusyCalendarImported, busy_calendar.import_busy_calendar
)
RotateCalendarFeedResult = result_of(
    "RotateCalendarFeedResult",
    CalendarFeed,
    calendar_feed.rotate_feed_token,
    description="What rotateCalendarFeed answers: the new CalendarFeed (it cannot be refused).",
)
