from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import InsufficientCredits, InvalidInput
from app.domain.instant import InstantStatus
from app.domain.ledger import (
    Balances,
    LedgerKind,
    LedgerPosition,
    Move,
    balances_from_totals,
    credit_moves,
    discount_moves,
    ledger_position,
    request_hold_moves,
    require_affordable,
    settlement_moves,
    validate_fee_percent,
    validate_grant,
    validate_report_range,
)
from app.domain.meetings import CreditStatus
from app.domain.people import Side


def test_balances_are_sums_of_entries() -> None:
    totals = {
        LedgerKind.GRANT: 500,
        LedgerKind.BLOCK: 200,
        LedgerKind.RELEASE: 50,
        LedgerKind.CHARGE: 100,
        LedgerKind.EARNING: 70,
        LedgerKind.PLATFORM_FEE: 30,
        LedgerKind.SETTLED: 40,
        LedgerKind.PAYOUT: 25,
        LedgerKind.PAYOUT_RETURNED: 5,
    }
    assert balances_from_totals(totals) == Balances(
        available=350, blocked=50, pending_earnings=30, payable_earnings=20, paid_out=20
    )


def test_an_empty_ledger_is_all_zero() -> None:
    assert balances_from_totals({}) == Balances(0, 0, 0)


@pytest.mark.parametrize(
    ("before", "after", "moves"),
    [
        (CreditStatus.NONE, CreditStatus.BLOCKED, [Move(Side.CLIENT, LedgerKind.BLOCK, 40)]),
        (CreditStatus.BLOCKED, CreditStatus.RETURNED, [Move(Side.CLIENT, LedgerKind.RELEASE, 40)]),
        (
            CreditStatus.BLOCKED,
            CreditStatus.CHARGED,
            [Move(Side.CLIENT, LedgerKind.CHARGE, 40), Move(Side.EXPERT, LedgerKind.EARNING, 40)],
        ),
        (CreditStatus.BLOCKED, CreditStatus.BLOCKED, []),
        (CreditStatus.NONE, CreditStatus.NONE, []),
    ],
)
def test_credit_moves(before: CreditStatus, after: CreditStatus, moves: list[Move]) -> None:
    assert credit_moves(before, after, 40) == moves


def test_a_charge_splits_into_earnings_and_the_platform_fee() -> None:
    assert credit_moves(CreditStatus.BLOCKED, CreditStatus.CHARGED, 50, fee_percent=15) == [
        Move(Side.CLIENT, LedgerKind.CHARGE, 50),
        Move(Side.EXPERT, LedgerKind.EARNING, 43),  # the fee, 7.5, is rounded down
        Move(Side.EXPERT, LedgerKind.PLATFORM_FEE, 7),
    ]


@pytest.mark.parametrize(("fee_percent", "earning", "fee"), [(0, 40, 0), (100, 0, 40), (25, 30, 10)])
def test_a_charge_moves_no_empty_entry(fee_percent: int, earning: int, fee: int) -> None:
    moves = credit_moves(CreditStatus.BLOCKED, CreditStatus.CHARGED, 40, fee_percent)
    assert all(move.amount > 0 for move in moves)
    assert sum(m.amount for m in moves if m.kind is LedgerKind.EARNING) == earning
    assert sum(m.amount for m in moves if m.kind is LedgerKind.PLATFORM_FEE) == fee


def test_a_fee_is_a_percentage() -> None:
    assert validate_fee_percent(0) == 0 and validate_fee_percent(100) == 100
    for refused in (-1, 101):
        with pytest.raises(InvalidInput):
            validate_fee_percent(refused)


def test_a_free_meeting_moves_nothing() -> None:
    assert credit_moves(CreditStatus.NONE, CreditStatus.BLOCKED, 0) == []


def test_an_impossible_move_is_a_bug() -> None:
    with pytest.raises(ValueError):
        credit_moves(CreditStatus.RETURNED, CreditStatus.CHARGED, 40)


def test_a_block_and_its_release_leave_the_balance_as_it_was() -> None:
    totals = {LedgerKind.GRANT: 100, LedgerKind.BLOCK: 40, LedgerKind.RELEASE: 40}
    assert balances_from_totals(totals) == Balances(available=100, blocked=0, pending_earnings=0)


def test_affordability() -> None:
    require_affordable(Balances(40, 0, 0), 40)
    with pytest.raises(InsufficientCredits):
        require_affordable(Balances(39, 0, 0), 40)


@pytest.mark.parametrize("amount", [0, -5, 1_000_001])
def test_grants_are_bounded(amount: int) -> None:
    with pytest.raises(InvalidInput):
        validate_grant(amount)


