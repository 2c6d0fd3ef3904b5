"""Services experts offer, the public reads of experts, and their rows as the domain sees them."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from app.domain.access import managed_user
from app.domain.billing import PerMinute, validate_per_minute
from app.domain.booking import ServiceTerms
from app.domain.catalog import (
    Offering,
    require_active,
    validate_description,
    validate_location,
    validate_modes,
    validate_offerings,
    validate_title,
)
from app.domain.errors import InvalidInput, InvalidState, NotAllowed, NotFound, refuses
from app.domain.meetings import MeetingMode
from app.domain.people import Actor
from app.domain.policy import ExpertPolicy
from app.models import ExpertProfile, Service, User
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
    per_minute: PerMinute | None = None
    """Billed per minute (domain/billing.py); None: the offerings' fixed prices."""


@refuses(InvalidInput, NotAllowed, NotFound)
async def create_service(runtime: Runtime, actor: Actor, new: NewService) -> Service:
    expert_id = managed_user(actor, new.expert_id, "services")
    title = validate_title(new.title)
    description = validate_description(new.description)
    location = validate_location(new.location)
    offerings = validate_offerings(new.offerings)
    modes = validate_modes(new.modes, location)
    if new.per_minute is not None:
        validate_per_minute(new.per_minute)
    async with unit_of_work(runtime) as uow:
        uow.changed_expert(expert_id)
        if not await ExpertProfile.filter(user_id=expert_id).exists():
            if expert_id == actor.user_id:
                raise NotAllowed("only experts offer services")
            raise NotFound("no such expert")
        return await Service.create(
            id=uuid4(),
            expert_id=expert_id,
            title=title,
            description=description,
            offerings=_stored_offerings(offerings),
            modes=[m.value for m in modes],
            location=location,
            per_minute=_stored_per_minute(new.per_minute),
            created_at=runtime.clock.now(),
        )


@dataclass(frozen=True)
class ServiceEdit:
    """What changes; None leaves a part as it is."""

    title: str | None = None
    description: str | None = None
    offerings: Sequence[Offering] | None = None
    modes: Sequence[MeetingMode] | None = None
    location: str | None = None
    per_minute: PerMinute | None = None
    fixed_price: bool = False
    """Back to the offerings' fixed prices (per_minute is then ignored)."""


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound)
async def update_service(runtime: Runtime, actor: Actor, service_id: UUID, edit: ServiceEdit) -> Service:
    """Its expert (or an admin) changes a service. Prices and durations apply to new bookings
    only: a meeting keeps the price and length it was made with."""
    async with unit_of_work(runtime) as uow:
        service = await _managed_service(actor, service_id)
        uow.changed_expert(service.expert_id)
        require_active(service.is_active)
        location = validate_location(edit.location) if edit.location is not None else service.location
        modes = [MeetingMode(m) for m in service.modes] if edit.modes is None else edit.modes
        if edit.title is not None:
            service.title = validate_title(edit.title)
        if edit.description is not None:
            service.description = validate_description(edit.description)
        if edit.offerings is not None:
            service.offerings = _stored_offerings(validate_offerings(edit.offerings))
        if edit.fixed_price:
            service.per_minute = None
        elif edit.per_minute is not None:
            service.per_minute = _stored_per_minute(validate_per_minute(edit.per_minute))
        service.modes = [m.value for m in validate_modes(modes, location)]
        service.location = location
        await service.save()
    return service


@refuses(InvalidState, NotAllowed, NotFound)
async def retire_service(runtime: Runtime, actor: Actor, service_id: UUID) -> Service:
    """Its expert (or an admin) retires a service: no new bookings, its meetings stand."""
    async with unit_of_work(runtime) as uow:
        service = await _managed_service(actor, service_id)
        uow.changed_expert(service.expert_id)
        require_active(service.is_active)
        service.is_active = False
        await service.save(update_fields=["is_active"])
    return service


async def _managed_service(actor: Actor, service_id: UUID) -> Service:
    service = await Service.filter(id=service_id).select_for_update().first()
    if service is None:
        raise NotFound("no such service")
    managed_user(actor, service.expert_id, "services")
    return service


def _stored_offerings(offerings: Sequence[Offering]) -> list[dict[str, int]]:
    return [{"duration_minutes": o.duration_minutes, "price_credits": o.price_credits} for o in offerings]


def _stored_per_minute(terms: PerMinute | None) -> dict[str, int | None] | None:
    return None if terms is None else asdict(terms)


def per_minute_of(service: Service) -> PerMinute | None:
    return None if service.per_minute is None else PerMinute(**service.per_minute)  # type: ignore[arg-type]


def offerings_of(service: Service) -> tuple[Offering, ...]:
    return tuple(Offering(o["duration_minutes"], o["price_credits"]) for o in service.offerings)


def policy_of(profile: ExpertProfile) -> ExpertPolicy:
    return ExpertPolicy(
        client_cancellation_window=timedelta(minutes=profile.client_cancellation_window_minutes),
        short_notice_window=timedelta(minutes=profile.short_notice_window_minutes),
        join_window=timedelta(minutes=profile.join_window_minutes),
        no_show_grace=timedelta(minutes=profile.no_show_grace_minutes),
        notes_window=timedelta(minutes=profile.notes_window_minutes),
        notes_required=bool(profile.notes_required),
    )


async def service_for_booking(service_id: UUID) -> tuple[Service, ServiceTerms]:
    """An active service with its expert and their profile, and its terms."""
    service = (
        await Service.filter(id=service_id, is_active=True).select_related("expert", "expert__expert_profile").first()
    )
    if service is None:
        raise NotFound("no such service")
    expert: User = service.expert
    terms = ServiceTerms(
        service_id=service.id,
        expert_id=expert.id,
        offerings=offerings_of(service),
        modes=tuple(MeetingMode(m) for m in service.modes),
        location=service.location,
        expert_skills=tuple(expert.expert_profile.skills),
        per_minute=per_minute_of(service),
    )
    return service, terms


async def get_expert(expert_id: UUID) -> ExpertProfile:
    profile = await ExpertProfile.filter(user_id=expert_id).select_related("user").first()
    if profile is None:
        raise NotFound("no such expert")
    return profile
