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
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit
from uuid import UUID

import jwt

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


class JitsiRooms(UnguessableRooms):
    """Rooms on a Jitsi Meet server (ROOM_PROVIDER=jitsi): each meeting's room is named after
    its unguessable token, and a participant's link opens it on the Jitsi server directly.

    With JITSI_APP_ID and JITSI_APP_SECRET (a server using Jitsi's token authentication,
    prosody's `token` auth), every link carries a JWT for that participant and that room only,
    as Jitsi documents (HS256; `aud` "jitsi", `iss` the app id, `sub` the server's domain,
    `room`, `exp`, `context.user.id`), valid for JITSI_TOKEN_HOURS. Without them the room's
    name is its only protection, as on meet.jit.si. Jitsi makes a room when its first person
    joins and drops it when the last leaves, so there is nothing to open or close. The room
    page of this server still answers for the room, as with the default provider.
    """

    def __init__(
        self,
        base_url: str,
        secret: str,
        jitsi_url: str,
        now: Callable[[], datetime],
        *,
        app_id: str | None = None,
        app_secret: str | None = None,
        token_lifetime: timedelta = timedelta(hours=24),
    ) -> None:
        super().__init__(base_url, secret)
        self.jitsi_url = jitsi_url.rstrip("/")
        self.domain = urlsplit(self.jitsi_url).hostname or ""
        self.now = now
        self.app_id = app_id
        self.app_secret = app_secret
        self.token_lifetime = token_lifetime

    def link_for(self, room_url: str, user_id: UUID) -> str:
        room = self.room_name(room_url)
        if not (self.app_id and self.app_secret):
            return f"{self.jitsi_url}/{room}"
        issued = self.now()
        claims = {
            "aud": "jitsi",
            "iss": self.app_id,
            "sub": self.domain,
            "room": room,
            "nbf": int(issued.timestamp()) - 60,
            "exp": int((issued + self.token_lifetime).timestamp()),
            "context": {"user": {"id": str(user_id)}},
        }
        return f"{self.jitsi_url}/{room}?jwt={jwt.encode(claims, self.app_secret, algorithm='HS256')}"

    @staticmethod
    def room_name(room_url: str) -> str:
        """Jitsi folds room names to lower case: the token's letters stay, still unguessable."""
        return f"consult-{token_of(room_url).lower()}"
