"""Subscriptions that would send the same frames share one stream: one execution, one encoding.

graphql-core runs a subscription's selection once per subscriber and event, and
each frame then passes through Strawberry's per-operation machinery: a thousand
sockets on one meeting cost a thousand times the same work per event. Here the
subscriptions of one viewer with the same document and variables form a group.
The group runs the subscription once, as a stream of its own (the viewer's
context, no socket), and writes each result's one encoding into every member's
socket under the member's own operation id.

A member joins before it reads its first frames and is written nothing until it
has sent them: meanwhile the group's frames wait in its queue, and those for a
version it has already sent are skipped. Each member writes its own socket from
its own queue, so a slow socket delays and ends only its own subscription.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing, asynccontextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from graphql import GraphQLError
from starlette.websockets import WebSocket, WebSocketDisconnect
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.schema.base import BaseSchema
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage as TransportConnectionInit,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionErrorMessage
from strawberry.subscriptions.protocols.graphql_ws.types import ConnectionInitMessage as LegacyConnectionInit
from strawberry.types import ExecutionResult

from app.domain.people import Actor
from app.events.broker import SLOW_CONSUMER_MESSAGE
from app.outages import MESSAGE as OUTAGE_MESSAGE
from app.outages import SERVICE_UNAVAILABLE, outage_cause
from app.schema.context import Context, Info
from app.services.runtime import Runtime

FrameKey = tuple[str, int]
"""What a frame is about and which version of it: a member is never sent one version twice."""
QUEUED_FRAMES = 256
"""Frames waiting for one member's socket (or while it sends its first ones); beyond, that
member is too slow a consumer and ends alone."""

_compact = partial(json.dumps, separators=(",", ":"))
_operation: ContextVar[Operation[Context, None] | None] = ContextVar("operation", default=None)


class GraphQLTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler, telling each operation's resolvers which
    operation they serve (its id, document and variables make a group). On the legacy graphql-ws
    protocol there are no groups: one stream per subscription, as Strawberry runs it."""

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        _operation.set(operation)
        await super().run_operation(operation)

    async def handle_task_exception(self, error: Exception) -> None:
        """A client that left while its frame was being sent is not a fault to log."""
        if not isinstance(error, WebSocketDisconnected):
            await super().handle_task_exception(error)

    async def handle_connection_init(self, message: TransportConnectionInit) -> None:
        """A sign-in the database cannot answer closes 1013 (try again later), not 1011."""
        try:
            await super().handle_connection_init(message)
        except Exception as exc:
            if (cause := outage_cause(exc)) is None:
                raise
            self.context.runtime.outages.out_of_reach(cause)
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=OUTAGE_CLOSE_REASON)


class GraphQLWS(BaseGraphQLWSHandler[Context, None]):
    """Strawberry's legacy graphql-ws handler; a sign-in the database cannot answer is a
    coded `connection_error`, then a 1013 close."""

    async def handle_connection_init(self, message: LegacyConnectionInit) -> None:
        try:
            await super().handle_connection_init(message)
        except Exception as exc:
            if (cause := outage_cause(exc)) is None:
                raise
            self.context.runtime.outages.out_of_reach(cause)
            error: dict[str, object] = {"message": OUTAGE_MESSAGE, "extensions": {"code": SERVICE_UNAVAILABLE}}
            await self.send_message(ConnectionErrorMessage(type="connection_error", payload=error))
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=OUTAGE_CLOSE_REASON)


TRY_AGAIN_LATER = 1013
"""The WebSocket close code for a server that cannot serve for now (RFC 6455's registry)."""
OUTAGE_CLOSE_REASON = "the database is out of reach; reconnect in a few seconds"


