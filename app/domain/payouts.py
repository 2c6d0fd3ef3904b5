"""Payouts: an expert's payable earnings paid out, weekly or on request, above a minimum.

A payout is REQUESTED when made (its earnings leave the payable balance at once), then an
admin (or a payment provider) marks it PAID with a reference, or FAILED with a reason: a
failed payout's earnings are payable again.
"""

from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from app.domain.errors import InvalidInput, InvalidState
from app.domain.ledger import LedgerKind, Move
from app.domain.people import Side


class PayoutStatus(StrEnum):
    REQUESTED = "REQUESTED"
    PAID = "PAID"
    FAILED = "FAILED"


MAX_PAYOUT_NOTE = 200
"""A payment reference or a failure reason, in characters."""


def payout_amount(payable: int, minimum: int) -> int:
    """All that is payable, once it reaches the minimum."""
    if payable < max(minimum, 1):
        raise InvalidState(f"payable earnings ({payable}) are below the payout minimum ({max(minimum, 1)})")
    return payable


def payout_moves(amount: int) -> list[Move]:
    return [Move(Side.EXPERT, LedgerKind.PAYOUT, amount)]


def conclusion_moves(status: PayoutStatus, outcome: PayoutStatus, amount: int) -> list[Move]:
    """What marking a payout PAID or FAILED moves: only a failure returns its earnings."""
    if outcome is PayoutStatus.REQUESTED:
        raise ValueError("a payout is concluded as PAID or FAILED")
    if status is not PayoutStatus.REQUESTED:
        raise InvalidState(f"this payout is already {status}")
    return [Move(Side.EXPERT, LedgerKind.PAYOUT_RETURNED, amount)] if outcome is PayoutStatus.FAILED else []


def validate_payout_note(note: str, what: str) -> str:
    note = note.strip()
    if not 1 <= len(note) <= MAX_PAYOUT_NOTE:
        raise InvalidInput(f"{what} must be 1 to {MAX_PAYOUT_NOTE} characters")
    return note


def next_payout_cycle(now: datetime) -> datetime:
    """Payouts run weekly, on Mondays at 00:00 UTC: the first such instant after `now`."""
    now = now.astimezone(UTC)
    days_ahead = (7 - now.weekday()) % 7 or 7
    return datetime.combine((now + timedelta(days=days_ahead)).date(), time(), tzinfo=UTC)
