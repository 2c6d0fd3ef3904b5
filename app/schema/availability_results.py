"""Result types and unions of the availability and calendar mutations."""

from typing import Annotated

import strawberry

from app.schema.availability import Availability
from app.schema.experts import Expert
from app.schema.problems import AnyProblem


@strawberry.type
class BusyCalendarImported:
    busy_block_count: int


@strawberry.type(description="The viewer's private calendar feed; rotating it revokes the old address.")
class CalendarFeed:
    url: str


SetWeeklyAvailabilityResult = Annotated[
    Availability | AnyProblem, strawberry.union("SetWeeklyAvailabilityResult")
]
SetDateOverrideResult = Annotated[Availability | AnyProblem, strawberry.union("SetDateOverrideResult")]
UpdateExpertPolicyResult = Annotated[Expert | AnyProblem, strawberry.union("UpdateExpertPolicyResult")]
ImportBusyCalendarResult = Annotated[
    BusyCalendarImported | AnyProblem, strawberry.union("ImportBusyCalendarResult")
]
RotateCalendarFeedResult = Annotated[CalendarFeed | AnyProblem, strawberry.union("RotateCalendarFeedResult")]
