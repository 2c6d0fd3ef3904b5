"""Result types and unions of the availability and calendar mutations."""

from typing import Annotated

import strawberry

from app.schema.availability import Availability
from app.schema.experts import Expert
from app.schema.problems import InvalidInput, LimitExceeded, NotAllowed, NotFound


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


SetWeeklyAvailabilityResult = Annotated[
    Availability | InvalidInput | LimitExceeded | NotAllowed | NotFound,
    strawberry.union(
        "SetWeeklyAvailabilityResult",
        description="What setWeeklyAvailability answers: the Availability, or the Problem saying why nothing changed.",
    ),
]
SetDateOverrideResult = Annotated[
    Availability | InvalidInput | LimitExceeded | NotAllowed | NotFound,
    strawberry.union(
        "SetDateOverrideResult",
        description="What setDateOverride answers: the Availability, or the Problem saying why nothing changed.",
    ),
]
UpdateExpertPolicyResult = Annotated[
    Expert | InvalidInput | NotAllowed | NotFound,
    strawberry.union(
        "UpdateExpertPolicyResult",
        description="What updateExpertPolicy answers: the Expert, or the Problem saying why nothing changed.",
    ),
]
ImportBusyCalendarResult = Annotated[
    BusyCalendarImported | InvalidInput | LimitExceeded | NotAllowed | NotFound,
    strawberry.union(
        "ImportBusyCalendarResult",
        description="What importBusyCalendar answers: the BusyCalendarImported, "
        "or the Problem saying why nothing changed.",
    ),
]
RotateCalendarFeedResult = Annotated[
    CalendarFeed,
    strawberry.union(
        "RotateCalendarFeedResult",
        description="What rotateCalendarFeed answers: the new CalendarFeed (it cannot be refused).",
    ),
]
