"""Rooms for online sessions, behind a small provider interface.

A meeting's room is an unguessable address of ours (`/rooms/<token>`), given in the
change that agrees it (domain/rooms.py, applied by the meeting repository). Each
participant gets their own link to it, signed for them (`?as=<user id>.<signature>`),
so the room page knows who opened it and refuses anyone else. The default provider
keeps rooms on this server: a room no meeting has any more is simply closed, so it
needs telling nothing. A provider that must be told (a video service's API) says so
with `calls_out`; it then hears of each room opened or closed through a ROOM job that
runs after the change commits, outside any transaction, retried like e-mail
(services/effects.tell_room_provider).
"""

import hashlib
import hmac
from typing import Protocol
from uuid import UUID

from app.domain.rooms import ROOM_PATH, token_of


class RoomProvider(Protocol):
    calls_out: bool
    """Whether it must hear of rooms opened and closed (through jobs, after the change)."""

    async def open_room(self, room_url: str) -> None: ...

    async def close_room(self, room_url: str) -> None: ...

    def link_for(self, room_url: str, user_id: UUID) -> str:
        """The address one participant opens the room at."""
        ...

    def participant(self, room_url: str, signed: str) -> UUID | None:
        """Who a link to the room was made for; None when it was not made by us."""
        ...


class UnguessableRooms:
    calls_out = False

    def __init__(self, base_url: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = hashlib.sha256(f"rooms:{secret}".encode()).digest()

    async def open_room(self, room_url: str) -> None:
        """Nothing to do: the room page serves every meeting's current room."""

    async def close_room(self, room_url: str) -> None:
        """Nothing to tell anyone: the page serves only a meeting's current room."""

    def link_for(self, room_url: str, user_id: UUID) -> str:
        """At this server's current address, whatever address the room was made under."""
        token = token_of(room_url)
        return f"{self.base_url}{ROOM_PATH}{token}?as={user_id}.{self._signature(room_url, user_id)}"

    def participant(self, room_url: str, signed: str) -> UUID | None:
        """Whose link this is, or None for a link that is not one of ours."""
        user_text, _, signature = signed.partition(".")
        try:
            user_id = UUID(user_text)
        except ValueError:
            return None
        return user_id if hmac.compare_digest(signature, self._signature(room_url, user_id)) else None

    def _signature(self, room_url: str, user_id: UUID) -> str:
        message = f"{token_of(room_url)}:{user_id}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
