"""Live updates. Subscribing to a meeting you cannot see fails exactly like a missing one.

Every subscription is admitted by the per-user cap, reads a changed meeting
through the shared snapshots (one query per event, whatever the number of
subscribers), and ends with SLOW_CONSUMER when it falls a whole queue behind.
`meetingUpdated` subscriptions of one viewer with one document and variables
share a stream (app/schema/frame_groups.py): one execution and one encoding per
change, however many sockets watch.
"""

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator
from contextlib import aclosing, asynccontextmanager, contextmanager, suppress
from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry
from graphql import GraphQLError
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app.domain import meetings as rules
from app.domain.people import Actor
from app.events import topics
from app.events.broker import RESUMED, Event, SlowConsumer
from app.events.ordering import InVersionOrder
from app.models import ExpertProfile
from app.models import InstantRequest as InstantRequestRow
from app.models import Meeting as MeetingRow
from app.models import Notification as NotificationRow
from app.resolvers.arguments import MEETING_ID
from app.resolvers.ids import parse_id
from app.resolvers.viewer import refusals_as_errors, token_expired, viewer_of
from app.schema.context import Info
from app.schema.frame_groups import FrameGroups
from app.schema.instant import InstantRequest
from app.schema.loaders import fresh_loaders
from app.schema.meetings import JoinAvailability, Meeting
from app.schema.notifications import Notification
from app.services import meeting_queries
from app.services.catalog import policy_of
from app.services.meeting_repository import state_of

TOKEN_EXPIRED_MESSAGE = "your token has expired: this subscription ended; reconnect with a new token"
SLOW_CONSUMER_MESSAGE = (
    "this subscription fell too far behind and was dropped; subscribe again, then catch up "
    "with meetings(filter: {updatedSince})"
)


@asynccontextmanager
async def _live(info: Info, viewer: Actor, topic_names: Iterable[str]) -> AsyncIterator[AsyncIterator[Event]]:
    runtime = info.context.runtime
    with refusals_as_errors(), runtime.subscriptions.admit(viewer.user_id):
        async with runtime.broker.subscribe(topic_names) as events:
            with _dropped_when_slow():
                yield _while_signed_in(info, InVersionOrder(events))


@contextmanager
def _dropped_when_slow() -> Iterator[None]:
    try:
        yield
    except SlowConsumer:
        raise GraphQLError(SLOW_CONSUMER_MESSAGE, extensions={"code": "SLOW_CONSUMER"}) from None


def _close_when_done(info: Info, operation: "asyncio.Task[object] | None") -> None:
    """Closes the socket (4403) once this operation has sent its UNAUTHENTICATED error."""
    socket = info.context.socket
    if socket is None:
        return

    async def close() -> None:
        if operation is not None:
            await asyncio.wait([operation])
        if socket.application_state is WebSocketState.CONNECTED:
            with suppress(RuntimeError, WebSocketDisconnect):
                await socket.close(code=4403, reason="token expired")

    _closing.add(task := asyncio.create_task(close()))
    task.add_done_callback(_closing.discard)


_closing: set["asyncio.Task[None]"] = set()
"""Closing tasks, kept until done (the loop holds only weak references)."""


async def _while_signed_in(info: Info, events: AsyncIterator[Event]) -> AsyncIterator[Event]:
    """The events, until the viewer's token expires: then the subscription ends, UNAUTHENTICATED.
    An idle subscription looks every `token_check_seconds`."""
    check_every = info.context.runtime.settings.token_check_seconds
    while True:
        event = None
        with suppress(TimeoutError):
            async with asyncio.timeout(check_every):  # no task per event, unlike wait_for
                event = await anext(events)
        if token_expired(info):
            _close_when_done(info, asyncio.current_task())
            raise GraphQLError(TOKEN_EXPIRED_MESSAGE, extensions={"code": "UNAUTHENTICATED"})
        if event is not None:
            yield event


def _meetings_topic(viewer: Actor) -> str:
    return topics.ADMIN_MEETINGS if viewer.is_admin else topics.user_meetings(viewer.user_id)


