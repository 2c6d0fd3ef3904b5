from datetime import UTC, datetime

import pytest

from app.domain.errors import InvalidInput, InvalidState
from app.domain.ledger import LedgerKind, Move
from app.domain.payouts import (
    PayoutStatus,
    conclusion_moves,
    next_payout_cycle,
    payout_amount,
    payout_moves,
    validate_payout_note,
)
from app.domain.people import Side


def test_a_payout_takes_all_that_is_payable_once_it_reaches_the_minimum() -> None:
    assert payout_amount(250, 100) == 250
    assert payout_amount(100, 100) == 100
    with pytest.raises(InvalidState, match=r"payable earnings \(99\) are below the payout minimum \(100\)"):
        payout_amount(99, 100)
    with pytest.raises(InvalidState):
        payout_amount(0, 0)  # never an empty payout
    assert payout_moves(250) == [Move(Side.EXPERT, LedgerKind.PAYOUT, 250)]


def test_only_a_failed_payout_returns_its_earnings() -> None:
    assert conclusion_moves(PayoutStatus.REQUESTED, PayoutStatus.PAID, 80) == []
    assert conclusion_moves(PayoutStatus.REQUESTED, PayoutStatus.FAILED, 80) == [
        Move(Side.EXPERT, LedgerKind.PAYOUT_RETURNED, 80)
    ]


@pytest.mark.parametrize("done", [PayoutStatus.PAID, PayoutStatus.FAILED])
@pytest.mark.parametrize("outcome", [PayoutStatus.PAID, PayoutStatus.FAILED])
def test_a_concluded_payout_is_never_concluded_again(done: PayoutStatus, outcome: PayoutStatus) -> None:
    with pytest.raises(InvalidState, match=f"already {done}"):
        conclusion_moves(done, outcome, 80)


def test_payout_notes_are_bounded() -> None:
    assert validate_payout_note("  SEPA 123 ", "reference") == "SEPA 123"
    for refused in ("", "   ", "x" * 201):
        with pytest.raises(InvalidInput):
            validate_payout_note(refused, "reference")


@pytest.mark.parametrize(
    ("now", "cycle"),
    [
        (datetime(2026, 12, 7, 0, 0, tzinfo=UTC), datetime(2026, 12, 14, tzinfo=UTC)),  # a Monday's own cycle is past
        (datetime(2026, 12, 7, 17, 30, tzinfo=UTC), datetime(2026, 12, 14, tzinfo=UTC)),
        (datetime(2026, 12, 13, 23, 59, tzinfo=UTC), datetime(2026, 12, 14, tzinfo=UTC)),
        (datetime(2026, 12, 31, 12, 0, tzinfo=UTC), datetime(2027, 1, 4, tzinfo=UTC)),
    ],
)
def test_payouts_run_on_mondays_at_midnight_utc(now: datetime, cycle: datetime) -> None:
    assert next_payout_cycle(now) == cycle
