"""Rooms for online sessions, behind a small provider interface."""

import secrets
from typing import Protocol

from app.domain.meetings import MeetingMode, MeetingStatus


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


ONLINE_MODES = frozenset({MeetingMode.VIDEO, MeetingMode.AUDIO, MeetingMode.CHAT})


def room_after_change(
    rooms: RoomProvider,
    mode: MeetingMode,
    before: MeetingStatus,
    after: MeetingStatus,
    room_url: str | None,
) -> str | None:
    """A room is made when an online meeting is agreed and revoked when it is cancelled."""
    if after is MeetingStatus.AGREED and before is not MeetingStatus.AGREED and mode in ONLINE_MODES:
        return room_url or rooms.create()
    if after is MeetingStatus.CANCELLED and room_url is not None:
        rooms.revoke(room_url)
        return None
    return room_url
