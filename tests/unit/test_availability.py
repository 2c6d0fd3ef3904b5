"""Slot maths with the expected UTC instants written out by hand."""

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.domain.availability import (
    AvailabilitySettings,
    BusyTimes,
    Interval,
    Weekday,
    WeeklyRule,
    Window,
    candidate_starts,
    check_bookable,
    free_slots,
    free_slots_change_at,
    parse_wall_time,
    validate_rules,
    validate_windows,
)
from app.domain.errors import (
    InvalidInput,
    LimitExceeded,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooSoon,
)

NO_BUSY = BusyTimes([])
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def hm(text: str) -> int:
    return parse_wall_time(text, allow_end_of_day=True)


def settings(
    zone: str,
    rules: list[tuple[Weekday, str, str]],
    *,
    step: int = 30,
    notice: timedelta = timedelta(0),
    horizon: timedelta = timedelta(days=365),
    **kwargs: object,
) -> AvailabilitySettings:
    return AvailabilitySettings(
        time_zone=zone,
        weekly_rules=tuple(WeeklyRule(day, Window(hm(a), hm(b))) for day, a, b in rules),
        slot_step=timedelta(minutes=step),
        minimum_notice=notice,
        horizon=horizon,
        **kwargs,  # type: ignore[arg-type]
    )


def slots_on(
    s: AvailabilitySettings, day_from: datetime, duration: int, now: datetime = LONG_AGO, busy: BusyTimes = NO_BUSY
) -> list[datetime]:
    return free_slots(s, timedelta(minutes=duration), day_from, day_from + timedelta(days=1), now, busy)


def test_london_spring_forward_skips_the_missing_hour() -> None:
    # 2026-03-29: 01:00 GMT becomes 02:00 BST; wall times 01:00-01:59 do not exist.
    s = settings("Europe/London", [(Weekday.SUNDAY, "00:00", "04:00")])
    assert slots_on(s, utc(2026, 3, 29), 30) == [
        utc(2026, 3, 29, 0, 0),
        utc(2026, 3, 29, 0, 30),  # 00:00, 00:30 GMT
        utc(2026, 3, 29, 1, 0),
        utc(2026, 3, 29, 1, 30),  # 02:00, 02:30 BST
        utc(2026, 3, 29, 2, 0),
        utc(2026, 3, 29, 2, 30),  # 03:00, 03:30 BST (ends 04:00)
    ]


def test_london_fall_back_offers_the_repeated_hour_once_at_its_first_occurrence() -> None:
    # 2026-10-25: 02:00 BST becomes 01:00 GMT; wall times 01:00-01:59 occur twice.
    s = settings("Europe/London", [(Weekday.SUNDAY, "00:00", "03:00")])
    assert slots_on(s, utc(2026, 10, 24, 22), 30) == [
        utc(2026, 10, 24, 23, 0),
        utc(2026, 10, 24, 23, 30),  # 00:00, 00:30 BST
        utc(2026, 10, 25, 0, 0),
        utc(2026, 10, 25, 0, 30),  # 01:00, 01:30 BST (first)
        utc(2026, 10, 25, 2, 0),
        utc(2026, 10, 25, 2, 30),  # 02:00, 02:30 GMT
    ]


def test_new_york_spring_forward() -> None:
    # 2026-03-08: 02:00 EST becomes 03:00 EDT.
    s = settings("America/New_York", [(Weekday.SUNDAY, "01:00", "04:00")], step=60)
    assert slots_on(s, utc(2026, 3, 8), 60) == [
        utc(2026, 3, 8, 6, 0),  # 01:00 EST
        utc(2026, 3, 8, 7, 0),  # 03:00 EDT; 02:00 does not exist
    ]


def test_new_york_fall_back() -> None:
    # 2026-11-01: 02:00 EDT becomes 01:00 EST.
    s = settings("America/New_York", [(Weekday.SUNDAY, "00:00", "03:00")], step=60)
    assert slots_on(s, utc(2026, 11, 1), 60) == [
        utc(2026, 11, 1, 4, 0),  # 00:00 EDT
        utc(2026, 11, 1, 5, 0),  # 01:00 EDT, the first 01:00
        utc(2026, 11, 1, 7, 0),  # 02:00 EST; 06:00Z (the second 01:00) is not offered
    ]


