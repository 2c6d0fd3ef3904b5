"""Live updates. Subscribing to a meeting you cannot see fails exactly like a missing one."""

from collections.abc import AsyncGenerator
from datetime import datetime
from uuid import UUID

import strawberry
from app.domain import meetings as rules
from app.domain.access import can_see_meeting
from app.events import topics
from app.models import ExpertProfile
from app.models import Meeting as MeetingRow
from app.schema.context import Info
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.loaders import fresh_loaders
from app.resolvers.ids import parse_id
from app.schema.meetings import JoinAvailability, Meeting
from app.services import meeting_queries
from app.services.catalog import policy_of
from app.services.meeting_repository import parties_of, state_of


async def meeting_updated(
    info: Info, meeting_id: strawberry.ID | None = None
) -> AsyncGenerator[Meeting, None]:
    """A meeting's current state, each time it changes.

    With an id: first the meeting as it is now, then every change. Without:
    every change to any of the viewer's meetings (every meeting, for admins).
    """
    viewer = viewer_of(info)
    broker = info.context.runtime.broker
    only: UUID | None = None
    last_version: dict[UUID, int] = {}
    topic = topics.ADMIN_MEETINGS if viewer.is_admin else topics.user_meetings(viewer.user_id)
    async with broker.subscribe([topic]) as events:
        if meeting_id is not None:
            with refusals_as_errors():
                row = await meeting_queries.get_meeting(viewer, parse_id(meeting_id, "meeting"))
            only = row.id
            last_version[row.id] = row.version
            fresh_loaders()
            yield Meeting.from_model(row, viewer)
        async for event in events:
            changed_id = UUID(str(event.payload["meeting_id"]))
            if only is not None and changed_id != only:
                continue
            changed = await MeetingRow.filter(id=changed_id).first()
            if changed is None or not can_see_meeting(viewer, parties_of(changed)):
                continue
            if changed.version <= last_version.get(changed.id, 0):
                continue
            last_version[changed.id] = changed.version
            fresh_loaders()
            yield Meeting.from_model(changed, viewer)


async def join_availability(
    info: Info, meeting_id: strawberry.ID
) -> AsyncGenerator[JoinAvailability, None]:
    """The current value on subscribe, then a frame each time `canJoin` flips."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    topic = topics.ADMIN_MEETINGS if viewer.is_admin else topics.user_meetings(viewer.user_id)
    async with runtime.broker.subscribe([topic]) as events:
        with refusals_as_errors():
            row = await meeting_queries.get_meeting(viewer, parse_id(meeting_id, "meeting"))
        if row.starts_at is None:
            return
        current = await _join_availability(row, runtime.clock.now())
        yield current
        async for event in events:
            if event.payload["meeting_id"] != str(row.id):
                continue
            row = await MeetingRow.get(id=row.id)
            latest = await _join_availability(row, runtime.clock.now())
            if latest.can_join != current.can_join:
                current = latest
                yield current


async def _join_availability(row: MeetingRow, now: datetime) -> JoinAvailability:
    state = state_of(row)
    policy = policy_of(await ExpertProfile.get(user_id=row.expert_id))
    return JoinAvailability(
        meeting_id=strawberry.ID(str(row.id)),
        can_join=rules.can_join(state, policy, now),
        opens_at=rules.join_opens_at(state, policy),
        closes_at=state.ends_at,
    )
