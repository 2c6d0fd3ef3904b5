"""The GraphQL endpoint: who is asking, over HTTP and over WebSocket."""

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types.unset import UnsetType

from app.schema.context import Context
from app.services import users
from app.services.runtime import Runtime
from app.services.tokens import InvalidToken, bearer_token, read_token


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.runtime = runtime

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