async def meeting_updated(
    info: Info,
    meeting_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="One meeting (its current state first); omit for all of yours."),
    ] = None,
    initial: Annotated[
        bool, strawberry.argument(description="Without meetingId: first each active meeting as it is now.")
    ] = False,
) -> AsyncGenerator[Meeting, None]:
    """A meeting's current state, each time it changes.

    With an id: first the meeting as it is now, then every change. Without:
    every change to any of the viewer's meetings (every meeting, for admins),
    first each active one as it is now when `initial` is true.
    """
    viewer = viewer_of(info)
    with refusals_as_errors():
        only = parse_id(meeting_id, "meeting") if meeting_id is not None else None
    groups = info.context.frame_groups
    if info.context.frame_group is not None:
        stream = _group_stream(info, viewer, only)
    elif groups is not None and groups.can_serve(info):
        stream = _member_stream(info, viewer, only, initial, groups)
    else:
        stream = _own_stream(info, viewer, only, initial)
    async with aclosing(stream):
        async for view in stream:
            yield view


async def _group_stream(info: Info, viewer: Actor, only: UUID | None) -> AsyncGenerator[Meeting, None]:
    """The stream a group of subscriptions shares: the changes only (each member sends its own
    first frames), announced to the group before each is yielded."""
    group = info.context.frame_group
    assert group is not None
    async with info.context.runtime.broker.subscribe([_meetings_topic(viewer)]) as events:
        group.started_listening()
        with _dropped_when_slow():
            async for view in _changed_meetings(info, viewer, InVersionOrder(events), only, {}):
                group.next_frame_is_about((view.id, view.version))
                yield view


async def _member_stream(
    info: Info, viewer: Actor, only: UUID | None, initial: bool, groups: FrameGroups
) -> AsyncGenerator[Meeting, None]:
    """A member yields its first frames itself; the group writes the rest into its socket."""
    runtime = info.context.runtime
    with refusals_as_errors(), runtime.subscriptions.admit(viewer.user_id):
        async with groups.join(info, viewer, lambda: token_expired(info)) as member:
            for view in await _first_meetings(viewer, only, initial):
                member.note_sent((view.id, view.version))
                yield view
            error = await member.serve(runtime.settings.token_check_seconds)
    if member.token_expired:
        _close_when_done(info, asyncio.current_task())
        raise GraphQLError(TOKEN_EXPIRED_MESSAGE, extensions={"code": "UNAUTHENTICATED"})
    if error is not None:
        raise error


async def _own_stream(info: Info, viewer: Actor, only: UUID | None, initial: bool) -> AsyncGenerator[Meeting, None]:
    """Without a group (the legacy graphql-ws protocol): every frame through this subscription."""
    async with _live(info, viewer, [_meetings_topic(viewer)]) as events:
        last_version: dict[UUID, int] = {}
        for view in await _first_meetings(viewer, only, initial):
            last_version[UUID(view.id)] = view.version
            yield view
        async for view in _changed_meetings(info, viewer, events, only, last_version):
            yield view


async def _first_meetings(viewer: Actor, only: UUID | None, initial: bool) -> list[Meeting]:
    """The frames a meetingUpdated subscription starts with: the meeting as it is now, or with
    `initial` each active one."""
    if only is not None:
        with refusals_as_errors():
            rows = [await meeting_queries.get_meeting(viewer, only)]
    else:
        rows = await meeting_queries.active_meetings(viewer) if initial else []
    fresh_loaders()
    return [Meeting.from_model(row, viewer) for row in rows]


