"""Payouts of experts' payable earnings: the weekly cycle, early requests, and their conclusion.

Every payout is made under the expert's account lock with the payable balance read inside it,
so two cycles (or a cycle and an early request) running at once, in one process or several,
pay each credit out once. No payment provider is wired in: a payout waits as REQUESTED for an
admin to pay it and mark it PAID (with the payment's reference) or FAILED (its earnings are
payable again). See README: Money.
"""

from contextlib import suppress
from datetime import datetime
from uuid import UUID, uuid4

from tortoise.expressions import Q

from app.domain.access import default_owner, is_self_or_admin, require_admin
from app.domain.errors import InvalidInput, InvalidState, NotAllowed, NotFound, refuses
from app.domain.ledger import LedgerKind
from app.domain.payouts import (
    PayoutStatus,
    conclusion_moves,
    next_payout_cycle,
    payout_amount,
    payout_moves,
    validate_payout_note,
)
from app.domain.people import Actor
from app.domain.schedule import JobKind
from app.models import ExpertProfile, LedgerEntry, Payout, ScheduledJob
from app.models.jobs import JobStatus
from app.services.ledger import balances_of, lock_account, write_account_moves
from app.services.pagination import NOT_A_CURSOR, Page, decode_time_cursor, encode_cursor, validate_page_size
from app.services.payout_provider import PayoutOrder
from app.services.runtime import Runtime
from app.services.unit_of_work import UnitOfWork, unit_of_work


@refuses(InvalidState, NotAllowed)
async def request_payout(runtime: Runtime, actor: Actor) -> Payout:
    """An expert's early payout of all their payable earnings, above the minimum."""
    if not await ExpertProfile.filter(user_id=actor.user_id).exists():
        raise NotAllowed("only an expert has earnings to pay out")
    async with unit_of_work(runtime) as uow:
        return await _pay_out(uow, actor.user_id, runtime.clock.now(), early=True)


async def _pay_out(uow: UnitOfWork, expert_id: UUID, now: datetime, *, early: bool) -> Payout:
    """Inside a unit of work: the expert's payable earnings into a new payout, handed to the
    payout provider once it commits."""
    await lock_account(expert_id)
    balances = await balances_of(expert_id)
    amount = payout_amount(balances.payable_earnings, uow.runtime.settings.payout_minimum_credits)
    payout = await Payout.create(
        id=uuid4(), expert_id=expert_id, amount=amount, status=PayoutStatus.REQUESTED, early=early, requested_at=now
    )
    await write_account_moves(payout_moves(amount), user_id=expert_id, now=now, payout_id=payout.id)
    uow.plan_jobs(
        ScheduledJob(kind=JobKind.SEND_PAYOUT, payout_id=payout.id, meeting_version=0, due_at=now, created_at=now)
    )
    return payout


async def send_to_provider(runtime: Runtime, payout_id: UUID) -> None:
    """The SEND_PAYOUT job: a REQUESTED payout to the provider; PAID with its reference when it
    pays (by default it leaves the payout for an admin). Outside any transaction: a provider
    that raises is retried by the job runner, and gets the payout's id to pay it once."""
    payout = await Payout.filter(id=payout_id).select_related("expert").first()
    if payout is None or payout.status is not PayoutStatus.REQUESTED:
        return
    order = PayoutOrder(payout.id, payout.expert_id, payout.expert.email, payout.amount)
    reference = await runtime.payout_provider.pay(order)
    if reference is not None:
        with suppress(InvalidState):  # an admin concluded it meanwhile
            await _conclude(runtime, payout_id, PayoutStatus.PAID, validate_payout_note(reference, "a reference"))


async def pay_out_all(runtime: Runtime, now: datetime) -> list[Payout]:
    """A payout for every expert whose payable earnings reach the minimum, each in a unit of
    work of its own (`python -m app run-payouts`, and the weekly cycle)."""
    made = []
    for expert_id in await _experts_with_settled_earnings():
        try:
            async with unit_of_work(runtime) as uow:
                made.append(await _pay_out(uow, expert_id, now, early=False))
        except InvalidState:
            continue  # below the minimum (or paid out just now by a run beside this one)
    return made


