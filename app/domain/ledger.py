"""Credit arithmetic: balances are sums of ledger entries, never stored totals."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.errors import InsufficientCredits, InvalidInput
from app.domain.instant import InstantStatus
from app.domain.meetings import CreditStatus
from app.domain.people import Side


class LedgerKind(StrEnum):
    GRANT = "GRANT"
    BLOCK = "BLOCK"
    RELEASE = "RELEASE"
    CHARGE = "CHARGE"
    EARNING = "EARNING"
    PAYOUT = "PAYOUT"
    REQUEST_HOLD = "REQUEST_HOLD"
    """An open instant request holds the most its client will pay."""
    REQUEST_RELEASE = "REQUEST_RELEASE"
    """The request left OPEN (taken, withdrawn, expired): its hold is returned."""
    PLATFORM_FEE = "PLATFORM_FEE"
    """The platform's share of a charge, written beside the expert's EARNING on the expert's
    account but never theirs: the platform's revenue is the sum of these."""
    SETTLED = "SETTLED"
    """Earnings that passed their settlement delay: pending becomes payable."""
    PAYOUT_RETURNED = "PAYOUT_RETURNED"
    """A failed payout: its earnings are payable again."""
    REFUND = "REFUND"
    """Charged credits returned to the client (a discount)."""
    EARNING_REVERSED = "EARNING_REVERSED"
    """The expert's pending earnings given back for a discount."""
    FEE_REVERSED = "FEE_REVERSED"
    """The platform's fee given back for a discount."""


MAX_GRANT_CREDITS = 1_000_000


@dataclass(frozen=True)
class Balances:
    """available: spendable; blocked: held by meetings; held_for_requests: held by open
    instant requests. An expert's earnings: pending until their settlement delay has passed,
    then payable, then paid out (in a payout requested or paid)."""

    available: int
    blocked: int
    pending_earnings: int
    held_for_requests: int = 0
    payable_earnings: int = 0
    paid_out: int = 0


def balances_from_totals(totals: Mapping[LedgerKind, int]) -> Balances:
    """Every entry amount is positive; its kind says which balance it moves."""

    def total(kind: LedgerKind) -> int:
        return totals.get(kind, 0)

    held_for_requests = total(LedgerKind.REQUEST_HOLD) - total(LedgerKind.REQUEST_RELEASE)
    return Balances(
        available=total(LedgerKind.GRANT)
        - total(LedgerKind.BLOCK)
        + total(LedgerKind.RELEASE)
        + total(LedgerKind.REFUND)
        - held_for_requests,
        blocked=total(LedgerKind.BLOCK) - total(LedgerKind.RELEASE) - total(LedgerKind.CHARGE),
        pending_earnings=total(LedgerKind.EARNING) - total(LedgerKind.EARNING_REVERSED) - total(LedgerKind.SETTLED),
        held_for_requests=held_for_requests,
        payable_earnings=total(LedgerKind.SETTLED) - total(LedgerKind.PAYOUT) + total(LedgerKind.PAYOUT_RETURNED),
        paid_out=total(LedgerKind.PAYOUT) - total(LedgerKind.PAYOUT_RETURNED),
    )


MAX_FEE_PERCENT = 100


def platform_fee(price_credits: int, fee_percent: int) -> int:
    """The platform's share of a charge, rounded down: rounding never costs the expert."""
    return price_credits * fee_percent // 100


def validate_fee_percent(fee_percent: int) -> int:
    if not 0 <= fee_percent <= MAX_FEE_PERCENT:
        raise InvalidInput(f"a fee is a percentage between 0 and {MAX_FEE_PERCENT}")
    return fee_percent


@dataclass(frozen=True)
class Move:
    """One ledger entry to write: whose account, what kind, how much."""

    account: Side
    kind: LedgerKind
    amount: int


def credit_moves(
    before: CreditStatus, after: CreditStatus, price_credits: int, fee_percent: int = 0, blocked: int | None = None
) -> list[Move]:
    """The ledger entries that take a meeting's credits from `before` to `after`; a charge is
    split into the expert's earnings and the platform's fee (`fee_percent`). `blocked`: what
    was held, when a per-minute session's charge (`price_credits`) came to less: the rest is
    returned with the charge."""
    held = price_credits if blocked is None else blocked
    if before is after:
        return []
    match before, after:
        case CreditStatus.NONE, CreditStatus.BLOCKED:
            moves = [Move(Side.CLIENT, LedgerKind.BLOCK, price_credits)]
        case CreditStatus.BLOCKED, CreditStatus.RETURNED:
            moves = [Move(Side.CLIENT, LedgerKind.RELEASE, held)]
        case CreditStatus.RETURNED, CreditStatus.NONE:
            moves = []  # a rejected meeting reopened: nothing is held until the client approves
        case CreditStatus.BLOCKED, CreditStatus.CHARGED:
            fee = platform_fee(price_credits, fee_percent)
            moves = [
                Move(Side.CLIENT, LedgerKind.CHARGE, price_credits),
                Move(Side.CLIENT, LedgerKind.RELEASE, held - price_credits),
                Move(Side.EXPERT, LedgerKind.EARNING, price_credits - fee),
                Move(Side.EXPERT, LedgerKind.PLATFORM_FEE, fee),
            ]
        case _:
            raise ValueError(f"no credit move from {before} to {after}")
    return [move for move in moves if move.amount > 0]


