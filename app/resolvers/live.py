"""What every subscription shares: the per-user cap, events in version order, the end of a
subscription whose token expired or that fell a whole queue behind, and the streams of
`meetingUpdated` (one execution and one encoding per change for the subscriptions of one
viewer with one document and variables; app/web/frame_groups.py).
"""

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import datetime
from typing import NoReturn
from uuid import UUID

from graphql import GraphQLError
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from app.domain.access import hears_every_meeting
from app.domain.people import Actor
from app.events import topics
from app.events.broker import RESUMED, SLOW_CONSUMER_MESSAGE, Event, SlowConsumer
from app.events.ordering import InVersionOrder
from app.resolvers.viewer import refusals_as_errors, token_expired
from app.schema.context import Info, StreamSharing
from app.schema.loaders import fresh_loaders
from app.schema.meetings.types import Meeting
from app.services import meeting_queries
from app.services.tokens import ExpiredToken

TOKEN_EXPIRED_MESSAGE = "your token has expired: this subscription ended; reconnect with a new token"


@asynccontextmanager
async def live(info: Info, viewer: Actor, topic_names: Iterable[str]) -> AsyncIterator[AsyncIterator[Event]]:
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


async def _signed_out(info: Info) -> NoReturn:
    """The viewer's token expired. On graphql-transport-ws the socket closes 4403 and its
    operations end with it, unfinished, so a client such as graphql-ws reconnects with a fresh
    token and subscribes again to all it had (web/recipes/live-graphql-ws.mjs). Elsewhere the
    subscription ends UNAUTHENTICATED: over server-sent events, and on the legacy protocol, whose
    socket then closes 4403 too."""
    socket, groups = info.context.socket, info.context.frame_groups
    if socket is not None and groups is not None and groups.can_serve(info):
        await _close(socket)
        await asyncio.Future()  # cancelled when Strawberry tears down the closed socket's operations
    _close_when_done(info, asyncio.current_task())
    raise GraphQLError(TOKEN_EXPIRED_MESSAGE, extensions={"code": "UNAUTHENTICATED"})


async def _close(socket: WebSocket) -> None:
    if socket.application_state is WebSocketState.CONNECTED:
        with suppress(RuntimeError, WebSocketDisconnect):
            await socket.close(code=ExpiredToken.close_code, reason="token expired; reconnect with a fresh one")


def _close_when_done(info: Info, operation: "asyncio.Task[object] | None") -> None:
    """Closes the socket (4403: reconnect with a fresh token) once this operation has sent its
    UNAUTHENTICATED error."""
    socket = info.context.socket
    if socket is None:
        return

    async def close() -> None:
        if operation is not None:
            await asyncio.wait([operation])
        await _close(socket)

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
            await _signed_out(info)
        if event is not None:
            yield event


def meetings_topic(viewer: Actor) -> str:
    return topics.ADMIN_MEETINGS if hears_every_meeting(viewer) else topics.user_meetings(viewer.user_id)


async def _group_stream(info: Info, viewer: Actor, only: UUID | None) -> AsyncGenerator[Meeting, None]:
    """The stream a group of subscriptions shares: the changes only (each member sends its own
    first frames), announced to the group before each is yielded."""
    group = info.context.frame_group
    assert group is not None
    async with info.context.runtime.broker.subscribe([meetings_topic(viewer)]) as events:
        group.started_listening()
        with _dropped_when_slow():
            async for view in _changed_meetings(info, viewer, InVersionOrder(events), only, {}):
                group.next_frame_is_about((view.id, view.version))
                yield view


async def _member_stream(
    info: Info, viewer: Actor, only: UUID | None, initial: bool, groups: StreamSharing
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
        await _signed_out(info)
    if error is not None:
        raise error


async def _own_stream(info: Info, viewer: Actor, only: UUID | None, initial: bool) -> AsyncGenerator[Meeting, None]:
    """Without a group (the legacy graphql-ws protocol): every frame through this subscription."""
    async with live(info, viewer, [meetings_topic(viewer)]) as events:
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
            for row in await meeting_queries.changed_since(viewer, since(event), only):
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


def since(event: Event) -> datetime:
    return datetime.fromisoformat(str(event.payload["since"]))


def meeting_changes(info: Info, viewer: Actor, only: UUID | None, initial: bool) -> AsyncGenerator[Meeting, None]:
    """What a meetingUpdated subscription sends: shared with the viewer's other subscriptions of
    the same document and variables when the socket can group them (app/web/frame_groups.py)."""
    groups = info.context.frame_groups
    if info.context.frame_group is not None:
        return _group_stream(info, viewer, only)
    if groups is not None and groups.can_serve(info):
        return _member_stream(info, viewer, only, initial, groups)
    return _own_stream(info, viewer, only, initial)
