"""After a session, its expert may discount it or make it free (domain/meetings.discount)."""

from dataclasses import dataclass
from uuid import UUID

from app.domain import meetings as rules
from app.domain.access import acting_side
from app.domain.errors import InvalidInput, InvalidState, NotAllowed, NotFound, TooLate, refuses
from app.domain.ledger import LedgerKind
from app.domain.people import Actor, Side
from app.models import Meeting
from app.services import effects, meeting_repository
from app.services.ledger import kind_totals
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@dataclass(frozen=True)
class DiscountSpec:
    """Exactly one: a percentage of the price, an amount of credits, or free."""

    percent: int | None = None
    credits: int | None = None
    free: bool = False


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound, TooLate)
async def discount_meeting(runtime: Runtime, actor: Actor, meeting_id: UUID, spec: DiscountSpec) -> Meeting:
    """The client gets the discount back at once; the meeting's lock orders it with the
    settlement of its earnings, which ends the time to discount."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        meeting = await meeting_repository.get_for_update(meeting_id)
        before = meeting.state
        side = acting_side(actor, meeting.parties, Side.EXPERT)
        amount = rules.discount_amount(before.price_credits, percent=spec.percent, credits=spec.credits, free=spec.free)
        settled = LedgerKind.SETTLED in await kind_totals(meeting_id=meeting_id)
        outcome = rules.discount(before, side, amount, settled=settled)
        meeting = await meeting_repository.save(meeting, outcome.state, now)
        await effects.record(uow, effects.Change(meeting, before, outcome, actor, side, now))
    return meeting.row
