"""Accounts and balances."""

from uuid import UUID

import strawberry

from app import models
from app.domain.access import is_self_or_admin
from app.domain.ledger import Balances
from app.schema.context import Info
from app.schema.experts import Expert, load_expert
from app.services.calendar_feed import feed_url
from app.services.notifications import unread_count


@strawberry.type
class CreditBalance:
    available: int
    blocked: int
    pending_earnings: int

    @classmethod
    def from_domain(cls, balances: Balances) -> "CreditBalance":
        return cls(
            available=balances.available,
            blocked=balances.blocked,
            pending_earnings=balances.pending_earnings,
        )


@strawberry.type(
    description="An account. Its email is shown only to its owner and admins; "
    "`expert` is set when the user offers services; `calendarFeedUrl`, your private feed, "
    "only to yourself once made (rotateCalendarFeed)."
)
class User:
    id: strawberry.ID
    name: str
    time_zone: str
    is_admin: bool
    _email: strawberry.Private[str]
    _calendar_token: strawberry.Private[str | None]

    @strawberry.field
    def calendar_feed_url(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if viewer is None or viewer.user_id != UUID(self.id) or self._calendar_token is None:
            return None
        return feed_url(info.context.runtime, self._calendar_token)

    @strawberry.field
    def email(self, info: Info) -> str | None:
        return self._email if is_self_or_admin(info.context.viewer, UUID(self.id)) else None

    @strawberry.field
    async def unread_notification_count(self, info: Info) -> int | None:
        """Yours only (null for anyone else's account)."""
        viewer = info.context.viewer
        if viewer is None or viewer.user_id != UUID(self.id):
            return None
        return await unread_count(viewer)

    @strawberry.field
    async def expert(self, info: Info) -> Expert | None:
        return await load_expert(info, UUID(self.id))

    @classmethod
    def from_model(cls, row: models.User) -> "User":
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            time_zone=row.time_zone,
            is_admin=row.is_admin,
            _email=row.email,
            _calendar_token=row.calendar_token,
        )
