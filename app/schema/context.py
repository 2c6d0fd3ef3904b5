"""The typed GraphQL context, shared by the type modules' field resolvers and app/resolvers.

What a socket's subscriptions share (app/web/frame_groups.py) is seen here only as the
protocols a subscription stream needs of it, so no schema or resolver module imports
the transport.
"""

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import strawberry
from graphql import GraphQLError
from starlette.websockets import WebSocket

from app.domain.people import Actor
from app.schema.loaders import Loaders, current_loaders
from app.services.response_cache import AnswerHints
from app.services.runtime import Runtime

FrameKey = tuple[str, int]
"""What a frame is about and which version of it: a member is never sent one version twice."""


class SharedStream(Protocol):
    """The one stream a group of subscriptions shares, as its resolver reports to it."""

    def started_listening(self) -> None:
        """It hears events now: members may read their first frames."""

    def next_frame_is_about(self, key: FrameKey) -> None:
        """Called before each frame is yielded."""


class GroupMember(Protocol):
    """One subscription of a group: it sends its own first frames, then the group's."""

    token_expired: bool

    def note_sent(self, key: FrameKey) -> None: ...

    async def serve(self, check_every_seconds: float) -> GraphQLError | None: ...


class StreamSharing(Protocol):
    """Where a socket's subscriptions find others that send the same frames."""

    def can_serve(self, info: "Info") -> bool: ...

    def join(
        self, info: "Info", viewer: Actor, signed_out: Callable[[], bool]
    ) -> AbstractAsyncContextManager[GroupMember]: ...


@dataclass
class Context:
    runtime: Runtime
    viewer: Actor | None = None
    token_expires_at: datetime | None = None
    socket: WebSocket | None = None
    """The connection of an operation over a WebSocket (closed when its token expires)."""
    connection_params: dict[str, Any] | None = field(default=None)
    frame_groups: StreamSharing | None = None
    """Where a socket's subscriptions find others that send the same frames."""
    frame_group: SharedStream | None = None
    """Set on the stream a group of subscriptions shares (no socket, no token of its own)."""
    answer_hints: AnswerHints = field(default_factory=AnswerHints)
    """What the answer read, for the response cache (app/web/cached_answers.py)."""

    @property
    def loaders(self) -> Loaders:
        return current_loaders()


Info = strawberry.Info[Context, None]
