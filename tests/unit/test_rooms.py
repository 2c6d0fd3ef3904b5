"""Which state has a room, and what a change did to it."""

from dataclasses import replace

import pytest

from app.domain import rooms
from app.domain.meetings import MeetingMode, MeetingState, MeetingStatus
from app.domain.rooms import RoomChange
from tests.unit.test_meetings import booked

ROOM = "/rooms/abc"


def agreed(**changes: object) -> MeetingState:
    return replace(booked(), status=MeetingStatus.AGREED, expert_approved=True, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("state", "room"),
    [
        (agreed(), "/rooms/new"),  # agreed online: a room of its own
        (agreed(room_url=ROOM), ROOM),  # keeps the one it has
        (agreed(mode=MeetingMode.IN_PERSON, location="1 High Street"), None),  # in person: none
        (booked(), None),  # not agreed yet
        (replace(agreed(room_url=ROOM), status=MeetingStatus.CANCELLED, room_url=None), None),
    ],
)
def test_an_agreed_online_meeting_gets_a_room_and_keeps_it(state: MeetingState, room: str | None) -> None:
    assert rooms.arranged(state, lambda: "new").room_url == room


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        (None, agreed(room_url=ROOM), RoomChange.OPENED),  # made agreed (instant, rebooked)
        (booked(), agreed(room_url=ROOM), RoomChange.OPENED),
        (agreed(room_url=ROOM), replace(agreed(), status=MeetingStatus.CANCELLED), RoomChange.CLOSED),
        (agreed(room_url=ROOM), agreed(room_url=ROOM), None),
        (booked(), booked(), None),
        (None, booked(), None),
    ],
)
def test_a_change_opens_a_room_closes_one_or_leaves_it(
    before: MeetingState | None, after: MeetingState, change: RoomChange | None
) -> None:
    assert rooms.room_change(before, after) is change


def test_a_rooms_token_is_the_last_part_of_its_address() -> None:
    assert rooms.token_of("https://example.com/rooms/abc") == rooms.token_of(ROOM) == "abc"
