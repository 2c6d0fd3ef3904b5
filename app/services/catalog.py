"""Services experts offer, and the public reads of experts."""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from app.domain.catalog import Offering, validate_modes, validate_offerings, validate_title
from tortoise.expressions import Q

from app.domain.errors import InvalidInput, NotAllowed, NotFound
from app.domain.meetings import MeetingMode
from app.domain.people import Actor, validate_text
from app.models import ExpertProfile, Service
from app.services.pagination import Page, decode_cursor, encode_cursor, validate_page_size
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@dataclass(frozen=True)
class NewService:
    title: str
    description: str
    offerings: Sequence[Offering]
    modes: Sequence[MeetingMode]
    location: str | None = None
    expert_id: UUID | None = None
    """Admins name the expert; experts create their own services."""


async def create_service(runtime: Runtime, actor: Actor, new: NewService) -> Service:
    expert_id = new.expert_id or actor.user_id
    if expert_id != actor.user_id and not actor.is_admin:
        raise NotAllowed("you may only create your own services")
    title = validate_title(new.title)
    description = validate_text("description", new.description, max_length=2000, required=False)
    location = (
        validate_text("location", new.location, max_length=300) if new.location else None
    )
    offerings = validate_offerings(new.offerings)
    modes = validate_modes(new.modes, location)
    async with unit_of_work(runtime):
        if not await ExpertProfile.filter(user_id=expert_id).exists():
            if expert_id == actor.user_id:
                raise NotAllowed("only experts offer services")
            raise NotFound("no such expert")
        return await Service.create(
            id=uuid4(),
            expert_id=expert_id,
            title=title,
            description=description,
            offerings=[
                {"duration_minutes": o.duration_minutes, "price_credits": o.price_credits}
                for o in offerings
            ],
            modes=[m.value for m in modes],
            location=location,
            created_at=runtime.clock.now(),
        )


def offerings_of(service: Service) -> list[Offering]:
    return [Offering(o["duration_minutes"], o["price_credits"]) for o in service.offerings]


def modes_of(service: Service) -> list[MeetingMode]:
    return [MeetingMode(m) for m in service.modes]


async def get_expert(expert_id: UUID) -> ExpertProfile:
    profile = await ExpertProfile.filter(user_id=expert_id).select_related("user").first()
    if profile is None:
        raise NotFound("no such expert")
    return profile


async def list_experts(*, first: int, after: str | None) -> Page[ExpertProfile]:
    """Experts by name, then id. (The recommended order by response time comes later.)"""
    validate_page_size(first)
    query = ExpertProfile.all().select_related("user")
    if after is not None:
        name, id_text = decode_cursor(after)
        try:
            after_id = UUID(id_text)
        except ValueError as exc:
            raise InvalidInput("after is not a cursor from this API") from exc
        query = query.filter(Q(user__name__gt=name) | Q(user__name=name, user_id__gt=after_id))
    rows = await query.order_by("user__name", "user_id").limit(first + 1)
    items = [(encode_cursor(r.user.name, str(r.user_id)), r) for r in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)