@dataclass(eq=False)
class Member:
    """One subscription of a group. The group puts each frame in the member's own queue and
    moves on; the member's task writes them to its socket in order. A member whose socket
    cannot keep up ends alone (SLOW_CONSUMER) once QUEUED_FRAMES wait, and the group and its
    other members never wait for it."""

    socket: WebSocket
    operation_id: str
    signed_out: Callable[[], bool]
    sent: dict[str, int] = field(default_factory=dict)
    """The latest version of each thing this member has been sent."""
    queue: "asyncio.Queue[tuple[FrameKey | None, str] | None]" = field(default_factory=asyncio.Queue)
    """Frames not yet written; None wakes the writer once the member has ended."""
    ended: "asyncio.Future[GraphQLError | None]" = field(default_factory=asyncio.Future)
    token_expired: bool = False

    def __post_init__(self) -> None:
        self._prefix = f'{{"id":{_compact(self.operation_id)},"type":"next","payload":'
        self._gone = False
        self._writing: asyncio.Timeout | None = None

    def note_sent(self, key: FrameKey) -> None:
        self.sent[key[0]] = max(key[1], self.sent.get(key[0], 0))

    def write(self, key: FrameKey | None, payload: str) -> None:
        if self.ended.done():
            return
        if self.queue.qsize() >= QUEUED_FRAMES:
            self.end(GraphQLError(SLOW_CONSUMER_MESSAGE, extensions={"code": "SLOW_CONSUMER"}))
            return
        self.queue.put_nowait((key, payload))

    async def serve(self, check_every_seconds: float) -> GraphQLError | None:
        """Writes the queued frames (those that came while the member sent its first ones, then
        the rest) until the member ends: None when the group's stream finished (all its frames
        written) or the socket is gone (see `token_expired`), else why it was dropped."""
        while True:
            frame: tuple[FrameKey | None, str] | object | None = _NOTHING_YET
            with suppress(TimeoutError):
                async with asyncio.timeout(check_every_seconds):
                    frame = await self.queue.get()
            if self._dropped():
                break
            if self.signed_out():
                self.token_expired = True
                self.end(None)
                break
            if frame is None:  # the group's stream finished, and every frame before it is written
                break
            if isinstance(frame, tuple):
                with suppress(TimeoutError):  # `end` interrupts a write that waits on a slow socket
                    async with asyncio.timeout(None) as self._writing:
                        await self._send(*frame)
                self._writing = None
        return self.ended.result()

    def _dropped(self) -> bool:
        return self.ended.done() and (self.ended.result() is not None or self._gone)

    async def _send(self, key: FrameKey | None, payload: str) -> None:
        if key is not None:
            if self.sent.get(key[0], 0) >= key[1]:
                return
            self.note_sent(key)
        try:
            await self.socket.send_text(self._prefix + payload + "}")
        except (WebSocketDisconnect, RuntimeError, OSError):
            self._gone = True
            self.end(None)  # the connection is gone; its handler cancels the operation

    def end(self, error: GraphQLError | None) -> None:
        if not self.ended.done():
            self.ended.set_result(error)
            self.queue.put_nowait(None)
            if error is not None and self._writing is not None:
                self._writing.reschedule(asyncio.get_running_loop().time())


_NOTHING_YET = object()

GroupKey = tuple[Actor, str, str | None, str]


class FrameGroup:
    def __init__(self, key: GroupKey) -> None:
        self.key = key
        self.members: set[Member] = set()
        self.listening: asyncio.Future[GraphQLError | None] = asyncio.Future()
        """Done once the stream hears events (None), or could not start (its error)."""
        self.about: FrameKey | None = None
        self.task: asyncio.Task[None] | None = None

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
        try:
            async with aclosing(stream):  # type: ignore[type-var]
                async for result in stream:
                    if not isinstance(result, ExecutionResult):
                        continue
                    if result.data is None and result.errors:
                        error = result.errors[0]
                        break
                    payload = _compact(_next_payload(result))
                    for member in list(self.members):
                        member.write(self.about, payload)
                    await asyncio.sleep(0)  # the members' writers take their turn before the next frame
        finally:
            if not self.listening.done():
                self.listening.set_result(error or GraphQLError("the subscription could not start"))
            for member in list(self.members):
                member.end(error)


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
        return info.context.socket is not None and _operation.get() is not None

    @asynccontextmanager
    async def join(self, info: Info, viewer: Actor, signed_out: Callable[[], bool]) -> AsyncIterator[Member]:
        """Membership of the group for this operation and viewer, once the group hears events;
        `signed_out` says when the member's token has expired."""
        socket, operation = info.context.socket, _operation.get()
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
        member = Member(socket, operation.id, signed_out)
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
