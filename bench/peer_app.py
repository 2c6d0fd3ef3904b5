"""A typical Strawberry + Tortoise server for the dashboard list: the yardstick our own is
measured against (bench/list_vs_raw.py), built as the two libraries' docs teach.

It serves `meetings(first)` of the signed-in user with client, expert, service, canJoin and
joinOpensAt, over the very database the bench's server seeded (PEER_DATABASE_URL): a JWT read
with PyJWT and the user looked up on every request (the context getter), async field resolvers,
a DataLoader per relation made per request, Strawberry's parser and validation caches, the
ORM's models (app.models, only to read the same tables). Nothing of ours is imported besides the
models: no leaf fast path, no batching of a page's relations, no gc tuning.

    PEER_DATABASE_URL=sqlite://… PEER_JWT_SECRET=… uvicorn bench.peer_app:app
"""

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
import strawberry
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.dataloader import DataLoader
from strawberry.extensions import ParserCache, ValidationCache
from tortoise import Tortoise
from tortoise.contrib.starlette import RegisterTortoise

from app import models
from app.db import tortoise_config

DATABASE_URL = os.environ.get("PEER_DATABASE_URL", "sqlite://:memory:")
JWT_SECRET = os.environ.get("PEER_JWT_SECRET", "")


async def load_users(ids: Sequence[UUID]) -> list[models.User | None]:
    found = {user.id: user for user in await models.User.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


async def load_profiles(ids: Sequence[UUID]) -> list[models.ExpertProfile | None]:
    found = {profile.user_id: profile for profile in await models.ExpertProfile.filter(user_id__in=list(ids))}
    return [found.get(i) for i in ids]


async def load_services(ids: Sequence[UUID]) -> list[models.Service | None]:
    found = {service.id: service for service in await models.Service.filter(id__in=list(ids))}
    return [found.get(i) for i in ids]


class Context(dict[str, Any]):
    pass


@strawberry.type
class Person:
    id: strawberry.ID
    name: str


@strawberry.type
class ExpertPerson:
    id: strawberry.ID
    name: str
    headline: str


@strawberry.type
class ServiceItem:
    id: strawberry.ID
    title: str


@strawberry.type
class Meeting:
    row: strawberry.Private[models.Meeting]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def status(self) -> str:
        return str(self.row.status.value)

    @strawberry.field
    def starts_at(self) -> datetime | None:
        return self.row.starts_at

    @strawberry.field
    def ends_at(self) -> datetime | None:
        return self.row.ends_at

    @strawberry.field
    def mode(self) -> str:
        return str(self.row.mode.value)

    @strawberry.field
    def price_credits(self) -> int:
        return self.row.price_credits

    @strawberry.field
    def credit_status(self) -> str:
        return str(self.row.credit_status.value)

    async def _opens(self, info: strawberry.Info[Context, None]) -> datetime | None:
        profile = await info.context["profiles"].load(self.row.expert_id)
        if self.row.starts_at is None or profile is None:
            return None
        return self.row.starts_at - timedelta(minutes=profile.join_window_minutes)

    @strawberry.field
    async def join_opens_at(self, info: strawberry.Info[Context, None]) -> datetime | None:
        return await self._opens(info)

    @strawberry.field
    async def can_join(self, info: strawberry.Info[Context, None]) -> bool:
        opens = await self._opens(info)
        now = datetime.now(UTC)
        return bool(
            self.row.status.value == "AGREED"
            and opens is not None
            and self.row.ends_at
            and opens <= now < self.row.ends_at
        )

    @strawberry.field
    async def client(self, info: strawberry.Info[Context, None]) -> Person:
        user = await info.context["users"].load(self.row.client_id)
        return Person(id=strawberry.ID(str(user.id)), name=user.name)

    @strawberry.field
    async def expert(self, info: strawberry.Info[Context, None]) -> ExpertPerson:
        user = await info.context["users"].load(self.row.expert_id)
        profile = await info.context["profiles"].load(self.row.expert_id)
        return ExpertPerson(id=strawberry.ID(str(user.id)), name=user.name, headline=profile.headline)

    @strawberry.field
    async def service(self, info: strawberry.Info[Context, None]) -> ServiceItem:
        service = await info.context["services"].load(self.row.service_id)
        return ServiceItem(id=strawberry.ID(str(service.id)), title=service.title)


@strawberry.type
class MeetingEdge:
    cursor: str
    node: Meeting


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class MeetingConnection:
    edges: list[MeetingEdge]
    page_info: PageInfo


@strawberry.type
class Query:
    @strawberry.field
    async def meetings(self, info: strawberry.Info[Context, None], first: int = 20) -> MeetingConnection:
        viewer: models.User = info.context["viewer"]
        rows = (
            await models.Meeting.filter(client_id=viewer.id).order_by("starts_at", "id").limit(first + 1)
            if viewer
            else []
        )
        edges = [MeetingEdge(cursor=f"{row.starts_at}|{row.id}", node=Meeting(row=row)) for row in rows[:first]]
        return MeetingConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None),
        )


schema = strawberry.Schema(
    query=Query, extensions=[lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)]
)


class PeerGraphQL(GraphQL[Context, None]):
    async def get_context(self, request: Request | Any, response: Response | Any) -> Context:
        header = request.headers.get("authorization", "")
        claims = jwt.decode(header.removeprefix("Bearer "), JWT_SECRET, algorithms=["HS256"])
        viewer = await models.User.get_or_none(id=claims["sub"])
        return Context(
            viewer=viewer,
            users=DataLoader(load_fn=load_users),
            profiles=DataLoader(load_fn=load_profiles),
            services=DataLoader(load_fn=load_services),
        )


async def healthz(request: Request) -> Response:
    return Response("ok")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    async with RegisterTortoise(app, config=tortoise_config(DATABASE_URL)):
        yield
    await Tortoise.close_connections()


class QuietDisconnects:
    """wrk drops its connections mid-request when a round ends: not an error worth a traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        with suppress(ClientDisconnect):
            await self.app(scope, receive, send)


app = QuietDisconnects(
    Starlette(
        routes=[Route("/graphql", PeerGraphQL(schema, graphql_ide=None)), Route("/healthz", healthz)],
        lifespan=lifespan,
    )
)
