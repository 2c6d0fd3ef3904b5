"""Availability, free slots, busy calendars and the feed, over real HTTP."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from tests.support.factories import (
    CANCEL,
    CONFIRM,
    SET_WEEKLY,
    Person,
    act,
    book,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api
from tests.support.server import RunningServer

SLOTS = """
query($expert: ID!, $service: ID!, $minutes: Int!, $from: DateTime!, $to: DateTime!) {
  availableSlots(expertId: $expert, serviceId: $service, durationMinutes: $minutes, from: $from, to: $to) {
    startsAt endsAt expertTimeZone expertLocalStart
  }
}"""
SET_OVERRIDE = """
mutation($input: SetDateOverrideInput!) {
  setDateOverride(input: $input) {
    __typename ... on Availability { dateOverrides { date windows { startTime endTime } } }
    ... on Problem { code message }
  }
}"""
UPDATE_POLICY = """
mutation($input: UpdateExpertPolicyInput!) {
  updateExpertPolicy(input: $input) {
    __typename ... on Expert { policy { clientCancellationWindowMinutes shortNoticeWindowMinutes } }
    ... on Problem { code message }
  }
}"""
IMPORT = """
mutation($input: ImportBusyCalendarInput!) {
  importBusyCalendar(input: $input) {
    __typename ... on BusyCalendarImported { busyBlockCount } ... on Problem { code message }
  }
}"""
ROTATE_FEED = "mutation { rotateCalendarFeed { __typename ... on CalendarFeed { url } } }"
NOTIFICATIONS = "{ notifications(first: 5) { edges { node { text } } } }"
PUBLIC_AVAILABILITY = """
query($id: ID!) { expert(id: $id) { availability {
  timeZone weeklyRules { weekday startTime endTime } minimumNoticeMinutes slotStepMinutes
} } }"""


def next_weekday(weekday: int, at_least_days: int = 2) -> date:
    day = datetime.now(UTC).date() + timedelta(days=at_least_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def set_weekly(api: Api, expert: Person, rules: list[tuple[str, str, str]], **settings: Any) -> None:
    given = {"rules": [{"weekday": d, "startTime": a, "endTime": b} for d, a, b in rules], **settings}
    result = await api.query(SET_WEEKLY, {"input": given}, expert.token)
    assert result["setWeeklyAvailability"]["__typename"] == "Availability", result


async def slots(
    api: Api, expert: Person, service_id: str, minutes: int, start: datetime, end: datetime
) -> list[dict[str, str]]:
    data = await api.query(
        SLOTS,
        {
            "expert": expert.id,
            "service": service_id,
            "minutes": minutes,
            "from": start.isoformat(),
            "to": end.isoformat(),
        },
    )
    result: list[dict[str, str]] = data["availableSlots"]
    return result


async def test_a_kolkata_expert_booked_by_a_los_angeles_client(api: Api, server: RunningServer) -> None:
    expert = await make_person(api, server.admin_token, expert=True, time_zone="Asia/Kolkata")
    client = await make_person(api, server.admin_token, credits=100, time_zone="America/Los_Angeles")
    service_id = await make_service(api, expert, duration=60)
    await set_weekly(api, expert, [("MONDAY", "09:00", "11:00")], minimumNoticeMinutes=0)
    monday = next_weekday(0)

    free = await slots(api, expert, service_id, 60, at(monday, 0), at(monday, 23))
    # 09:00, 09:30 and 10:00 IST (UTC+05:30, no DST); 10:30 would end after 11:00.
    assert [s["startsAt"] for s in free] == [
        at(monday, 3, 30).isoformat(),
        at(monday, 4).isoformat(),
        at(monday, 4, 30).isoformat(),
    ]
    assert free[1]["expertLocalStart"] == f"{monday.isoformat()}T09:30:00+05:30"
    assert free[1]["expertTimeZone"] == "Asia/Kolkata"

    booked = await book(api, client, service_id, free[1]["startsAt"])
    assert booked["__typename"] == "Meeting"
    after = await slots(api, expert, service_id, 60, at(monday, 0), at(monday, 23))
    assert after == []  # 03:30 and 04:30 both overlap the 04:00-05:00 booking
    await act(api, CONFIRM, expert, meetingId=booked["id"])
    text = (await api.query(NOTIFICATIONS, token=client.token))["notifications"]["edges"][0]["node"]["text"]
    local = at(monday, 4).astimezone(ZoneInfo("America/Los_Angeles"))
    assert local.date() == monday - timedelta(days=1)  # Sunday evening in Los Angeles
    assert f"{local:%a %d %b %Y, %H:%M} {local.tzname()} (America/Los_Angeles)" in text


async def test_booking_outside_the_rules_is_refused_with_the_reason(
    api: Api, server: RunningServer, client: Person
) -> None:
    expert = await make_person(api, server.admin_token, expert=True, time_zone="UTC")
    service_id = await make_service(api, expert, duration=60)
    await set_weekly(
        api,
        expert,
        [("MONDAY", "09:00", "17:00")],
        minimumNoticeMinutes=48 * 60,
        horizonDays=20,
    )
    monday = next_weekday(0, at_least_days=3)
    cases = [
        (at(monday, 16, 30), "OUTSIDE_AVAILABILITY"),  # would end at 17:30
        (at(monday, 10, 15), "OUTSIDE_AVAILABILITY"),  # off the 30-minute step
        (at(monday + timedelta(days=1), 10), "OUTSIDE_AVAILABILITY"),  # Tuesday
        (datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1), "TOO_SOON"),
        (at(monday + timedelta(days=21), 10), "TOO_FAR_AHEAD"),
    ]
    for starts_at, code in cases:
        before = await server.snapshot()
        refused = await book(api, client, service_id, starts_at.isoformat())
        assert refused.get("code") == code, (starts_at, refused)
        assert await server.snapshot() == before
    assert (await book(api, client, service_id, at(monday, 16).isoformat()))["__typename"] == "Meeting"


async def test_a_date_override_replaces_the_day_and_a_day_off_empties_it(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    day = next_weekday(2)
    override = await api.query(
        SET_OVERRIDE,
        {"input": {"date": day.isoformat(), "windows": [{"startTime": "10:00", "endTime": "12:00"}]}},
        expert.token,
    )
    assert override["setDateOverride"]["dateOverrides"] == [
        {"date": day.isoformat(), "windows": [{"startTime": "10:00", "endTime": "12:00"}]}
    ]
    # The test expert's zone is Europe/London; compare in UTC via the expert's local start.
    free = await slots(api, expert, service_id, 60, at(day, 0) - timedelta(hours=2), at(day, 23) + timedelta(hours=2))
    local_starts = [s["expertLocalStart"][11:16] for s in free if s["expertLocalStart"].startswith(day.isoformat())]
    assert local_starts == ["10:00", "10:30", "11:00"]

    await api.query(SET_OVERRIDE, {"input": {"date": day.isoformat(), "windows": []}}, expert.token)
    free = await slots(api, expert, service_id, 60, at(day, 0) - timedelta(hours=2), at(day, 23) + timedelta(hours=2))
    assert [s for s in free if s["expertLocalStart"].startswith(day.isoformat())] == []

    removed = await api.query(SET_OVERRIDE, {"input": {"date": day.isoformat()}}, expert.token)
    assert removed["setDateOverride"]["dateOverrides"] == []


async def test_availability_settings_are_validated_and_public(
    api: Api, server: RunningServer, expert: Person, client: Person
) -> None:
    bad_inputs = [
        {"rules": [{"weekday": "MONDAY", "startTime": "17:00", "endTime": "09:00"}]},
        {"rules": [{"weekday": "MONDAY", "startTime": "9am", "endTime": "17:00"}]},
        {
            "rules": [
                {"weekday": "MONDAY", "startTime": "09:00", "endTime": "13:00"},
                {"weekday": "MONDAY", "startTime": "12:00", "endTime": "14:00"},
            ]
        },
        {"rules": [], "slotStepMinutes": 2},
        {"rules": [], "horizonDays": 0},
        {"rules": [], "bufferBeforeMinutes": -5},
    ]
    for given in bad_inputs:
        before = await server.snapshot()
        result = (await api.query(SET_WEEKLY, {"input": given}, expert.token))["setWeeklyAvailability"]
        assert result["code"] == "INVALID_INPUT", (given, result)
        assert await server.snapshot() == before
    not_mine = await api.query(SET_WEEKLY, {"input": {"rules": [], "expertId": expert.id}}, client.token)
    assert not_mine["setWeeklyAvailability"]["code"] == "NOT_ALLOWED"
    not_expert = await api.query(SET_WEEKLY, {"input": {"rules": []}}, client.token)
    assert not_expert["setWeeklyAvailability"]["code"] == "NOT_ALLOWED"

    public = (await api.query(PUBLIC_AVAILABILITY, {"id": expert.id}))["expert"]["availability"]
    assert public["timeZone"] == "Europe/London"
    assert len(public["weeklyRules"]) == 7 and public["minimumNoticeMinutes"] == 0

    policy = await api.query(UPDATE_POLICY, {"input": {"clientCancellationWindowMinutes": 72 * 60}}, expert.token)
    assert policy["updateExpertPolicy"]["policy"] == {
        "clientCancellationWindowMinutes": 4320,
        "shortNoticeWindowMinutes": 2880,
    }
    refused = await api.query(UPDATE_POLICY, {"input": {"joinWindowMinutes": -1}}, expert.token)
    assert refused["updateExpertPolicy"]["code"] == "INVALID_INPUT"


async def test_slot_queries_refuse_unknown_services_and_long_ranges(api: Api, expert: Person, service_id: str) -> None:
    now = datetime.now(UTC)
    variables = {
        "expert": expert.id,
        "service": service_id,
        "minutes": 60,
        "from": now.isoformat(),
        "to": (now + timedelta(days=93)).isoformat(),
    }
    body = (await api.raw(SLOTS, variables)).json()
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    body = (await api.raw(SLOTS, {**variables, "to": (now + timedelta(days=1)).isoformat(), "minutes": 45})).json()
    assert body["errors"][0]["extensions"]["code"] == "NOT_OFFERED"
    body = (await api.raw(SLOTS, {**variables, "service": "nope", "to": (now + timedelta(days=1)).isoformat()})).json()
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


BUSY_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//busy//EN
BEGIN:VEVENT
UID:one@test
DTSTART:{one_start}
DTEND:{one_end}
SUMMARY:Dentist (private)
END:VEVENT
BEGIN:VEVENT
UID:free@test
DTSTART:{one_start}
DTEND:{free_end}
TRANSP:TRANSPARENT
SUMMARY:Reminder only
END:VEVENT
BEGIN:VEVENT
UID:weekly@test
DTSTART:{weekly_start}
DTEND:{weekly_end}
RRULE:FREQ=DAILY;COUNT=2
SUMMARY:Standup
END:VEVENT
END:VCALENDAR
"""


