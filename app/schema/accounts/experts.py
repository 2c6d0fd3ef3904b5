"""Experts and the services they offer (public reads)."""

import asyncio
from uuid import UUID

import strawberry

from app import models
from app.domain.access import is_self
from app.domain.billing import PerMinute
from app.domain.directory import ExpertMeasures, recommendation_score
from app.domain.rescheduling import ClientProgramme
from app.schema.availability.types import Availability
from app.schema.context import Info
from app.schema.enums import MeetingMode
from app.schema.fields import described
from app.services.catalog import per_minute_of
from app.services.response_cache import expert_tag


@strawberry.type(description="One duration a service offers, and its price.")
class Offering:
    duration_minutes: int = strawberry.field(description="Length in minutes.")
    price_credits: int = strawberry.field(description="Price in credits for that length (0: free).")


@strawberry.type(description="How a per-minute service bills (README: Money).")
class PerMinutePricing:
    rate_credits: int = strawberry.field(description="Credits per started minute of billable time.")
    minimum_minutes: int = strawberry.field(description="Charged at least this once billable time starts.")
    cap_minutes: int | None = strawberry.field(
        description="Charged at most this (booking blocks rate x cap, within the booked duration); null: the "
        "booked duration."
    )

    @classmethod
    def from_domain(cls, terms: PerMinute) -> "PerMinutePricing":
        return cls(
            rate_credits=terms.rate_credits, minimum_minutes=terms.minimum_minutes, cap_minutes=terms.cap_minutes
        )


@strawberry.type(description="Something an expert offers: durations with prices, and the modes it takes place in.")
class Service:
    id: strawberry.ID = strawberry.field(description="The service's id (book it with bookMeeting).")
    title: str = strawberry.field(description="Its name.")
    description: str = strawberry.field(description="What it is about.")
    offerings: list[Offering] = strawberry.field(description="The durations that can be booked, each with its price.")
    modes: list[MeetingMode] = strawberry.field(description="The modes it can take place in.")
    location: str | None = strawberry.field(description="Where IN_PERSON sessions take place, when offered.")
    per_minute: PerMinutePricing | None = strawberry.field(
        description="Billed per minute of billable time the expert starts, not at the offerings' prices (which "
        "then only say which durations may be booked); null: fixed prices."
    )
    _expert_id: strawberry.Private[UUID]

    @described("The expert who offers it.")
    async def expert(self, info: Info) -> "Expert":
        expert = await load_expert(info, self._expert_id)
        assert expert is not None
        return expert

    @classmethod
    def from_model(cls, row: models.Service) -> "Service":
        return cls(
            id=strawberry.ID(str(row.id)),
            title=row.title,
            description=row.description,
            offerings=[
                Offering(duration_minutes=o["duration_minutes"], price_credits=o["price_credits"])
                for o in row.offerings
            ],
            modes=[MeetingMode(m) for m in row.modes],
            location=row.location,
            per_minute=PerMinutePricing.from_domain(terms) if (terms := per_minute_of(row)) else None,
            _expert_id=row.expert_id,
        )


@strawberry.type(description="An expert's timing policy, in minutes.")
class ExpertPolicy:
    client_cancellation_window_minutes: int = strawberry.field(
        description="A client cancelling later than this before the start may be charged (default 1,440: 24 h)."
    )
    short_notice_window_minutes: int = strawberry.field(
        description="An expert cancelling or moving later than this before the start must acknowledge it (default 2,880: 48 h)."
    )
    join_window_minutes: int = strawberry.field(description="Joining opens this long before the start (default 10).")
    no_show_grace_minutes: int = strawberry.field(
        description="Someone not joined this long after the start is a no-show (default 10)."
    )
    notes_window_minutes: int = strawberry.field(
        description="Notes can be added until this long after completion (default 2,880: 48 h)."
    )
    notes_required: bool = strawberry.field(
        description="They keep notes of every session (a missing one is due by the end of the notes window)."
    )