def test_kolkata_has_no_dst_and_half_hour_offset() -> None:
    # Monday 2026-03-09, 09:00-11:00 IST (+05:30). For a client in Los Angeles (PDT since
    # 2026-03-08) these are Sunday 20:30, 21:00 and 21:30.
    s = settings("Asia/Kolkata", [(Weekday.MONDAY, "09:00", "11:00")])
    assert slots_on(s, utc(2026, 3, 8, 18), 60) == [
        utc(2026, 3, 9, 3, 30),
        utc(2026, 3, 9, 4, 0),
        utc(2026, 3, 9, 4, 30),
    ]


def test_an_override_on_a_dst_day_replaces_the_weekly_rule() -> None:
    s = settings(
        "Europe/London",
        [(Weekday.SUNDAY, "09:00", "17:00")],
        overrides={date(2026, 3, 29): (Window(hm("01:00"), hm("03:00")),)},
    )
    assert slots_on(s, utc(2026, 3, 29), 30) == [
        utc(2026, 3, 29, 1, 0),
        utc(2026, 3, 29, 1, 30),  # 02:00, 02:30 BST
    ]


def test_a_day_off_override_has_no_slots() -> None:
    s = settings("Europe/London", [(Weekday.MONDAY, "09:00", "17:00")], overrides={date(2026, 12, 7): ()})
    assert slots_on(s, utc(2026, 12, 7), 30) == []
    assert slots_on(s, utc(2026, 12, 14), 30)[0] == utc(2026, 12, 14, 9, 0)


def test_buffers_may_touch_a_busy_time_but_not_overlap_it() -> None:
    s = settings(
        "Europe/London",
        [(Weekday.MONDAY, "09:00", "13:00")],
        step=15,
        buffer_before=timedelta(minutes=15),
        buffer_after=timedelta(minutes=15),
    )
    busy = BusyTimes([Interval(utc(2026, 12, 7, 11, 0), utc(2026, 12, 7, 11, 30))])
    minutes = [f"{t:%H:%M}" for t in slots_on(s, utc(2026, 12, 7), 45, busy=busy)]
    # 10:00 + 45 min + 15 min buffer ends at 11:00 exactly; 11:45 - 15 min starts at 11:30 exactly.
    assert minutes == ["09:00", "09:15", "09:30", "09:45", "10:00", "11:45", "12:00", "12:15"]


def test_minimum_notice_to_the_minute() -> None:
    now = utc(2026, 12, 7, 8, 0)
    rules = [(Weekday.MONDAY, "09:00", "17:00")]
    exact = settings("Europe/London", rules, notice=timedelta(minutes=90))
    assert slots_on(exact, utc(2026, 12, 7), 30, now)[0] == utc(2026, 12, 7, 9, 30)
    one_more = settings("Europe/London", rules, notice=timedelta(minutes=91))
    assert slots_on(one_more, utc(2026, 12, 7), 30, now)[0] == utc(2026, 12, 7, 10, 0)


def test_horizon_to_the_minute() -> None:
    now = utc(2026, 12, 7, 8, 0)
    s = settings("Europe/London", [(Weekday.MONDAY, "08:00", "09:00")], horizon=timedelta(days=7))
    assert slots_on(s, utc(2026, 12, 14), 30, now) == [utc(2026, 12, 14, 8, 0)]


def test_free_slots_stay_the_same_until_the_instant_they_may_change() -> None:
    """The response cache keeps an availableSlots answer until that instant."""
    now = utc(2026, 12, 7, 8, 0)
    s = settings("Europe/London", [(Weekday.MONDAY, "09:00", "17:00")], notice=timedelta(minutes=60))
    day = utc(2026, 12, 7)
    starts = slots_on(s, day, 30, now)
    change_at = free_slots_change_at(s, day + timedelta(days=1), now, starts)
    assert change_at == utc(2026, 12, 7, 8, 0)  # 09:00 is exactly 60 minutes ahead: it goes next
    later = utc(2026, 12, 7, 8, 10)
    starts_later = slots_on(s, day, 30, later)
    change_later = free_slots_change_at(s, day + timedelta(days=1), later, starts_later)
    assert change_later == utc(2026, 12, 7, 8, 30)
    for minute in range(10, 30):
        assert slots_on(s, day, 30, utc(2026, 12, 7, 8, minute)) == starts_later
    assert slots_on(s, day, 30, change_later + timedelta(seconds=1)) != starts_later


