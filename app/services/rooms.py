"""Rooms for online sessions, behind a small provider interface."""

import secrets
from dataclasses import replace
from typing import Protocol

from app.domain import meetings as rules
from app.domain.meetings import MeetingState


class RoomProvider(Protocol):
    def create(self) -> str: ...

    def revoke(self, room_url: str) -> None: ...


class UnguessableRooms:
    """The default: an unguessable URL under this server, no outside call."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def create(self) -> str:
        return f"{self.base_url}/rooms/{secrets.token_urlsafe(24)}"

    def revoke(self, room_url: str) -> None:
        """Nothing to tell anyone: forgetting the URL is enough for this provider."""


def arrange_room(rooms: RoomProvider, before: MeetingState, after: MeetingState) -> MeetingState:
    """Makes the room the new state needs (`rules.needs_room`) and revokes one it dropped."""
    if before.room_url is not None and after.room_url is None:
        rooms.revoke(before.room_url)
    if rules.needs_room(after):
        return replace(after, room_url=rooms.create())
    return after