@pytest.mark.parametrize(
    ("before", "after", "moves"),
    [
        (None, InstantStatus.OPEN, [Move(Side.CLIENT, LedgerKind.REQUEST_HOLD, 100)]),
        (InstantStatus.OPEN, InstantStatus.TAKEN, [Move(Side.CLIENT, LedgerKind.REQUEST_RELEASE, 100)]),
        (InstantStatus.OPEN, InstantStatus.WITHDRAWN, [Move(Side.CLIENT, LedgerKind.REQUEST_RELEASE, 100)]),
        (InstantStatus.OPEN, InstantStatus.EXPIRED, [Move(Side.CLIENT, LedgerKind.REQUEST_RELEASE, 100)]),
        (InstantStatus.OPEN, InstantStatus.OPEN, []),
    ],
)
def test_an_open_request_holds_its_most_and_leaving_open_returns_it(
    before: InstantStatus | None, after: InstantStatus, moves: list[Move]
) -> None:
    assert request_hold_moves(before, after, 100) == moves


def test_a_hold_is_neither_available_nor_blocked_for_a_meeting() -> None:
    totals = {
        LedgerKind.GRANT: 500,
        LedgerKind.REQUEST_HOLD: 500,
        LedgerKind.REQUEST_RELEASE: 400,
        LedgerKind.BLOCK: 40,
    }
    assert balances_from_totals(totals) == Balances(
        available=360, blocked=40, pending_earnings=0, held_for_requests=100
    )


def test_a_consistent_ledger_is_balanced() -> None:
    client = {LedgerKind.GRANT: 500, LedgerKind.BLOCK: 100, LedgerKind.RELEASE: 50, LedgerKind.CHARGE: 50}
    expert = {
        LedgerKind.EARNING: 43,
        LedgerKind.PLATFORM_FEE: 7,
        LedgerKind.SETTLED: 43,
        LedgerKind.PAYOUT: 43,
    }
    position = ledger_position([("client", client), ("expert", expert)], in_payouts=43)
    assert position == LedgerPosition(
        granted=500,
        held_by_clients=450,
        pending_earnings=0,
        payable_earnings=0,
        paid_out=43,
        platform_revenue=7,
        problems=(),
    )
    assert position.balanced


def test_a_charge_not_split_whole_a_negative_balance_and_a_stray_payout_are_named() -> None:
    client = {LedgerKind.GRANT: 100, LedgerKind.BLOCK: 150, LedgerKind.CHARGE: 50}
    expert = {LedgerKind.EARNING: 40, LedgerKind.PLATFORM_FEE: 7}
    position = ledger_position([("client", client), ("expert", expert)], in_payouts=10)
    assert position.problems == (
        "account client: available is -50",
        "credits granted (100) differ from where they sit (97): charges 50, earnings 40, fees 7",
        "paid-out entries (0) differ from the payouts made (10)",
    )
    assert not position.balanced


def test_a_report_covers_a_bounded_range() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    validate_report_range(start, start + timedelta(days=366))
    for end in (start, start - timedelta(days=1), start + timedelta(days=367)):
        with pytest.raises(InvalidInput):
            validate_report_range(start, end)
    with pytest.raises(InvalidInput):
        validate_report_range(datetime(2026, 1, 1), datetime(2026, 2, 1))


@pytest.mark.parametrize(
    ("discount", "moves"),
    [
        (  # half of 50 charged with a fee of 7: the fee on 25 is 3
            25,
            [
                Move(Side.CLIENT, LedgerKind.REFUND, 25),
                Move(Side.EXPERT, LedgerKind.EARNING_REVERSED, 21),
                Move(Side.EXPERT, LedgerKind.FEE_REVERSED, 4),
            ],
        ),
        (  # free: everything back, from both
            50,
            [
                Move(Side.CLIENT, LedgerKind.REFUND, 50),
                Move(Side.EXPERT, LedgerKind.EARNING_REVERSED, 43),
                Move(Side.EXPERT, LedgerKind.FEE_REVERSED, 7),
            ],
        ),
        (  # the fee on 49 is 6, rounded down: the platform gives the credit back, not the expert
            1,
            [Move(Side.CLIENT, LedgerKind.REFUND, 1), Move(Side.EXPERT, LedgerKind.FEE_REVERSED, 1)],
        ),
    ],
)
def test_a_discount_returns_credits_from_earnings_and_fee_in_proportion(discount: int, moves: list[Move]) -> None:
    assert discount_moves(discount, charged=50, fee=7) == moves
    client_back = sum(m.amount for m in moves if m.kind is LedgerKind.REFUND)
    assert client_back == sum(m.amount for m in moves if m.kind is not LedgerKind.REFUND)


def test_a_discounted_charge_keeps_the_ledger_balanced() -> None:
    client = {LedgerKind.GRANT: 100, LedgerKind.BLOCK: 50, LedgerKind.CHARGE: 50, LedgerKind.REFUND: 25}
    expert = {
        LedgerKind.EARNING: 43,
        LedgerKind.PLATFORM_FEE: 7,
        LedgerKind.EARNING_REVERSED: 21,
        LedgerKind.FEE_REVERSED: 4,
        LedgerKind.SETTLED: 22,
    }
    position = ledger_position([("client", client), ("expert", expert)], in_payouts=0)
    assert (position.held_by_clients, position.payable_earnings, position.platform_revenue) == (75, 22, 3)
    assert position.balanced
    assert settlement_moves(earned=43 - 21, settled=22) == []
