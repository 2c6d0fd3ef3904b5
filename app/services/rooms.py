"""Rooms for online sessions, behind a small provider interface.

The default provider keeps rooms on this server: a room is an unguessable address
(`/rooms/<token>`), and each participant gets their own link to it, signed for
them (`?as=<user id>.<signature>`), so the room page knows who opened it and
refuses anyone else. A revoked room is simply no meeting's room any more.
"""

import hashlib
import hmac
import secrets
from dataclasses import replace
from typing import Protocol
from uuid import UUID

from app.domain import meetings as rules
from app.domain.meetings import MeetingState

ROOM_PATH = "/rooms/"


class RoomProvider(Protocol):
    def create(self) -> str: ...

    def revoke(self, room_url: str) -> None: ...

    def link_for(self, room_url: str, user_id: UUID) -> str:
        """The address one participant opens the room at."""
        ...

    def participant(self, room_url: str, signed: str) -> UUID | None:
        """Who a link to the room was made for; None when it was not made by us."""
        ...


class UnguessableRooms:
    def __init__(self, base_url: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._key = hashlib.sha256(f"rooms:{secret}".encode()).digest()

    def create(self) -> str:
        return f"{self.base_url}{ROOM_PATH}{secrets.token_urlsafe(24)}"

    def revoke(self, room_url: str) -> None:
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


def token_of(room_url: str) -> str:
    return room_url.rsplit("/", 1)[-1]


def arrange_room(rooms: RoomProvider, before: MeetingState, after: MeetingState) -> MeetingState:
    """Makes the room the new state needs (`rules.needs_room`) and revokes one it dropped."""
    if before.room_url is not None and after.room_url is None:
        rooms.revoke(before.room_url)
    if rules.needs_room(after):
        return replace(after, room_url=rooms.create())
    return after
