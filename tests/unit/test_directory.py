"""Business-hours response time and the recommended order, with hand-computed values."""

from datetime import UTC, datetime, timedelta

from app.domain.directory import ExpertMeasures, business_time_between, judge, recommendation_score
from app.domain.meetings import TimelineEventType
from app.domain.people import Side


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


def test_inside_one_business_day() -> None:
    # Tue 2027-01-05 10:00 -> 13:30 London (GMT = UTC): 3.5 h.
    start = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)
    assert business_time_between(start, start + hours(3.5), "Europe/London") == hours(3.5)


def test_across_a_weekend() -> None:
    # Booked Fri 2027-01-08 16:00 London, answered Mon 2027-01-11 10:30:
    # Friday 16:00-17:00 (1 h) + Monday 09:00-10:30 (1.5 h) = 2.5 h.
    booked = datetime(2027, 1, 8, 16, 0, tzinfo=UTC)
    answered = datetime(2027, 1, 11, 10, 30, tzinfo=UTC)
    assert business_time_between(booked, answered, "Europe/London") == hours(2.5)


def test_nights_and_a_saturday_booking_count_nothing_until_monday() -> None:
    # Sat 2027-01-09 11:00 -> Mon 2027-01-11 08:59 London: 0.
    assert business_time_between(
        datetime(2027, 1, 9, 11, 0, tzinfo=UTC), datetime(2027, 1, 11, 8, 59, tzinfo=UTC), "Europe/London"
    ) == timedelta(0)


def test_across_the_spring_dst_change_in_the_experts_zone() -> None:
    # New York springs forward on Sun 2027-03-14. Booked Fri 2027-03-12 15:00 EST
    # (20:00 UTC), answered Mon 2027-03-15 11:00 EDT (15:00 UTC):
    # Friday 15:00-17:00 EST (2 h) + Monday 09:00-11:00 EDT (2 h) = 4 h,
    # although 68 h of wall time (67 h of real time) passed.
    booked = datetime(2027, 3, 12, 20, 0, tzinfo=UTC)
    answered = datetime(2027, 3, 15, 15, 0, tzinfo=UTC)
    assert answered - booked == hours(67)
    assert business_time_between(booked, answered, "America/New_York") == hours(4)


def test_across_the_autumn_dst_change_in_london() -> None:
    # London falls back on Sun 2027-10-31. Booked Fri 2027-10-29 16:30 BST (15:30 UTC),
    # answered Mon 2027-11-01 09:15 GMT (09:15 UTC): 0.5 h + 0.25 h = 0.75 h.
    booked = datetime(2027, 10, 29, 15, 30, tzinfo=UTC)
    answered = datetime(2027, 11, 1, 9, 15, tzinfo=UTC)
    assert business_time_between(booked, answered, "Europe/London") == hours(0.75)


def test_a_week_is_forty_hours() -> None:
    monday = datetime(2027, 1, 4, 0, 0, tzinfo=UTC)
    assert business_time_between(monday, monday + timedelta(days=7), "Europe/London") == hours(40)
    assert business_time_between(monday, monday, "Europe/London") == timedelta(0)


def test_only_the_experts_own_actions_are_judged() -> None:
    assert judge(TimelineEventType.TIMES_OFFERED, Side.EXPERT, by_admin=False, first_answer=True).rearranges
    assert judge(TimelineEventType.CANCELLED_BY_EXPERT, Side.EXPERT, by_admin=False, first_answer=False).cancels
    assert not judge(TimelineEventType.CANCELLED_BY_EXPERT, Side.EXPERT, by_admin=True, first_answer=False).cancels
    assert not judge(TimelineEventType.APPROVED_BY_CLIENT, Side.CLIENT, by_admin=False, first_answer=True).answers
    assert not judge(TimelineEventType.OFFER_EXPIRED, None, by_admin=False, first_answer=True).answers


def test_the_recommendation_score() -> None:
    newcomer = ExpertMeasures()
    assert recommendation_score(newcomer) == 5.0  # 4.0 prior rating + 1.0 responsiveness
    # 2 reviews of 5: (10 + 12) / 5 = 4.4; 8 h average: 4/8 = 0.5;
    # 1 rearrangement + 1 cancellation over 5 meetings: 2 * (1 + 2) / (5 + 5) = 0.6.
    judged = ExpertMeasures(
        responses=2,
        response_business_seconds=16 * 3600,
        unrequested_rearrangements=1,
        expert_cancellations=1,
        meetings=5,
        rating_sum=10,
        review_count=2,
    )
    assert judged.average_response == hours(8)
    assert recommendation_score(judged) == 4.3


def test_the_time_to_take_is_the_mean_of_the_takes_and_none_before_the_first() -> None:
    assert ExpertMeasures().average_time_to_take is None
    assert ExpertMeasures(instant_takes=2, take_seconds=600).average_time_to_take == timedelta(minutes=5)
