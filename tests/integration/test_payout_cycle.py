"""The weekly payout cycle plans itself: once at start-up, then each run plans the next."""

from datetime import UTC, datetime

from app.domain.schedule import JobKind
from app.models import ScheduledJob
from app.models.jobs import JobStatus
from app.services.payouts import plan_payout_cycle, run_payout_cycle
from app.services.runtime import Runtime
from tests.support.tables import FixedClock


async def planned_cycles() -> list[datetime]:
    jobs = ScheduledJob.filter(kind=JobKind.PAYOUT_CYCLE, status=JobStatus.PENDING)
    return [job.due_at for job in await jobs.order_by("due_at")]


async def test_start_up_plans_one_cycle_and_each_cycle_the_next(runtime: Runtime, clock: FixedClock) -> None:
    clock.moment = datetime(2026, 12, 9, 15, 0, tzinfo=UTC)  # a Wednesday
    await plan_payout_cycle(runtime)
    await plan_payout_cycle(runtime)  # a second process starting: still one
    assert await planned_cycles() == [datetime(2026, 12, 14, tzinfo=UTC)]

    await ScheduledJob.filter(kind=JobKind.PAYOUT_CYCLE).update(status=JobStatus.DONE)
    await run_payout_cycle(runtime, datetime(2026, 12, 14, tzinfo=UTC))
    assert await planned_cycles() == [datetime(2026, 12, 21, tzinfo=UTC)]
