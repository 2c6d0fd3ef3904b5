"""Who may look into a room, and what the room page shows them."""

from dataclasses import dataclass
from datetime import datetime

from app.domain import meetings as rules
from app.domain.access import can_enter_room
from app.domain.errors import NotAllowed, NotFound
from app.domain.people import Actor
from app.domain.rooms import ROOM_PATH, token_of
from app.models import Meeting, User
from app.services.meeting_repository import MeetingRecord, get
from app.services.runtime import Runtime

MAX_TOKEN_LENGTH = 64


@dataclass(frozen=True)
class RoomView:
    service_title: str
    client_name: str
    expert_name: str
    viewer_name: str
    viewer_time_zone: str
    opens_at: datetime
    closes_at: datetime
    open_now: bool


async def _meeting_with_room(token: str) -> Meeting | None:
    """The meeting whose room this is, under whichever address it was made."""
    if not 1 <= len(token) <= MAX_TOKEN_LENGTH or not token.replace("-", "").replace("_", "").isalnum():
        return None
    candidates = await Meeting.filter(room_url__endswith=f"{ROOM_PATH}{token}")
    return next((row for row in candidates if row.room_url and token_of(row.room_url) == token), None)


async def enter_room(runtime: Runtime, token: str, signed: str) -> RoomView:
    """NOT_FOUND for a room no meeting has (never made, or revoked); NOT_ALLOWED for a link
    that was not made for one of the meeting's two sides or an admin."""
    row = await _meeting_with_room(token)
    if row is None or row.room_url is None:
        raise NotFound("this room is closed, or never existed")
    room_url = row.room_url
    viewer_id = runtime.rooms.participant(room_url, signed)
    viewer = await User.get_or_none(id=viewer_id) if viewer_id else None
    meeting: MeetingRecord = await get(row.id)
    parties = meeting.parties
    if viewer is None or not can_enter_room(Actor(viewer.id, is_admin=viewer.is_admin), parties):
        raise NotAllowed("open the room from your own link (in the app or your e-mail)")
    summary = meeting.summary()
    return RoomView(
        service_title=summary.service_title,
        client_name=summary.client_name,
        expert_name=summary.expert_name,
        viewer_name=viewer.name,
        viewer_time_zone=viewer.time_zone,
        opens_at=rules.join_opens_at(meeting.state, meeting.policy),
        closes_at=meeting.state.ends_at,
        open_now=rules.can_join(meeting.state, meeting.policy, runtime.clock.now()),
    )
