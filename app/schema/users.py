import asyncio
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from app import models
from app.domain.ledger import Balances
from app.resolvers.context import Info

if TYPE_CHECKING:
    from app.schema.availability import Availability
    from app.schema.catalog import Service


@strawberry.type(description="An expert's timing policy, in minutes.")
class ExpertPolicy:
    client_cancellation_window_minutes: int
    short_notice_window_minutes: int
    join_window_minutes: int
    no_show_grace_minutes: int
    notes_window_minutes: int


@strawberry.type(description="A user who offers services. Its id is the user's id.")
class Expert:
    id: strawberry.ID
    name: str
    time_zone: str
    headline: str
    skills: list[str]
    policy: ExpertPolicy
    _profile: strawberry.Private[models.ExpertProfile]

    @strawberry.field
    async def average_rating(self, info: Info) -> float | None:
        average, _count = await info.context.loaders.rating.load(UUID(self.id))
        return round(average, 2) if average is not None else None

    @strawberry.field
    async def review_count(self, info: Info) -> int:
        _average, count = await info.context.loaders.rating.load(UUID(self.id))
        return count

    @strawberry.field
    async def availability(
        self, info: Info
    ) -> Annotated["Availability", strawberry.lazy("app.schema.availability")]:
        from app.schema.availability import Availability

        overrides = await info.context.loaders.date_overrides.load(UUID(self.id))
        return Availability.from_models(self._profile, self.time_zone, overrides)

    @strawberry.field
    async def services(
        self, info: Info
    ) -> list[Annotated["Service", strawberry.lazy("app.schema.catalog")]]:
        from app.schema.catalog import Service

        rows = await info.context.loaders.services_by_expert.load(UUID(self.id))
        return [Service.from_model(row) for row in rows]

    @classmethod
    def from_models(cls, user: models.User, profile: models.ExpertProfile) -> "Expert":
        return cls(
            id=strawberry.ID(str(user.id)),
            name=user.name,
            time_zone=user.time_zone,
            headline=profile.headline,
            skills=list(profile.skills),
            _profile=profile,
            policy=ExpertPolicy(
                client_cancellation_window_minutes=profile.client_cancellation_window_minutes,
                short_notice_window_minutes=profile.short_notice_window_minutes,
                join_window_minutes=profile.join_window_minutes,
                no_show_grace_minutes=profile.no_show_grace_minutes,
                notes_window_minutes=profile.notes_window_minutes,
            ),
        )


async def load_expert(info: Info, user_id: UUID) -> Expert | None:
    """The Expert view of a user, through the operation's loaders; None if not an expert."""
    loaders = info.context.loaders
    # Both in one tick, so the user joins the same batch as every other user load.
    user, profile = await asyncio.gather(
        loaders.user.load(user_id), loaders.expert_profile.load(user_id)
    )
    if profile is None:
        return None
    assert user is not None
    return Expert.from_models(user, profile)


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
        if viewer is None or str(viewer.user_id) != self.id or self._calendar_token is None:
            return None
        return f"{info.context.runtime.settings.resolved_public_url}/calendar/{self._calendar_token}.ics"

    @strawberry.field
    def email(self, info: Info) -> str | None:
        viewer = info.context.viewer
        if viewer is not None and (viewer.is_admin or str(viewer.user_id) == self.id):
            return self._email
        return None

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
