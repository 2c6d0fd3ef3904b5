"""Subscriptions that would send the same frames share one stream: one execution, one encoding.

graphql-core runs a subscription's selection once per subscriber and event, and
each frame then passes through Strawberry's per-operation machinery: a thousand
sockets on one meeting cost a thousand times the same work per event. Here the
subscriptions of one viewer with the same document and variables form a group.
The group runs the subscription once, as a stream of its own (the viewer's
context, no socket), and writes each result's one encoding into every member's
socket under the member's own operation id.

A member joins before it reads its first frames and is written nothing until it
has sent them: meanwhile the group's frames are held, and those for a version it
has already sent are skipped. A member whose socket stops taking frames is
dropped alone (SLOW_CONSUMER) after WRITE_PATIENCE_SECONDS; the others go on.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing, asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.schema.base import BaseSchema
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    Operation,
)
from strawberry.types import ExecutionResult

from app.domain.people import Actor
from app.events.broker import SLOW_CONSUMER_MESSAGE
from app.schema.context import Context, FrameKey, Info
from app.services.runtime import Runtime

HELD_FRAMES = 256
"""Frames held for a member still sending its first ones; beyond, it is too slow a consumer."""

WRITES_PER_TURN = 16
"""Sockets written per turn of the event loop: a frame for a thousand members does not hold up
the request that caused it (nor any other) for the whole fan-out."""

WRITE_PATIENCE_SECONDS = 1.0
"""How long the group waits for one member's socket to take a frame. A client that stopped
reading fills its socket's buffer and then a write waits for ever: that member is dropped
(SLOW_CONSUMER) and the group goes on to the others."""

_compact = partial(json.dumps, separators=(",", ":"))
serving: ContextVar[Operation[Context, None] | None] = ContextVar("serving", default=None)
"""The graphql-transport-ws operation this task serves (set by app/web/protocols.py)."""


@dataclass(eq=False)
class Member:
    socket: WebSocket
    operation_id: str
    signed_out: Callable[[], bool]
    on_frame: Callable[[], None] = lambda: None
    """Counts a frame written (the metrics' subscription_frames_sent)."""
    sent: dict[str, int] = field(default_factory=dict)
    """The latest version of each thing this member has been sent."""
    held: list[tuple[FrameKey | None, str]] = field(default_factory=list)
    ready: bool = False
    ended: "asyncio.Future[GraphQLError | None]" = field(default_factory=asyncio.Future)
    token_expired: bool = False

    def __post_init__(self) -> None:
        self._prefix = f'{{"id":{_compact(self.operation_id)},"type":"next","payload":'

    def note_sent(self, key: FrameKey) -> None:
        self.sent[key[0]] = max(key[1], self.sent.get(key[0], 0))

    async def write(self, key: FrameKey | None, payload: str) -> None:
        if self.ended.done():
            return
        if not self.ready:
            self.held.append((key, payload))
            if len(self.held) > HELD_FRAMES:
                self.end(GraphQLError(SLOW_CONSUMER_MESSAGE, extensions={"code": "SLOW_CONSUMER"}))
            return
        await self._send(key, payload)

    async def serve(self, check_every_seconds: float) -> GraphQLError | None:
        """Sends what was held, then the group's frames until the member ends: None when the
        group's stream finished or the socket is gone (see `token_expired`), else the group's error."""
        while self.held:  # frames that arrive meanwhile are held too, so order is kept
            await self._send(*self.held.pop(0))
        self.ready = True
        while not self.ended.done():
            await asyncio.wait([self.ended], timeout=check_every_seconds)
            if not self.ended.done() and self.signed_out():
                self.token_expired = True
                self.end(None)
        return self.ended.result()

    async def _send(self, key: FrameKey | None, payload: str) -> None:
        if key is not None:
            if self.sent.get(key[0], 0) >= key[1]:
                return
            self.note_sent(key)
        if self.signed_out():
            self.token_expired = True
            self.end(None)
            return
        try:
            await self.socket.send_text(self._prefix + payload + "}")
            self.on_frame()
        except (WebSocketDisconnect, RuntimeError, OSError):
            self.end(None)  # the connection is gone; its handler cancels the operation

    def end(self, error: GraphQLError | None) -> None:
        if not self.ended.done():
            self.ended.set_result(error)


GroupKey = tuple[Actor, str, str | None, str]


class FrameGroup:
    def __init__(self, key: GroupKey) -> None:
        self.key = key
        self.members: set[Member] = set()
        self.listening: asyncio.Future[GraphQLError | None] = asyncio.Future()
        """Done once the stream hears events (None), or could not start (its error)."""
        self.about: FrameKey | None = None
        self.task: asyncio.Task[None] | None = None
        self._fanning: asyncio.Timeout | None = None
        self._writing: tuple[Member, float] | None = None
        """The member being written to, since when."""
        self._stuck: Member | None = None

    def started_listening(self) -> None:
        """Called by the group's stream once it hears events: members may read their first frames."""
        if not self.listening.done():
            self.listening.set_result(None)

    def next_frame_is_about(self, key: FrameKey) -> None:
        """Called by the group's stream before it yields."""
        self.about = key

    async def run(self, stream: AsyncIterator[Any]) -> None:
        """Writes each result to every member; an error without data ends them all with it."""
        error: GraphQLError | None = None
        watchdog = asyncio.create_task(self._watch_writes())
        try:
            async with aclosing(stream):  # type: ignore[type-var]
                async for result in stream:
                    if not isinstance(result, ExecutionResult):
                        continue
                    if result.data is None and result.errors:
                        error = result.errors[0]
                        break
                    await self._fan_out(_compact(_next_payload(result)))
        finally:
            watchdog.cancel()
            if not self.listening.done():
                self.listening.set_result(error or GraphQLError("the subscription could not start"))
            for member in list(self.members):
                member.end(error)

    async def _fan_out(self, payload: str) -> None:
        """One frame to every member, in turn. A write the watchdog finds stuck is interrupted:
        that member ends alone and the others still get the frame (one timer per frame, none
        per member)."""
        members = list(self.members)
        loop = asyncio.get_running_loop()
        next_index = 0
        while next_index < len(members):
            try:
                async with asyncio.timeout(None) as self._fanning:
                    for index in range(next_index, len(members)):
                        next_index = index + 1
                        self._writing = (members[index], loop.time())
                        await members[index].write(self.about, payload)
                        if next_index % WRITES_PER_TURN == 0:
                            self._writing = None
                            await asyncio.sleep(0)  # requests in flight get their turn meanwhile
            except TimeoutError:
                if self._stuck is not None:
                    self._stuck.end(GraphQLError(SLOW_CONSUMER_MESSAGE, extensions={"code": "SLOW_CONSUMER"}))
            finally:
                self._fanning, self._writing, self._stuck = None, None, None

    async def _watch_writes(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(WRITE_PATIENCE_SECONDS / 4)
            writing, fanning = self._writing, self._fanning
            if writing is not None and fanning is not None and loop.time() - writing[1] > WRITE_PATIENCE_SECONDS:
                self._stuck = writing[0]
                fanning.reschedule(loop.time())


def _next_payload(result: ExecutionResult) -> dict[str, object]:
    """As Strawberry's own `next` message carries a result."""
    payload: dict[str, object] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    return payload


class FrameGroups:
    """The groups of one schema's subscriptions in this process."""

    def __init__(self, schema: BaseSchema) -> None:
        self._schema = schema
        self._groups: dict[GroupKey, FrameGroup] = {}

    def can_serve(self, info: Info) -> bool:
        """Only operations of a graphql-transport-ws socket can be members."""
        return info.context.socket is not None and serving.get() is not None

    @asynccontextmanager
    async def join(self, info: Info, viewer: Actor, signed_out: Callable[[], bool]) -> AsyncIterator[Member]:
        """Membership of the group for this operation and viewer, once the group hears events;
        `signed_out` says when the member's token has expired."""
        socket, operation = info.context.socket, serving.get()
        assert socket is not None and operation is not None, "check can_serve first"
        key: GroupKey = (
            viewer,
            operation.query,
            operation.operation_name,
            _compact(operation.variables or {}, sort_keys=True),
        )
        group = self._groups.get(key)
        if group is None or (group.task is not None and group.task.done()):
            group = self._groups[key] = self._start(key, info.context.runtime, viewer, operation.variables)
        member = Member(socket, operation.id, signed_out, info.context.runtime.metrics.frames.inc)
        group.members.add(member)
        try:
            error = await asyncio.shield(group.listening)
            if error is not None:
                raise error
            yield member
        finally:
            group.members.discard(member)
            if not group.members and self._groups.get(key) is group:
                del self._groups[key]
                if group.task is not None:
                    group.task.cancel()

    def _start(self, key: GroupKey, runtime: Runtime, viewer: Actor, variables: dict[str, object] | None) -> FrameGroup:
        group = FrameGroup(key)
        context = Context(runtime=runtime, viewer=viewer, frame_group=group)
        _, document, operation_name, _ = key

        async def run() -> None:
            stream = await self._schema.stream(
                document, variable_values=variables, context_value=context, operation_name=operation_name
            )
            await group.run(stream)

        group.task = asyncio.create_task(run())
        return group
