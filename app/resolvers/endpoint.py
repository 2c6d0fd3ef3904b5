"""The GraphQL endpoint: who is asking, over HTTP and over WebSocket."""

import json
from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from graphql import GraphQLError, OperationType, get_operation_ast, parse
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UnsetType

from app.http_shape import MAX_JSON_DEPTH, json_depth
from app.schema.context import Context
from app.services import users
from app.services.runtime import Runtime
from app.services.tokens import InvalidToken, bearer_token, read_token


def _is_subscription(query: str, operation_name: str | None) -> bool:
    try:
        document = parse(query)
    except GraphQLError:
        return False  # the GraphQL layer answers the syntax error
    operation = get_operation_ast(document, operation_name)
    return operation is not None and operation.operation is OperationType.SUBSCRIPTION


def _well_formed_frame(message: dict[str, object]) -> bool:
    """A protocol frame (it has a `type`) has a text type, a text id and an object payload."""
    if "type" not in message:
        return True  # an HTTP request body: the GraphQL layer checks it
    return (
        isinstance(message["type"], str)
        and isinstance(message.get("id", ""), str)
        and isinstance(message.get("payload") or {}, dict)
    )


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Over HTTP, a request refused before it ran (bad method, bad token, a subscription)
        is a JSON error with a code, not a text/plain line."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            code = "UNAUTHENTICATED" if exc.status_code == 401 else "BAD_REQUEST"
            response = JSONResponse(
                {"errors": [{"message": exc.reason, "extensions": {"code": code}}]}, status_code=exc.status_code
            )
        await response(scope, receive, send)

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        """A subscription over HTTP is a 400 saying where subscriptions live."""
        request_data = kwargs.get("request_data")
        query = getattr(request_data, "query", None)
        if isinstance(query, str) and _is_subscription(query, getattr(request_data, "operation_name", None)):
            raise HTTPException(400, "subscriptions run over a WebSocket at /graphql (graphql-transport-ws)")
        return await super().execute_single(*args, **kwargs)

    def decode_json(self, data: str | bytes) -> object:
        """Refuses what is not a well-formed message before the protocol handler reads it:
        on a socket that is a 4400 close ("must be valid JSON") rather than a crash (1006)."""
        raw = data.encode() if isinstance(data, str) else data
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise json.JSONDecodeError("nested too deeply", str(data)[:100], 0)
        message = json.loads(data)
        if not isinstance(message, dict) or not _well_formed_frame(message):
            raise json.JSONDecodeError("not a message object", str(data)[:100], 0)
        return message

    async def _sign_in(self, context: Context, token: str) -> None:
        claims = read_token(self.runtime.settings.resolved_jwt_secret, token, self.runtime.clock.now())
        actor = await users.actor_for(claims.user_id)
        if actor is None:
            raise InvalidToken("the token's user no longer exists")
        context.viewer = actor
        context.token_expires_at = claims.expires_at

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        context = Context(runtime=self.runtime)
        if isinstance(request, WebSocket):
            context.socket = request
            return context  # authenticated in on_ws_connect, from connection_init
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is not None:
                await self._sign_in(context, token)
        except InvalidToken as exc:
            raise HTTPException(401, str(exc)) from exc
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        header = params.get("authorization") or params.get("Authorization")
        try:
            token = bearer_token(header if isinstance(header, str) else None)
            if token is None:
                raise InvalidToken("connection_init needs {\"authorization\": \"Bearer <token>\"}")
            await self._sign_in(context, token)
        except InvalidToken as exc:
            raise ConnectionRejectionError({"message": str(exc)}) from exc
        return await super().on_ws_connect(context)
