"""Rooms for online sessions: which state has one, and what a change did to it.

An online meeting has a room from the moment it is agreed; a change that takes it
away (a cancellation, a move to a place) drops it. The room's address is ours
(`/rooms/<token>`), given with the state that needs it, in the change itself, so a
change that rolls back leaves no room behind. A video provider that must be told
(open a room, close one) hears of it after the change commits (`room_change`).
"""

from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum

from app.domain.meetings import MeetingState, needs_room

ROOM_PATH = "/rooms/"


class RoomChange(StrEnum):
    OPENED = "OPENED"
    CLOSED = "CLOSED"


def arranged(after: MeetingState, new_token: Callable[[], str]) -> MeetingState:
    """The state with the room it needs: a new address when it needs one and has none."""
    if needs_room(after):
        return replace(after, room_url=f"{ROOM_PATH}{new_token()}")
    return after


def room_change(before: MeetingState | None, after: MeetingState) -> RoomChange | None:
    """What a change did to the meeting's room: opened one, closed one, or nothing."""
    had = before.room_url if before is not None else None
    if after.room_url is not None and after.room_url != had:
        return RoomChange.OPENED
    if had is not None and after.room_url != had:
        return RoomChange.CLOSED
    return None


def token_of(room_url: str) -> str:
    return room_url.rsplit("/", 1)[-1]