@strawberry.type(description="A user who offers services. Its id is the user's id.")
class Expert:
    id: strawberry.ID = strawberry.field(description="The expert's user id.")
    name: str = strawberry.field(description="Their display name.")
    time_zone: str = strawberry.field(
        description="Their IANA time zone (e.g. Europe/London); availability is stated in it."
    )
    headline: str = strawberry.field(description="One line about them.")
    skills: list[str] = strawberry.field(description="What they can help with (filter experts by one).")
    policy: ExpertPolicy = strawberry.field(description="Their timing rules for cancelling, joining and notes.")
    _profile: strawberry.Private[models.ExpertProfile]

    async def _measures(self, info: Info) -> ExpertMeasures:
        return await info.context.loaders.measures.load(UUID(self.id)) or ExpertMeasures()

    @described(
        "Your programme with this expert: HUB (you rebook your meetings yourself, with a fixed 24-hour "
        "cancellation window) or PRIVATE; null when you are not signed in or are this expert."
    )
    async def viewer_programme(self, info: Info) -> ClientProgramme | None:
        viewer = info.context.viewer
        if viewer is None or is_self(viewer, UUID(self.id)):
            return None
        programme: ClientProgramme = await info.context.loaders.programme.load((UUID(self.id), viewer.user_id))
        return programme

    @described(
        "Average time from an instant request's posting to their taking it, in minutes (the clock's, "
        "not business hours); null before their first take."
    )
    async def time_to_take_minutes(self, info: Info) -> float | None:
        average = (await self._measures(info)).average_time_to_take
        return round(average.total_seconds() / 60, 1) if average is not None else None

    @described("Mean review rating, 1-5; null before the first review.")
    async def average_rating(self, info: Info) -> float | None:
        average = (await self._measures(info)).average_rating
        return round(average, 2) if average is not None else None

    @described("How many reviews they have.")
    async def review_count(self, info: Info) -> int:
        return (await self._measures(info)).review_count

    @described(
        "Average time from a booking or request to their first answer, in business minutes (Mon-Fri 09:00-17:00 their time); null before the first answer."
    )
    async def response_time_minutes(self, info: Info) -> float | None:
        """The average time to a first answer, in the expert's business hours (Mon-Fri
        09:00-17:00 local); null before the first answer."""
        average = (await self._measures(info)).average_response
        return round(average.total_seconds() / 60, 1) if average is not None else None

    @described("Times they moved a meeting at their own initiative.")
    async def unrequested_rearrangements(self, info: Info) -> int:
        """Times the expert offered other times for their own schedule."""
        return (await self._measures(info)).unrequested_rearrangements

    @described("Meetings they cancelled.")
    async def expert_cancellations(self, info: Info) -> int:
        return (await self._measures(info)).expert_cancellations

    @described("What the experts list is ordered by, highest first (README: the expert directory).")
    async def recommendation_score(self, info: Info) -> float:
        """What the `experts` list is ordered by, highest first (README: the expert directory)."""
        return recommendation_score(await self._measures(info))

    @described("Their weekly hours, date overrides and booking rules.")
    async def availability(self, info: Info) -> Availability:
        overrides = await info.context.loaders.date_overrides.load(UUID(self.id))
        return Availability.from_models(self._profile, self.time_zone, overrides)

    @described("What they offer.")
    async def services(self, info: Info) -> list[Service]:
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
                notes_required=bool(profile.notes_required),
            ),
        )


async def load_expert(info: Info, user_id: UUID) -> Expert | None:
    """The Expert view of a user, through the operation's loaders; None if not an expert."""
    info.context.answer_hints.read(expert_tag(user_id))
    loaders = info.context.loaders
    # Both in one tick, so the user joins the same batch as every other user load.
    user, profile = await asyncio.gather(loaders.user.load(user_id), loaders.expert_profile.load(user_id))
    if profile is None:
        return None
    assert user is not None
    return Expert.from_models(user, profile)