async def run_payout_cycle(runtime: Runtime, now: datetime) -> None:
    """The weekly cycle: everyone's payouts, then the next cycle."""
    await pay_out_all(runtime, now)
    async with unit_of_work(runtime) as uow:
        uow.plan_jobs(_next_cycle(now))


async def _experts_with_settled_earnings() -> list[UUID]:
    rows = await LedgerEntry.filter(kind=LedgerKind.SETTLED).distinct().values_list("user_id", flat=True)
    return sorted(UUID(str(row)) for row in rows)


def _next_cycle(now: datetime) -> ScheduledJob:
    return ScheduledJob(kind=JobKind.PAYOUT_CYCLE, meeting_version=0, due_at=next_payout_cycle(now), created_at=now)


async def plan_payout_cycle(runtime: Runtime) -> None:
    """At start-up: the next weekly cycle, unless one is planned. (Two processes starting at
    once on PostgreSQL may both plan it; then two cycles run each week, and the second finds
    nothing payable: a credit is paid out once either way.)"""
    async with unit_of_work(runtime) as uow:
        pending = [JobStatus.PENDING, JobStatus.RUNNING]
        if await ScheduledJob.filter(kind=JobKind.PAYOUT_CYCLE, status__in=pending).exists():
            return
        now = runtime.clock.now()
        uow.plan_jobs(_next_cycle(now))


@refuses(InvalidInput, InvalidState, NotAllowed, NotFound)
async def conclude_payout(runtime: Runtime, actor: Actor, payout_id: UUID, outcome: PayoutStatus, note: str) -> Payout:
    """Admins: a requested payout PAID (`note`: the payment's reference) or FAILED (`note`:
    why; its earnings are payable again)."""
    require_admin(actor)
    note = validate_payout_note(note, "a reference" if outcome is PayoutStatus.PAID else "a reason")
    return await _conclude(runtime, payout_id, outcome, note)


async def _conclude(runtime: Runtime, payout_id: UUID, outcome: PayoutStatus, note: str) -> Payout:
    async with unit_of_work(runtime):
        payout = await Payout.filter(id=payout_id).select_for_update().first()
        if payout is None:
            raise NotFound("no such payout")
        moves = conclusion_moves(payout.status, outcome, payout.amount)
        now = runtime.clock.now()
        payout.status = outcome
        payout.concluded_at = now
        if outcome is PayoutStatus.PAID:
            payout.reference = note
        else:
            payout.failure_reason = note
        await payout.save(update_fields=["status", "concluded_at", "reference", "failure_reason"])
        await write_account_moves(moves, user_id=payout.expert_id, now=now, payout_id=payout.id)
    return payout


@refuses(InvalidInput, NotAllowed)
async def list_payouts(
    actor: Actor, expert_id: UUID | None, statuses: list[PayoutStatus], first: int, after: str | None
) -> Page[Payout]:
    """Newest first: an expert's own payouts; an admin's choice of expert, or everyone's."""
    validate_page_size(first)
    if expert_id is None:
        expert_id = default_owner(actor)
    if expert_id is not None and not is_self_or_admin(actor, expert_id):
        raise NotAllowed("you may only see your own payouts")
    query = Payout.all() if expert_id is None else Payout.filter(expert_id=expert_id)
    if statuses:
        query = query.filter(status__in=statuses)
    if after is not None:
        requested_at, after_id = decode_time_cursor(after)
        if requested_at is None:
            raise InvalidInput(NOT_A_CURSOR)
        query = query.filter(Q(requested_at__lt=requested_at) | Q(requested_at=requested_at, id__lt=after_id))
    rows = await query.order_by("-requested_at", "-id").limit(first + 1)
    items = [(encode_cursor(row.requested_at.isoformat(), str(row.id)), row) for row in rows[:first]]
    return Page(items=items, has_next_page=len(rows) > first, has_previous_page=after is not None)
