"""An expert's earnings: the platform's fee taken from each charge, and each charge's earnings
settled (payable) once the settlement delay has passed."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from tortoise.functions import Min, Sum

from app.domain.access import is_self_or_admin, require_admin
from app.domain.errors import InvalidInput, NotAllowed, NotFound, refuses
from app.domain.ledger import LedgerKind, settlement_moves, validate_fee_percent, validate_report_range
from app.domain.people import Actor
from app.domain.schedule import JobKind
from app.models import ExpertProfile, LedgerEntry, ScheduledJob
from app.services import meeting_repository
from app.services.ledger import kind_totals, write_moves
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
    return ExpertFee(expert_id, percent, fee_percent(runtime, percent))


def fee_percent(runtime: Runtime, own_percent: int | None) -> int:
    """What an expert's charges pay the platform: their own fee, else the platform's."""
    return runtime.settings.platform_fee_percent if own_percent is None else own_percent


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


async def settle_earnings(runtime: Runtime, meeting_id: UUID, now: datetime) -> None:
    async with unit_of_work(runtime):
        meeting = await meeting_repository.get_for_update(meeting_id)  # one settlement at a time
        totals = await kind_totals(meeting_id=meeting_id)
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


STATEMENT_KINDS = [
    LedgerKind.EARNING,
    LedgerKind.EARNING_REVERSED,
    LedgerKind.PLATFORM_FEE,
    LedgerKind.FEE_REVERSED,
    LedgerKind.SETTLED,
]
"""The entries an expert's meetings write on their account."""


@dataclass(frozen=True)
class StatementLine:
    """What one meeting moved on the expert's account in the period."""

    meeting_id: UUID
    first_entry_at: datetime
    earned: int
    """Earnings, less what discounts took back."""
    fee: int
    """The platform's fee, less what discounts gave back."""
    settled: int
    """Earnings that became payable."""


@refuses(InvalidInput, NotAllowed, NotFound)  # NotFound: an expertId that is not an id
async def earnings_statement(actor: Actor, expert_id: UUID, start: datetime, end: datetime) -> list[StatementLine]:
    """An expert's entries in [start, end) by meeting, oldest first; their own, or any expert's
    for an admin (payouts are listed by `payouts`). Sums in the database; the range is at most
    366 days."""
    if not is_self_or_admin(actor, expert_id):
        raise NotAllowed("you may only see your own statement")
    validate_report_range(start, end)
    rows = (
        await LedgerEntry.filter(user_id=expert_id, kind__in=STATEMENT_KINDS, created_at__gte=start, created_at__lt=end)
        .annotate(total=Sum("amount"), first=Min("created_at"))
        .group_by("meeting_id", "kind")
        .values("meeting_id", "kind", "total", "first")
    )
    totals: dict[UUID, dict[LedgerKind, int]] = defaultdict(dict)
    first: dict[UUID, datetime] = {}
    for row in rows:
        meeting_id = UUID(str(row["meeting_id"]))
        totals[meeting_id][LedgerKind(row["kind"])] = int(row["total"])
        first[meeting_id] = min(first.get(meeting_id, row["first"]), row["first"])
    lines = [
        StatementLine(
            meeting_id,
            first[meeting_id],
            earned=kinds.get(LedgerKind.EARNING, 0) - kinds.get(LedgerKind.EARNING_REVERSED, 0),
            fee=kinds.get(LedgerKind.PLATFORM_FEE, 0) - kinds.get(LedgerKind.FEE_REVERSED, 0),
            settled=kinds.get(LedgerKind.SETTLED, 0),
        )
        for meeting_id, kinds in totals.items()
    ]
    return sorted(lines, key=lambda line: (line.first_entry_at, str(line.meeting_id)))
