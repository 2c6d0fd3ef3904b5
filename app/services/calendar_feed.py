"""Each user's private, revocable iCalendar feed of their agreed meetings."""

import secrets

import icalendar
from tortoise.expressions import Q

from app.domain.errors import refuses
from app.domain.meetings import MeetingStatus
from app.domain.people import Actor
from app.models import Meeting, User
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work

FEED_STATUSES = [MeetingStatus.AGREED, MeetingStatus.IN_PROGRESS]
UID_DOMAIN = "consult-booking"


def feed_url(runtime: Runtime, token: str) -> str:
    return f"{runtime.settings.resolved_public_url}/calendar/{token}.ics"


@refuses()
async def rotate_feed_token(runtime: Runtime, actor: Actor) -> str:
    """A new feed address; the old one stops working at once."""
    token = secrets.token_urlsafe(32)
    async with unit_of_work(runtime):
        await User.filter(id=actor.user_id).update(calendar_token=token)
    return token


async def feed_for_token(token: str) -> bytes | None:
    user = await User.filter(calendar_token=token).first() if token else None
    if user is None:
        return None
    meetings = (
        await Meeting.filter(Q(client_id=user.id) | Q(expert_id=user.id), status__in=FEED_STATUSES)
        .select_related("client", "expert", "service")
        .order_by("starts_at", "id")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//consult-booking//feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Sessions of {user.name}")
    for meeting in meetings:
        other = meeting.expert if meeting.client_id == user.id else meeting.client
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.id}@{UID_DOMAIN}")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", f"{meeting.service.title} with {other.name}")
        event.add("sequence", meeting.version)
        event.add("status", "CONFIRMED")
        if meeting.location:
            event.add("location", meeting.location)
        calendar.add_component(event)
    feed: bytes = calendar.to_ical()
    return feed
