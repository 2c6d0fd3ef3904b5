"""Credit arithmetic: balances are sums of ledger entries, never stored totals."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import InsufficientCredits, InvalidInput
from app.domain.meetings import CreditStatus
from app.domain.people import Side


class LedgerKind(StrEnum):
    GRANT = "GRANT"
    BLOCK = "BLOCK"
    RELEASE = "RELEASE"
    CHARGE = "CHARGE"
    EARNING = "EARNING"
    PAYOUT = "PAYOUT"


MAX_GRANT_CREDITS = 1_000_000


@dataclass(frozen=True)
class Balances:
    """available: spendable; blocked: held by meetings; pending_earnings: the expert's."""

    available: int
    blocked: int
    pending_earnings: int


def balances_from_totals(totals: Mapping[LedgerKind, int]) -> Balances:
    """Every entry amount is positive; its kind says which balance it moves."""

    def total(kind: LedgerKind) -> int:
        return totals.get(kind, 0)

    return Balances(
        available=total(LedgerKind.GRANT) - total(LedgerKind.BLOCK) + total(LedgerKind.RELEASE),
        blocked=total(LedgerKind.BLOCK) - total(LedgerKind.RELEASE) - total(LedgerKind.CHARGE),
        pending_earnings=total(LedgerKind.EARNING) - total(LedgerKind.PAYOUT),
    )


@dataclass(frozen=True)
class Move:
    """One ledger entry to write: whose account, what kind, how much."""

    account: Side
    kind: LedgerKind
    amount: int


def credit_moves(before: CreditStatus, after: CreditStatus, price_credits: int) -> list[Move]:
    """The ledger entries that take a meeting's credits from `before` to `after`."""
    if before is after or price_credits == 0:
        return []
    match before, after:
        case CreditStatus.NONE, CreditStatus.BLOCKED:
            return [Move(Side.CLIENT, LedgerKind.BLOCK, price_credits)]
        case CreditStatus.BLOCKED, CreditStatus.RETURNED:
            return [Move(Side.CLIENT, LedgerKind.RELEASE, price_credits)]
        case CreditStatus.RETURNED, CreditStatus.NONE:
            return []  # a rejected meeting reopened: nothing is held until the client approves
        case CreditStatus.BLOCKED, CreditStatus.CHARGED:
            return [
                Move(Side.CLIENT, LedgerKind.CHARGE, price_credits),
                Move(Side.EXPERT, LedgerKind.EARNING, price_credits),
            ]
    raise ValueError(f"no credit move from {before} to {after}")


def require_affordable(balances: Balances, price_credits: int) -> None:
    if balances.available < price_credits:
        raise InsufficientCredits(f"this needs {price_credits} credits; {balances.available} are available")


def validate_grant(amount: int) -> None:
    if not 1 <= amount <= MAX_GRANT_CREDITS:
        raise InvalidInput(f"amount must be between 1 and {MAX_GRANT_CREDITS}")
