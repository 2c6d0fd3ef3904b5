"""Strawberry's WebSocket protocol handlers, as this server runs them: each
graphql-transport-ws operation says which operation its task serves (frame groups
key on it), a client that left mid-frame is no fault, and a sign-in the database
cannot answer closes 1013 (try again later) instead of 1011. A refused sign-in closes with
the refusal's code and reason (`InvalidToken.close_code`), where Strawberry closes every one
4403 "Forbidden"."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.async_base_view import AsyncWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
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
from strawberry.types.unset import UnsetType

from app.outages import MESSAGE as OUTAGE_MESSAGE
from app.outages import SERVICE_UNAVAILABLE, outage_cause
from app.schema.context import Context
from app.services.tokens import InvalidToken
from app.web.frame_groups import serving


class SignInRefused(ConnectionRejectionError):
    """A connection_init whose token was refused, with the close it earns."""

    def __init__(self, refusal: InvalidToken) -> None:
        super().__init__({"message": str(refusal)})
        self.code = refusal.close_code
        self.reason = refusal.close_reason


class GraphQLTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's graphql-transport-ws handler, telling each operation's resolvers which
    operation they serve (its id, document and variables make a group). On the legacy graphql-ws
    protocol there are no groups: one stream per subscription, as Strawberry runs it."""

    async def handle(self) -> None:
        async with _counted(self.context):
            await super().handle()

    async def send_message(self, message: Any) -> None:
        await super().send_message(message)
        if message.get("type") == "next":
            self.context.runtime.metrics.frames.inc()

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        serving.set(operation)
        await super().run_operation(operation)

    async def handle_task_exception(self, error: Exception) -> None:
        """A client that left while its frame was being sent is not a fault to log."""
        if not isinstance(error, WebSocketDisconnected):
            await super().handle_task_exception(error)

    async def handle_connection_init(self, message: TransportConnectionInit) -> None:
        """A sign-in the database cannot answer closes 1013 (try again later), not 1011."""
        await _sign_in(self.context, self.websocket, self._connection_init(message))

    async def _connection_init(self, message: TransportConnectionInit) -> None:
        """Strawberry's connection_init, except that a refused token closes with its own code
        and reason (see the table above)."""
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        payload = message.get("payload", {})
        if not isinstance(payload, dict):
            await self.websocket.close(code=4400, reason="Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.websocket.close(code=4429, reason="Too many initialisation requests")
            return
        self.connection_init_received = True
        self.context.connection_params = payload
        try:
            ack = await self.view.on_ws_connect(self.context)
        except SignInRefused as refused:
            await self.websocket.close(code=refused.code, reason=refused.reason)
            return
        await self.send_message(
            {"type": "connection_ack"}
            if ack is None or isinstance(ack, UnsetType)
            else {"type": "connection_ack", "payload": ack}
        )
        self.connection_acknowledged = True


class GraphQLWS(BaseGraphQLWSHandler[Context, None]):
    """Strawberry's legacy graphql-ws handler; a sign-in the database cannot answer is a
    coded `connection_error`, then a 1013 close."""

    async def handle(self) -> None:
        async with _counted(self.context):
            await super().handle()

    async def send_message(self, message: Any) -> None:
        await super().send_message(message)
        if message.get("type") == "data":
            self.context.runtime.metrics.frames.inc()

    async def handle_connection_init(self, message: LegacyConnectionInit) -> None:
        error: dict[str, object] = {"message": OUTAGE_MESSAGE, "extensions": {"code": SERVICE_UNAVAILABLE}}
        await _sign_in(
            self.context,
            self.websocket,
            super().handle_connection_init(message),
            lambda: self.send_message(ConnectionErrorMessage(type="connection_error", payload=error)),
        )


@asynccontextmanager
async def _counted(context: Context) -> AsyncIterator[None]:
    """An open socket in the metrics' websocket_connections while its handler runs."""
    sockets = context.runtime.metrics.sockets
    sockets.inc()
    try:
        yield
    finally:
        sockets.dec()


async def _sign_in(
    context: Context,
    socket: AsyncWebSocketAdapter,
    sign_in: Awaitable[None],
    tell: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Runs a protocol's sign-in; when the database cannot answer it, notes the outage,
    tells the client (`tell`, where the protocol has a message for it) and closes 1013."""
    try:
        await sign_in
    except Exception as exc:
        if (cause := outage_cause(exc)) is None:
            raise
        context.runtime.outages.out_of_reach(cause)
        if tell is not None:
            await tell()
        await socket.close(code=TRY_AGAIN_LATER, reason=OUTAGE_CLOSE_REASON)


TRY_AGAIN_LATER = 1013
"""The WebSocket close code for a server that cannot serve for now (RFC 6455's registry)."""
OUTAGE_CLOSE_REASON = "the database is out of reach; reconnect in a few seconds"