async def _changed_meetings(
    info: Info, viewer: Actor, events: AsyncIterator[Event], only: UUID | None, last_version: dict[UUID, int]
) -> AsyncIterator[Meeting]:
    """Each change the viewer may see, newer than what was last yielded: one read per event and
    one view per viewer, however many subscriptions hear it."""
    snapshots = info.context.runtime.snapshots
    async for event in events:
        if event.kind == RESUMED:  # events were lost: what changed meanwhile, as it is now
            for row in await meeting_queries.changed_since(viewer, _since(event), only):
                if row.version > last_version.get(row.id, 0):
                    last_version[row.id] = row.version
                    fresh_loaders()
                    yield Meeting.from_model(row, viewer)
            continue
        changed_id = UUID(str(event.payload["meeting_id"]))
        version = int(event.payload["version"] or 0)
        if (only is not None and changed_id != only) or version <= last_version.get(changed_id, 0):
            continue
        view = snapshots.snapshot(changed_id, version, str(event.payload["row"])).view_for(viewer, Meeting.from_model)
        if view is None or view.version <= last_version.get(changed_id, 0):
            continue
        last_version[changed_id] = view.version
        fresh_loaders()
        yield view


async def join_availability(
    info: Info, meeting_id: Annotated[strawberry.ID, MEETING_ID]
) -> AsyncGenerator[JoinAvailability, None]:
    """The current value on subscribe, then a frame each time `canJoin` flips."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    async with _live(info, viewer, [_meetings_topic(viewer)]) as events:
        with refusals_as_errors():
            row = await meeting_queries.get_meeting(viewer, parse_id(meeting_id, "meeting"))
        if row.starts_at is None:
            return
        current = await _join_availability(row, runtime.clock.now())
        yield current
        async for event in events:
            if event.kind == RESUMED:
                latest_row = await MeetingRow.filter(id=row.id).first()
            elif event.payload["meeting_id"] == str(row.id):
                version = int(event.payload["version"] or 0)
                latest_row = runtime.snapshots.snapshot(row.id, version, str(event.payload["row"])).row
            else:
                continue
            if latest_row is None:
                continue
            latest = await _join_availability(latest_row, runtime.clock.now())
            if latest.can_join != current.can_join:
                current = latest
                yield current


async def notification_added(info: Info) -> AsyncGenerator[Notification, None]:
    """Each new notification of the viewer, as it is written (after its change commits)."""
    viewer = viewer_of(info)
    sent: set[UUID] = set()
    async with _live(info, viewer, [topics.user_notifications(viewer.user_id)]) as events:
        async for event in events:
            mine = NotificationRow.filter(recipient_id=viewer.user_id)
            if event.kind == RESUMED:  # those written while events were lost
                rows = await mine.filter(created_at__gte=_since(event)).order_by("created_at", "id")
            else:
                rows = await mine.filter(id=str(event.payload["notification_id"]))
            for row in rows:
                if row.id not in sent:
                    sent.add(row.id)
                    yield Notification.from_model(row)


async def instant_requests(info: Info) -> AsyncGenerator[InstantRequest, None]:
    """Experts: each instant request offered to you (OPEN), then how it ended (TAKEN, EXPIRED,
    WITHDRAWN). While subscribed, you are online for new requests that match you."""
    viewer = viewer_of(info)
    runtime = info.context.runtime
    if not await ExpertProfile.filter(user_id=viewer.user_id).exists():
        raise GraphQLError("only experts receive instant requests", extensions={"code": "NOT_ALLOWED"})
    async with (
        _live(info, viewer, [topics.expert_instant_requests(viewer.user_id)]) as events,
        runtime.presence.online(viewer.user_id),
    ):
        async for event in events:
            if event.kind == RESUMED:  # each request still live while events were lost, as it is now
                rows = await InstantRequestRow.filter(expires_at__gte=_since(event)).order_by("created_at")
            else:
                rows = await InstantRequestRow.filter(id=str(event.payload["request_id"]))
            for row in rows:
                if str(viewer.user_id) in row.notified_expert_ids:
                    yield InstantRequest.from_model(row)


def _since(event: Event) -> datetime:
    return datetime.fromisoformat(str(event.payload["since"]))


async def _join_availability(row: MeetingRow, now: datetime) -> JoinAvailability:
    state = state_of(row)
    policy = policy_of(await ExpertProfile.get(user_id=row.expert_id))
    return JoinAvailability(
        meeting_id=strawberry.ID(str(row.id)),
        can_join=rules.can_join(state, policy, now),
        opens_at=rules.join_opens_at(state, policy),
        closes_at=state.ends_at,
    )
