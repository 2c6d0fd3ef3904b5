"""Coupons: issued by admins, redeemed at booking (domain/coupons.py)."""

from datetime import datetime
from uuid import UUID, uuid4

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from app.domain.access import require_admin
from app.domain.coupons import CouponTerms, coupon_credits, normalized_code, validate_terms
from app.domain.errors import InvalidInput, NotAllowed, NotFound, refuses
from app.domain.people import Actor
from app.models import Coupon, Meeting
from app.services.ledger import lock_account
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@refuses(InvalidInput, NotAllowed)
async def create_coupon(runtime: Runtime, actor: Actor, code: str, terms: CouponTerms) -> Coupon:
    require_admin(actor)
    now = runtime.clock.now()
    code = normalized_code(code)
    validate_terms(terms, now)
    try:
        async with unit_of_work(runtime):
            return await Coupon.create(
                id=uuid4(),
                code=code,
                percent=terms.percent,
                credits=terms.credits,
                expires_at=terms.expires_at,
                uses_per_client=terms.uses_per_client,
                total_uses=terms.total_uses,
                created_at=now,
            )
    except IntegrityError:
        raise InvalidInput(f"a coupon {code} exists already") from None


async def redeem(client_id: UUID, code: str, price_credits: int, now: datetime) -> tuple[UUID, int]:
    """Inside the booking's unit of work: spends one use of the coupon for this client and says
    what it takes off. The client's account lock orders their own uses; the coupon's row lock
    its uses in total (on SQLite, writes are one at a time anyway)."""
    await lock_account(client_id)
    coupon = await Coupon.filter(code=normalized_code(code)).select_for_update().first()
    if coupon is None:
        raise NotFound("no such coupon")
    terms = CouponTerms(coupon.percent, coupon.credits, coupon.expires_at, coupon.uses_per_client, coupon.total_uses)
    client_uses = await Meeting.filter(client_id=client_id, coupon_id=coupon.id).count()
    credits = coupon_credits(terms, price_credits, now, client_uses=client_uses, used=coupon.used)
    await Coupon.filter(id=coupon.id).update(used=F("used") + 1)
    return coupon.id, credits
