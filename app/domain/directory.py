"""How experts are judged and ordered in the public directory (DOMAIN.md "Measures").

Response time counts only the expert's business hours (Mon-Fri 09:00-17:00 in
the expert's own zone), so a booking made on Friday evening and answered on
Monday at 10:00 took one hour. The recommended order is by `recommendation_score`,
highest first; README "The expert directory" states the formula.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.meetings import TimelineEventType
from app.domain.people import Side

BUSINESS_OPENS = time(9)
BUSINESS_CLOSES = time(17)
BUSINESS_WEEKDAYS = frozenset(range(5))
RESPONSE_GOAL = timedelta(hours=4)
PRIOR_RATING = 4.0
PRIOR_REVIEWS = 3
"""A newcomer is rated as if three clients had given 4 stars, until real reviews outweigh it."""
RELIABILITY_PRIOR_MEETINGS = 5
CANCELLATION_WEIGHT = 2
"""An expert's cancellation weighs as much as two unrequested rearrangements."""


def business_time_between(start: datetime, end: datetime, time_zone: str) -> timedelta:
    """The part of [start, end) inside business hours in `time_zone`; bounded by the days spanned."""
    if end <= start:
        return timedelta(0)
    zone = ZoneInfo(time_zone)
    total = timedelta(0)
    day: date = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    while day <= last_day:
        if day.weekday() in BUSINESS_WEEKDAYS:
            opens = datetime.combine(day, BUSINESS_OPENS, tzinfo=zone).astimezone(UTC)
            closes = datetime.combine(day, BUSINESS_CLOSES, tzinfo=zone).astimezone(UTC)
            overlap = min(end, closes) - max(start, opens)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total


@dataclass(frozen=True)
class Judgement:
    """What one meeting change says about its expert."""

    answers: bool
    """The expert's first answer to a client's booking or request (response time stops)."""
    rearranges: bool
    cancels: bool


def judge(event: TimelineEventType, side: Side | None, *, by_admin: bool, first_answer: bool) -> Judgement:
    """Only the expert's own actions count: the clock's and an admin's do not."""
    if side is not Side.EXPERT or by_admin:
        return Judgement(False, False, False)
    return Judgement(
        answers=first_answer,
        rearranges=event is TimelineEventType.TIMES_OFFERED,
        cancels=event is TimelineEventType.CANCELLED_BY_EXPERT,
    )


@dataclass(frozen=True)
class ExpertMeasures:
    responses: int = 0
    response_business_seconds: int = 0
    unrequested_rearrangements: int = 0
    expert_cancellations: int = 0
    meetings: int = 0
    """Meetings booked with the expert (the base for the rates)."""
    rating_sum: float = 0
    review_count: int = 0
    instant_takes: int = 0
    take_seconds: int = 0
    """From each instant request's posting to this expert's take, summed."""

    @property
    def average_time_to_take(self) -> timedelta | None:
        if not self.instant_takes:
            return None
        return timedelta(seconds=self.take_seconds / self.instant_takes)

    @property
    def average_response(self) -> timedelta | None:
        if not self.responses:
            return None
        return timedelta(seconds=self.response_business_seconds / self.responses)

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.review_count if self.review_count else None


def recommendation_score(m: ExpertMeasures) -> float:
    """rating (shrunk towards 4.0) + responsiveness (1 within the 4-hour goal, less beyond)
    - 2 x (rearrangements + 2 x cancellations) / (meetings + 5)."""
    rating = (m.rating_sum + PRIOR_RATING * PRIOR_REVIEWS) / (m.review_count + PRIOR_REVIEWS)
    average = m.average_response
    responsiveness = 1.0 if average is None or average <= RESPONSE_GOAL else RESPONSE_GOAL / average
    lapses = m.unrequested_rearrangements + CANCELLATION_WEIGHT * m.expert_cancellations
    return round(rating + responsiveness - 2 * lapses / (m.meetings + RELIABILITY_PRIOR_MEETINGS), 6)
