from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from app.domain import meetings as rules
from app.domain.booking import NewMeeting
from app.domain.coupons import CouponTerms, coupon_credits, normalized_code, validate_terms, with_coupon
from app.domain.errors import InvalidInput, InvalidState, TooLate
from app.domain.meetings import CreditStatus, MeetingMode
from app.domain.people import Parties, Side

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
NOW_ID = UUID(int=1)
LATER = NOW + timedelta(days=30)


def terms(**changed: object) -> CouponTerms:
    given: dict[str, object] = {
        "percent": 20,
        "credits": None,
        "expires_at": LATER,
        "uses_per_client": 1,
        "total_uses": None,
        **changed,
    }
    return CouponTerms(**given)  # type: ignore[arg-type]


def test_codes_are_compared_without_case_or_spaces() -> None:
    assert normalized_code("  spring-25 ") == "SPRING-25"
    for refused in ("abc", "x" * 33, "SPRING 25", "ÉTÉ-2026", ""):
        with pytest.raises(InvalidInput):
            normalized_code(refused)


def test_a_coupon_takes_a_percentage_rounded_down_or_an_amount_up_to_the_price() -> None:
    assert coupon_credits(terms(percent=20), 55, NOW, client_uses=0, used=0) == 11
    assert coupon_credits(terms(percent=None, credits=30), 55, NOW, client_uses=0, used=0) == 30
    assert coupon_credits(terms(percent=None, credits=80), 55, NOW, client_uses=0, used=0) == 55


def test_an_expired_or_used_up_coupon_is_refused() -> None:
    with pytest.raises(TooLate):
        coupon_credits(terms(), 50, LATER, client_uses=0, used=0)
    with pytest.raises(InvalidState, match="used this coupon 1 times"):
        coupon_credits(terms(), 50, NOW, client_uses=1, used=1)
    assert coupon_credits(terms(uses_per_client=2), 50, NOW, client_uses=1, used=1) == 10
    with pytest.raises(InvalidState, match="used up"):
        coupon_credits(terms(total_uses=3), 50, NOW, client_uses=0, used=3)


@pytest.mark.parametrize(
    "changed",
    [
        {"percent": None},
        {"credits": 10},
        {"percent": 0},
        {"percent": 101},
        {"percent": None, "credits": 0},
        {"expires_at": NOW},
        {"uses_per_client": 0},
        {"total_uses": 0},
    ],
)
def test_new_coupon_terms_are_checked(changed: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        validate_terms(terms(**changed), NOW)


def test_a_booking_with_a_coupon_costs_less() -> None:
    outcome = rules.booked_by_client(NOW + timedelta(days=2), 60, 50, NOW, mode=MeetingMode.VIDEO)
    new = NewMeeting(Parties(client_id=NOW_ID, expert_id=NOW_ID), NOW_ID, None, Side.CLIENT, outcome)
    cheaper = with_coupon(new, NOW_ID, 10)
    assert (cheaper.outcome.state.price_credits, cheaper.coupon_id, cheaper.coupon_credits) == (40, NOW_ID, 10)
    free = with_coupon(new, NOW_ID, 50).outcome.state
    assert (free.price_credits, free.credit_status) == (0, CreditStatus.NONE)
