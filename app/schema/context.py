"""The typed GraphQL context, shared by the type modules' field resolvers and app/resolvers."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from starlette.websockets import WebSocket

from app.domain.people import Actor
from app.schema.loaders import Loaders, current_loaders
from app.services.runtime import Runtime

if TYPE_CHECKING:
    from app.schema.frame_groups import FrameGroup, FrameGroups


@dataclass
class Context:
    runtime: Runtime
    viewer: Actor | None = None
    token_expires_at: datetime | None = None
    socket: WebSocket | None = None
    """The connection of an operation over a WebSocket (closed when its token expires)."""
    connection_params: dict[str, Any] | None = field(default=None)
    frame_groups: "FrameGroups | None" = None
    """Where a socket's subscriptions find others that send the same frames."""
    frame_group: "FrameGroup | None" = None
    """Set on the stream a group of subscriptions shares (no socket, no token of its own)."""

    @property
    def loaders(self) -> Loaders:
        return current_loaders()


Info = strawberry.Info[Context, None]
