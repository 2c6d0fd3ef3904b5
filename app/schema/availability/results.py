"""Result types and unions of the availability and calendar mutations."""

import strawberry

from app.schema.accounts.experts import Expert
from app.schema.availability.types import Availability
from app.schema.results import result_of
from app.services import availability, busy_calendar, calendar_feed


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
