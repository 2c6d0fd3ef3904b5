"""Which programme a client is in with an expert (HUB clients rebook themselves)."""

from uuid import UUID

from app.domain.access import managed_user
from app.domain.errors import NotAllowed, NotFound, refuses
from app.domain.people import Actor
from app.domain.rescheduling import DEFAULT_PROGRAMME, ClientProgramme
from app.models import ClientRelation, ExpertProfile, User
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


async def programme_of(expert_id: UUID, client_id: UUID) -> ClientProgramme:
    row = await ClientRelation.filter(expert_id=expert_id, client_id=client_id).first()
    return row.programme if row else DEFAULT_PROGRAMME


async def hub_clients_of(expert_id: UUID) -> list[User]:
    """The expert's clients in their HUB programme, by name."""
    client_ids = await ClientRelation.filter(expert_id=expert_id, programme=ClientProgramme.HUB).values_list(
        "client_id", flat=True
    )
    return await User.filter(id__in=list(client_ids)).order_by("name", "id")


@refuses(NotAllowed, NotFound)
async def set_client_programme(
    runtime: Runtime, actor: Actor, expert_id: UUID | None, client_id: UUID, programme: ClientProgramme
) -> ClientProgramme:
    """The expert sets it for their own clients; an admin for any expert's."""
    expert_id = managed_user(actor, expert_id, "client programmes")
    now = runtime.clock.now()
    async with unit_of_work(runtime):
        if not await ExpertProfile.filter(user_id=expert_id).exists():
            raise NotFound("no such expert")
        if client_id == expert_id or not await User.filter(id=client_id).exists():
            raise NotFound("no such client")
        updated = await ClientRelation.filter(expert_id=expert_id, client_id=client_id).update(
            programme=programme, updated_at=now
        )
        if not updated:
            await ClientRelation.create(expert_id=expert_id, client_id=client_id, programme=programme, updated_at=now)
    return programme
