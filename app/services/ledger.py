"""Reading balances and writing ledger entries."""

from datetime import datetime
from uuid import UUID

from tortoise.functions import Sum

from app.domain.ledger import Balances, LedgerKind, Move, balances_from_totals, require_affordable
from app.domain.meetings import CreditStatus, MeetingState
from app.domain.people import Side
from app.models import LedgerEntry, Meeting, User


async def kind_totals(**filters: UUID) -> dict[LedgerKind, int]:
    """The sums per kind of the entries matching `filters` (an account, a meeting), in one statement."""
    rows = await LedgerEntry.filter(**filters).annotate(total=Sum("amount")).group_by("kind").values("kind", "total")
    return {LedgerKind(row["kind"]): int(row["total"]) for row in rows}


async def balances_of(user_id: UUID) -> Balances:
    return balances_from_totals(await kind_totals(user_id=user_id))


async def lock_account(user_id: UUID) -> User | None:
    """Serialises balance checks per user (FOR UPDATE on PostgreSQL; SQLite writes are serial);
    the user's row, read whole so that a caller needing it reads it no second time."""
    return await User.filter(id=user_id).select_for_update().first()


async def require_balance(user_id: UUID, amount: int) -> User | None:
    """Refuses unless the user can spend `amount`, holding their account until the commit; the
    user's row (see lock_account)."""
    user = await lock_account(user_id)
    require_affordable(await balances_of(user_id), amount)
    return user


async def require_balance_for(client_id: UUID, before: MeetingState, after: MeetingState) -> None:
    """A change that newly blocks a meeting's credits needs them available."""
    if before.credit_status is not CreditStatus.BLOCKED and after.credit_status is CreditStatus.BLOCKED:
        await require_balance(client_id, after.price_credits)


async def awaiting_settlement(expert_id: UUID) -> int:
    """Credits of the expert's late cancellations and no-shows they may still charge or waive."""
    unsettled = Meeting.filter(expert_id=expert_id, settlement_due_at__isnull=False, credit_status=CreditStatus.BLOCKED)
    rows = await unsettled.annotate(total=Sum("price_credits")).values("total")
    return int(rows[0]["total"] or 0) if rows else 0


async def write_account_moves(
    moves: list[Move],
    *,
    user_id: UUID,
    now: datetime,
    instant_request_id: UUID | None = None,
    payout_id: UUID | None = None,
) -> None:
    """Entries on one account, naming the instant request or payout they are for."""
    for move in moves:
        await LedgerEntry.create(
            user_id=user_id,
            kind=move.kind,
            amount=move.amount,
            instant_request_id=instant_request_id,
            payout_id=payout_id,
            created_at=now,
        )


async def write_moves(moves: list[Move], *, client_id: UUID, expert_id: UUID, meeting_id: UUID, now: datetime) -> None:
    for move in moves:
        await LedgerEntry.create(
            user_id=client_id if move.account is Side.CLIENT else expert_id,
            kind=move.kind,
            amount=move.amount,
            meeting_id=meeting_id,
            created_at=now,
        )
