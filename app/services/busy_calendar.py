"""Busy times imported from an expert's own calendar (.ics). Importing again replaces them."""

from datetime import timedelta
from uuid import UUID

from app.domain.errors import InvalidInput, LimitExceeded, NotAllowed, NotFound, refuses
from app.domain.people import Actor
from app.models import BusyBlock
from app.services.availability import managed_profile
from app.services.calendar_parsing import busy_intervals_bounded
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@refuses(InvalidInput, LimitExceeded, NotAllowed, NotFound)
async def import_busy_calendar(runtime: Runtime, actor: Actor, expert_id: UUID | None, ics_text: str) -> int:
    """Replaces the expert's busy blocks with the calendar's events up to their horizon."""
    now = runtime.clock.now()
    profile = await managed_profile(actor, expert_id)
    await profile.fetch_related("user")
    # Read outside the transaction and off the event loop (calendar_parsing.py says why).
    intervals = await busy_intervals_bounded(
        ics_text,
        profile.user.time_zone,
        now - timedelta(days=1),
        now + timedelta(days=profile.horizon_days + 1),
    )
    async with unit_of_work(runtime) as uow:
        profile = await managed_profile(actor, expert_id)
        uow.changed_expert(profile.user_id)
        await BusyBlock.filter(expert_id=profile.user_id).delete()
        await BusyBlock.bulk_create(
            [BusyBlock(expert_id=profile.user_id, starts_at=i.starts_at, ends_at=i.ends_at) for i in intervals]
        )
    return len(intervals)