def ics_time(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


async def test_an_imported_busy_calendar_removes_exactly_the_slots_it_overlaps(
    api: Api, server: RunningServer, client: Person
) -> None:
    expert = await make_person(api, server.admin_token, expert=True, time_zone="UTC")
    service_id = await make_service(api, expert, duration=60)
    await set_weekly(
        api,
        expert,
        [(d, "09:00", "13:00") for d in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")],
        minimumNoticeMinutes=0,
        slotStepMinutes=60,
    )
    day = datetime.now(UTC).date() + timedelta(days=3)
    window = (at(day, 0), at(day + timedelta(days=2), 0))
    before = [s["startsAt"] for s in await slots(api, expert, service_id, 60, *window)]
    assert len(before) == 8  # 09, 10, 11, 12 on each of two days

    ics = BUSY_ICS.format(
        one_start=ics_time(at(day, 10, 15)),
        one_end=ics_time(at(day, 10, 45)),
        free_end=ics_time(at(day, 13)),
        weekly_start=ics_time(at(day, 12)),
        weekly_end=ics_time(at(day, 12, 30)),
    )
    imported = await api.query(IMPORT, {"input": {"ics": ics}}, expert.token)
    assert imported["importBusyCalendar"] == {"__typename": "BusyCalendarImported", "busyBlockCount": 3}

    after = [s["startsAt"] for s in await slots(api, expert, service_id, 60, *window)]
    removed = {at(day, 10).isoformat(), at(day, 12).isoformat(), at(day + timedelta(days=1), 12).isoformat()}
    assert after == [s for s in before if s not in removed]
    refused = await book(api, client, service_id, at(day, 10).isoformat())
    assert refused["code"] == "SLOT_TAKEN"
    assert "Dentist" not in refused["message"]

    replaced = await api.query(
        IMPORT, {"input": {"ics": BUSY_ICS.split("BEGIN:VEVENT")[0] + "END:VCALENDAR\n"}}, expert.token
    )
    assert replaced["importBusyCalendar"]["busyBlockCount"] == 0
    assert [s["startsAt"] for s in await slots(api, expert, service_id, 60, *window)] == before

    garbage = await api.query(IMPORT, {"input": {"ics": "not a calendar"}}, expert.token)
    assert garbage["importBusyCalendar"]["code"] == "INVALID_INPUT"


async def test_the_feed_lists_agreed_meetings_with_stable_uids(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    first = await book(api, client, service_id, hours_from_now(50))
    second = await book(api, client, service_id, hours_from_now(60))
    pending = await book(api, client, service_id, hours_from_now(70))
    for meeting in (first, second):
        await act(api, CONFIRM, expert, meetingId=meeting["id"])
    url = (await api.query(ROTATE_FEED, token=client.token))["rotateCalendarFeed"]["url"]
    assert url.startswith(f"{server.base_url}/calendar/") and url.endswith(".ics")  # the port served

    async def feed_uids() -> list[str]:
        response = await api.http.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.text)
        return sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))

    expected = sorted(f"meeting-{m['id']}@consult-booking" for m in (first, second))
    assert await feed_uids() == expected
    assert await feed_uids() == expected
    assert f"meeting-{pending['id']}@consult-booking" not in expected

    await act(api, CANCEL, client, meetingId=second["id"])
    assert await feed_uids() == [f"meeting-{first['id']}@consult-booking"]

    assert (await api.http.get("/calendar/wrong-token.ics")).status_code == 404
    await api.query(ROTATE_FEED, token=client.token)
    assert (await api.http.get(url)).status_code == 404
    viewer = await api.query("{ viewer { calendarFeedUrl } }", token=client.token)
    assert viewer["viewer"]["calendarFeedUrl"] != url
