"""The weekly payout cycle plans itself: once at start-up, then each run plans the next; a
payout provider pays what is requested, once."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from app.domain.ledger import LedgerKind
from app.domain.payouts import PayoutStatus
from app.domain.people import Actor
from app.domain.schedule import JobKind
from app.jobs.runner import JobRunner
from app.models import LedgerEntry, Payout, ScheduledJob
from app.models.jobs import JobStatus
from app.services import payouts
from app.services.payout_provider import PayoutOrder
from app.services.payouts import plan_payout_cycle, run_payout_cycle
from app.services.runtime import Runtime
from tests.integration.conftest import Cast
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


@dataclass
class Bank:
    """A payout provider that pays (or fails to, `down`) and remembers what it was asked."""

    down: bool = False
    paid: list[PayoutOrder] = field(default_factory=list)

    async def pay(self, order: PayoutOrder) -> str | None:
        if self.down:
            raise ConnectionError("the bank is down")
        self.paid.append(order)
        return f"BANK-{len(self.paid)}"


async def with_payable(runtime: Runtime, expert: Actor, credits: int) -> None:
    """Settled earnings, written as the settlement job would."""
    for kind in (LedgerKind.EARNING, LedgerKind.SETTLED):
        await LedgerEntry.create(user_id=expert.user_id, kind=kind, amount=credits, created_at=runtime.clock.now())


async def run_jobs(runtime: Runtime) -> None:
    runner = JobRunner(runtime)
    while await runner.run_due():
        pass


async def test_a_payout_provider_pays_a_requested_payout_once(runtime: Runtime, cast: Cast) -> None:
    bank = Bank()
    paying = replace(runtime, payout_provider=bank)
    await with_payable(paying, cast.expert, 150)
    requested = await payouts.request_payout(paying, cast.expert)
    await run_jobs(paying)
    payout = await Payout.get(id=requested.id)
    assert (payout.status, payout.reference) == (PayoutStatus.PAID, "BANK-1")
    assert [(order.payout_id, order.credits) for order in bank.paid] == [(requested.id, 150)]
    await run_jobs(paying)  # nothing left to do: paid once
    assert len(bank.paid) == 1


async def test_by_default_a_payout_waits_for_an_admin_and_a_provider_that_fails_is_retried(
    runtime: Runtime, cast: Cast, clock: FixedClock
) -> None:
    await with_payable(runtime, cast.expert, 150)
    waiting = await payouts.request_payout(runtime, cast.expert)
    await run_jobs(runtime)
    assert (await Payout.get(id=waiting.id)).status is PayoutStatus.REQUESTED  # AdminPays

    bank = Bank(down=True)
    await payouts.conclude_payout(runtime, cast.admin, waiting.id, PayoutStatus.FAILED, "to a bank now")
    flaky = replace(runtime, payout_provider=bank)
    retried = await payouts.request_payout(flaky, cast.expert)
    await run_jobs(flaky)
    assert (await Payout.get(id=retried.id)).status is PayoutStatus.REQUESTED
    bank.down = False
    clock.moment += timedelta(minutes=1)  # the job's retry is due
    await run_jobs(flaky)
    assert (await Payout.get(id=retried.id)).reference == "BANK-1"