def test_free_slots_inside_the_horizon_change_as_it_moves_on() -> None:
    now = utc(2026, 12, 7, 8, 0)
    s = settings("Europe/London", [(Weekday.MONDAY, "08:00", "18:00")], horizon=timedelta(days=7))
    day = utc(2026, 12, 14)
    starts = slots_on(s, day, 30, now)
    assert starts == [utc(2026, 12, 14, 8, 0)]
    assert free_slots_change_at(s, day + timedelta(days=1), now, starts) == now + timedelta(minutes=30)
    assert slots_on(s, day, 30, now + timedelta(minutes=30)) != starts
    no_slots_far_ahead = free_slots_change_at(s, utc(2026, 12, 8), now, [])
    assert no_slots_far_ahead is None


def test_check_bookable_says_why() -> None:
    now = utc(2026, 12, 7, 8, 0)
    s = settings(
        "Europe/London", [(Weekday.MONDAY, "09:00", "17:00")], notice=timedelta(minutes=90), horizon=timedelta(days=7)
    )
    hour = timedelta(minutes=60)
    busy = BusyTimes([Interval(utc(2026, 12, 7, 12, 0), utc(2026, 12, 7, 13, 0))])
    with pytest.raises(TooSoon):
        check_bookable(s, utc(2026, 12, 7, 9, 0), hour, now, busy)
    with pytest.raises(TooFarAhead):
        check_bookable(s, utc(2026, 12, 14, 9, 0), hour, now, busy)
    with pytest.raises(OutsideAvailability):
        check_bookable(s, utc(2026, 12, 7, 16, 30), hour, now, busy)  # would end 17:30
    with pytest.raises(OutsideAvailability, match=r"not a slot start .* the nearest are 2026-12-07T10:00:00"):
        check_bookable(s, utc(2026, 12, 7, 10, 10), hour, now, busy)  # not on the 30-min step
    with pytest.raises(OutsideAvailability, match="not within the expert's availability"):
        check_bookable(s, utc(2026, 12, 7, 20, 10), hour, now, busy)  # off the step and after hours
    with pytest.raises(OutsideAvailability):
        check_bookable(s, utc(2026, 12, 8, 10, 0), hour, now, busy)  # Tuesday: no rule
    with pytest.raises(SlotTaken):
        check_bookable(s, utc(2026, 12, 7, 11, 30), hour, now, busy)
    check_bookable(s, utc(2026, 12, 7, 11, 0), hour, now, busy)
    check_bookable(s, utc(2026, 12, 7, 16, 0), hour, now, busy)


def test_busy_times_answer_overlaps_with_long_and_short_intervals() -> None:
    busy = BusyTimes(
        [
            Interval(utc(2026, 1, 1), utc(2026, 1, 10)),
            Interval(utc(2026, 1, 5, 10), utc(2026, 1, 5, 11)),
        ]
    )
    assert busy.overlaps(utc(2026, 1, 9, 23), utc(2026, 1, 10, 1))
    assert not busy.overlaps(utc(2026, 1, 10), utc(2026, 1, 11))
    assert not BusyTimes([Interval(utc(2026, 1, 5, 10), utc(2026, 1, 5, 11))]).overlaps(
        utc(2026, 1, 5, 11), utc(2026, 1, 5, 12)
    )


