"""Coupons an admin issues: a percentage or an amount off a booking's price, until an expiry,
a number of uses per client and, optionally, in total. A booking records the coupon and what
it took off; a use is spent by the booking (a later cancellation does not give it back)."""

import re
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from app.domain.booking import NewMeeting
from app.domain.errors import InvalidInput, InvalidState, TooLate
from app.domain.meetings import CreditStatus

CODE = re.compile(r"[A-Z0-9-]{4,32}")
MAX_USES = 1_000_000


@dataclass(frozen=True)
class CouponTerms:
    percent: int | None
    credits: int | None
    expires_at: datetime
    uses_per_client: int
    total_uses: int | None
    """None: no limit in total."""


def normalized_code(code: str) -> str:
    """Codes are compared without case or surrounding spaces: `spring-25` is `SPRING-25`."""
    normal = code.strip().upper()
    if not CODE.fullmatch(normal):
        raise InvalidInput("a coupon code is 4 to 32 letters, digits or dashes")
    return normal


def validate_terms(terms: CouponTerms, now: datetime) -> CouponTerms:
    if (terms.percent is None) == (terms.credits is None):
        raise InvalidInput("give exactly one of percent or credits")
    if terms.percent is not None and not 1 <= terms.percent <= 100:
        raise InvalidInput("percent must be between 1 and 100")
    if terms.credits is not None and not 1 <= terms.credits <= MAX_USES:
        raise InvalidInput(f"credits must be between 1 and {MAX_USES}")
    if terms.expires_at <= now:
        raise InvalidInput("a coupon must expire in the future")
    for name, uses in (("usesPerClient", terms.uses_per_client), ("totalUses", terms.total_uses)):
        if uses is not None and not 1 <= uses <= MAX_USES:
            raise InvalidInput(f"{name} must be between 1 and {MAX_USES}")
    return terms


def coupon_credits(terms: CouponTerms, price_credits: int, now: datetime, *, client_uses: int, used: int) -> int:
    """What the coupon takes off this price now, for a client who used it `client_uses` times,
    when it was used `used` times in all; at most the price."""
    if now >= terms.expires_at:
        raise TooLate("this coupon has expired")
    if client_uses >= terms.uses_per_client:
        raise InvalidState(f"you have used this coupon {client_uses} times, as often as it allows")
    if terms.total_uses is not None and used >= terms.total_uses:
        raise InvalidState("this coupon has been used up")
    off = price_credits * terms.percent // 100 if terms.percent is not None else terms.credits or 0
    return min(off, price_credits)


def with_coupon(new: NewMeeting, coupon_id: UUID, credits: int) -> NewMeeting:
    """The new meeting at its price less the coupon's credits, naming the coupon; made free, it
    holds nothing (credit status NONE, as any free meeting)."""
    state = new.outcome.state
    price = state.price_credits - credits
    cheaper = replace(state, price_credits=price, credit_status=state.credit_status if price else CreditStatus.NONE)
    return replace(new, outcome=replace(new.outcome, state=cheaper), coupon_id=coupon_id, coupon_credits=credits)