def discount_moves(discount_credits: int, charged: int, fee: int) -> list[Move]:
    """A discount of a charge (`charged`, of which `fee` went to the platform): the client gets
    `discount_credits` back, taken from the expert's earnings and the platform's fee in
    proportion; the fee on the lower price is rounded down, as at the charge."""
    new_fee = (charged - discount_credits) * fee // charged if charged else 0
    fee_back = fee - new_fee
    moves = [
        Move(Side.CLIENT, LedgerKind.REFUND, discount_credits),
        Move(Side.EXPERT, LedgerKind.EARNING_REVERSED, discount_credits - fee_back),
        Move(Side.EXPERT, LedgerKind.FEE_REVERSED, fee_back),
    ]
    return [move for move in moves if move.amount > 0]


def settlement_moves(earned: int, settled: int) -> list[Move]:
    """A charge's settlement delay has passed: what of its earnings is not payable yet becomes
    payable (a retried settlement finds nothing left)."""
    unsettled = earned - settled
    return [Move(Side.EXPERT, LedgerKind.SETTLED, unsettled)] if unsettled > 0 else []


def request_hold_moves(before: InstantStatus | None, after: InstantStatus, max_price_credits: int) -> list[Move]:
    """An instant request holds its most while OPEN: posting holds it, leaving OPEN (taken,
    withdrawn, expired) returns it. A take then blocks the meeting's own price, as a booking does."""
    if max_price_credits == 0 or before is after:
        return []
    if before is None and after is InstantStatus.OPEN:
        return [Move(Side.CLIENT, LedgerKind.REQUEST_HOLD, max_price_credits)]
    if before is InstantStatus.OPEN:
        return [Move(Side.CLIENT, LedgerKind.REQUEST_RELEASE, max_price_credits)]
    raise ValueError(f"no hold move from {before} to {after}")


def require_affordable(balances: Balances, price_credits: int) -> None:
    if balances.available < price_credits:
        raise InsufficientCredits(f"this needs {price_credits} credits; {balances.available} are available")


def validate_grant(amount: int) -> None:
    if not 1 <= amount <= MAX_GRANT_CREDITS:
        raise InvalidInput(f"amount must be between 1 and {MAX_GRANT_CREDITS}")


MAX_REPORT_SPAN = timedelta(days=366)


def validate_report_range(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("from and to need a time zone offset")
    if not start < end <= start + MAX_REPORT_SPAN:
        raise InvalidInput(f"from must come before to, at most {MAX_REPORT_SPAN.days} days apart")


@dataclass(frozen=True)
class LedgerPosition:
    """Where every credit granted sits at one instant, from each account's entry totals, and
    whatever breaks the invariant (README: Money)."""

    granted: int
    held_by_clients: int
    """Available, blocked and held for instant requests."""
    pending_earnings: int
    payable_earnings: int
    paid_out: int
    platform_revenue: int
    problems: tuple[str, ...]

    @property
    def balanced(self) -> bool:
        return not self.problems


def ledger_position(accounts: Iterable[tuple[str, Mapping[LedgerKind, int]]], in_payouts: int) -> LedgerPosition:
    """`accounts`: (account, totals per kind); `in_payouts`: what the payouts requested or paid
    (not failed) add up to, which the entries must agree with."""
    problems: list[str] = []
    granted = held = pending = payable = paid_out = revenue = charged = earned = 0
    for account, totals in accounts:
        balances = balances_from_totals(totals)
        for name, value in vars(balances).items():
            if value < 0:
                problems.append(f"account {account}: {name} is {value}")
        granted += totals.get(LedgerKind.GRANT, 0)
        held += balances.available + balances.blocked + balances.held_for_requests
        pending += balances.pending_earnings
        payable += balances.payable_earnings
        paid_out += balances.paid_out
        revenue += totals.get(LedgerKind.PLATFORM_FEE, 0) - totals.get(LedgerKind.FEE_REVERSED, 0)
        charged += totals.get(LedgerKind.CHARGE, 0) - totals.get(LedgerKind.REFUND, 0)
        earned += totals.get(LedgerKind.EARNING, 0) - totals.get(LedgerKind.EARNING_REVERSED, 0)
    if held + pending + payable + paid_out + revenue != granted:
        problems.append(
            f"credits granted ({granted}) differ from where they sit "
            f"({held + pending + payable + paid_out + revenue}): charges {charged}, earnings {earned}, fees {revenue}"
        )
    if paid_out != in_payouts:
        problems.append(f"paid-out entries ({paid_out}) differ from the payouts made ({in_payouts})")
    return LedgerPosition(granted, held, pending, payable, paid_out, revenue, tuple(problems))