@pytest.mark.parametrize("text", ["9:00", "25:00", "12:60", "noon", "24:00:00", ""])
def test_wall_times_are_hh_mm(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_wall_time(text, allow_end_of_day=False)


def test_windows_must_be_in_one_day_and_not_overlap() -> None:
    with pytest.raises(InvalidInput):
        validate_windows([Window(600, 540)])
    with pytest.raises(InvalidInput):
        validate_windows([Window(540, 720), Window(700, 800)])
    assert validate_windows([Window(780, 1440), Window(540, 720)]) == (
        Window(540, 720),
        Window(780, 1440),
    )
    with pytest.raises(LimitExceeded):
        validate_rules([WeeklyRule(Weekday.MONDAY, Window(i, i + 1)) for i in range(51)])


def test_a_range_longer_than_92_days_is_refused() -> None:
    s = settings("UTC", [(Weekday.MONDAY, "09:00", "17:00")])
    with pytest.raises(LimitExceeded):
        free_slots(s, timedelta(hours=1), LONG_AGO, LONG_AGO + timedelta(days=93), LONG_AGO, NO_BUSY)


def test_availability_touching_across_midnight_is_one_stretch() -> None:
    s = settings("Europe/London", [(Weekday.MONDAY, "20:00", "24:00"), (Weekday.TUESDAY, "00:00", "01:00")])
    starts = slots_on(s, utc(2026, 12, 7, 20), 60)
    assert starts[-2:] == [utc(2026, 12, 7, 23, 30), utc(2026, 12, 8, 0, 0)]


def test_a_gap_between_days_still_ends_a_slot() -> None:
    s = settings("Europe/London", [(Weekday.MONDAY, "20:00", "24:00"), (Weekday.TUESDAY, "00:30", "01:00")])
    assert slots_on(s, utc(2026, 12, 7, 20), 60)[-1] == utc(2026, 12, 7, 23, 0)


def test_round_the_clock_availability_has_no_seam_at_midnight() -> None:
    every_day = [(d, "00:00", "24:00") for d in Weekday]
    s = settings("America/New_York", every_day, step=30)
    starts = slots_on(s, utc(2026, 12, 7), 90)
    assert len(starts) == 48 and all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(starts))


def _starts_wall_time_by_wall_time(
    settings_: AvailabilitySettings, duration: timedelta, range_from: datetime, range_to: datetime
) -> list[datetime]:
    """The definition candidate_starts must keep: each wall time of each window converted on its
    own (what it did before it added steps to a window's start)."""
    from app.domain import availability as a  # the private pieces of the definition

    zone = ZoneInfo(settings_.time_zone)
    step = int(settings_.slot_step.total_seconds() // 60)
    first_day = range_from.astimezone(zone).date() - timedelta(days=1)
    placed = a._placed_windows(settings_, zone, first_day, range_to.astimezone(zone).date() + timedelta(days=1))
    reach = [p.ends_at for p in placed]
    for i in range(len(placed) - 2, -1, -1):
        if placed[i + 1].starts_at <= placed[i].ends_at:
            reach[i] = max(reach[i], reach[i + 1])
    found = []
    for window, stretch_end in zip(placed, reach, strict=True):
        if window.starts_at >= range_to:
            break
        for minute in range(window.window.start_minute, window.window.end_minute, step):
            starts_at = a._local_instant(window.day, minute, zone)
            if starts_at is None:
                continue
            if starts_at + duration > stretch_end:
                break
            if range_from <= starts_at < range_to:
                found.append(starts_at)
    return found


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
@pytest.mark.parametrize("window", [(0, 1440), (60, 240), (90, 200), (1380, 1440), (0, 150)])
@pytest.mark.parametrize("step", [15, 30])
def test_candidate_starts_are_each_wall_time_converted_on_its_own_across_clock_changes(
    zone: str, window: tuple[int, int], step: int
) -> None:
    rules = tuple(WeeklyRule(day, Window(*window)) for day in Weekday)
    settings_ = AvailabilitySettings(time_zone=zone, weekly_rules=rules, slot_step=timedelta(minutes=step))
    for year_start in (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 9, 25, tzinfo=UTC)):  # both changes
        range_to = year_start + timedelta(days=45)
        for duration in (timedelta(minutes=30), timedelta(minutes=60)):
            expected = _starts_wall_time_by_wall_time(settings_, duration, year_start, range_to)
            assert list(candidate_starts(settings_, duration, year_start, range_to)) == expected
