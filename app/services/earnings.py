"""An expert's earnings: the platform's fee taken from each charge, and each charge's earnings
settled (payable) once the settlement delay has passed."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.functions import Sum

from app.domain.access import require_admin
from app.domain.errors import InvalidInput, NotAllowed, NotFound, refuses
from app.domain.ledger import LedgerKind, settlement_moves, validate_fee_percent
from app.domain.people import Actor
from app.domain.schedule import JobKind
from app.models import ExpertProfile, LedgerEntry, ScheduledJob
from app.services import meeting_repository
from app.services.ledger import write_moves
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work


@dataclass(frozen=True)
class ExpertFee:
    expert_id: UUID
    own_percent: int | None
    """An admin's override for this expert; None: the platform's."""
    percent: int
    """What their charges pay the platform now."""


@refuses(InvalidInput, NotAllowed, NotFound)
async def set_expert_fee(runtime: Runtime, actor: Actor, expert_id: UUID, percent: int | None) -> ExpertFee:
    """Admins: the expert's own fee from their next charge on (charges made keep theirs);
    None returns them to the platform's."""
    require_admin(actor)
    if percent is not None:
        validate_fee_percent(percent)
    async with unit_of_work(runtime) as uow:
        updated = await ExpertProfile.filter(user_id=expert_id).update(platform_fee_percent=percent)
        if not updated:
            raise NotFound("no such expert")
        uow.changed_expert(expert_id)
    return ExpertFee(expert_id, percent, runtime.settings.platform_fee_percent if percent is None else percent)


def plan_settlement(uow: UnitOfWork, meeting_id: UUID, meeting_version: int, now: datetime) -> None:
    """A charge's earnings become payable after the settlement delay (a job the meeting's later
    changes do not cancel)."""
    delay = timedelta(hours=uow.runtime.settings.settlement_delay_hours)
    uow.plan_jobs(
        ScheduledJob(
            kind=JobKind.SETTLE_EARNINGS,
            meeting_id=meeting_id,
            meeting_version=meeting_version,
            due_at=now + delay,
            created_at=now,
        )
    )


async def meeting_totals(meeting_id: UUID) -> dict[LedgerKind, int]:
    rows = (
        await LedgerEntry.filter(meeting_id=meeting_id)
        .annotate(total=Sum("amount"))
        .group_by("kind")
        .values("kind", "total")
    )
    return {LedgerKind(row["kind"]): int(row["total"]) for row in rows}


async def settle_earnings(runtime: Runtime, meeting_id: UUID, now: datetime) -> None:
    async with unit_of_work(runtime):
        meeting = await meeting_repository.get_for_update(meeting_id)  # one settlement at a time
        totals = await meeting_totals(meeting_id)
        await write_moves(
            settlement_moves(
                totals.get(LedgerKind.EARNING, 0) - totals.get(LedgerKind.EARNING_REVERSED, 0),
                totals.get(LedgerKind.SETTLED, 0),
            ),
            client_id=meeting.parties.client_id,
            expert_id=meeting.parties.expert_id,
            meeting_id=meeting_id,
            now=now,
        )
