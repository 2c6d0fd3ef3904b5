"""Result types and unions of the availability and calendar mutations."""

from typing import Annotated

import strawberry

from app.schema.availability import Availability
from app.schema.experts import Expert
from app.schema.problems import InvalidInput, LimitExceeded, NotAllowed, NotFound


@strawberry.type
class BusyCalendarImported:
    busy_block_count: int


@strawberry.type(description="The viewer's private calendar feed; rotating it revokes the old address.")
class CalendarFeed:
    url: str


SetWeeklyAvailabilityResult = Annotated[
    Availability
    | InvalidInput
    | LimitExceeded
    | NotAllowed
    | NotFound,
    strawberry.union("SetWeeklyAvailabilityResult"),
]
SetDateOverrideResult = Annotated[
    Availability
    | InvalidInput
    | LimitExceeded
    | NotAllowed
    | NotFound,
    strawberry.union("SetDateOverrideResult"),
]
UpdateExpertPolicyResult = Annotated[
    Expert
    | InvalidInput
    | NotAllowed
    | NotFound,
    strawberry.union("UpdateExpertPolicyResult"),
]
ImportBusyCalendarResult = Annotated[
    BusyCalendarImported
    | InvalidInput
    | LimitExceeded
    | NotAllowed
    | NotFound,
    strawberry.union("ImportBusyCalendarResult"),
]
RotateCalendarFeedResult = Annotated[
    CalendarFeed,
    strawberry.union("RotateCalendarFeedResult"),
]
