"""A random walk through the use cases: book (with and without a coupon), propose (with and
without acknowledging an overlap), confirm, decline, cancel, settle, join, end, notes,
reviews, discounts, the expert's fee changed, payouts requested, run and concluded, admins
acting for either side, and the clock jumping with its timed work run (days at a time now and
then, so that earnings settle). Every step either acts or is refused with a Refusal; every
ten steps the ledger (and the admins' ledger report of it), the guard and the job table still
hold."""

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from uuid import UUID

import pytest

from app.domain import billing
from app.domain.billing import PerMinute
from app.domain.booking import Choice
from app.domain.catalog import Offering
from app.domain.coupons import CouponTerms
from app.domain.errors import Refusal
from app.domain.ledger import LedgerKind
from app.domain.meetings import (
    ACTIVE_STATUSES,
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingMode,
    MeetingStatus,
    SettlementDecision,
)
from app.domain.payouts import PayoutStatus
from app.domain.people import Actor, Side
from app.jobs.runner import JobRunner
from app.models import LedgerEntry, Meeting, Payout, ScheduledJob
from app.services import answering, booking, cancelling, catalog, coupons, discounts, earnings, payouts, sessions
from app.services.discounts import DiscountSpec
from app.services.ledger import balances_of
from app.services.ledger_report import ledger_report
from app.services.runtime import Runtime
from tests.integration.conftest import T0, Cast, make_actor
from tests.support.tables import FixedClock

STEPS = 250
START = T0 + timedelta(days=2)


@dataclass
class Walk:
    runtime: Runtime
    cast: Cast
    clock: FixedClock
    rng: random.Random
    clients: list[Actor]
    meetings: list[UUID] = field(default_factory=list)
    acted: int = 0
    coupon: str = "WALK-20"
    per_minute_service: UUID | None = None
    """A service billed per minute (2 credits, 10-minute minimum, 30-minute cap)."""

    async def pick(self) -> tuple[UUID, Actor]:
        """A meeting, mostly one still in play (among ended ones a walk would only meet
        refusals), and mostly one of its two people acting on it, else an admin or anyone."""
        active = await Meeting.filter(id__in=self.meetings, status__in=ACTIVE_STATUSES).values_list("id", flat=True)
        meeting_id = (
            UUID(str(self.rng.choice(active))) if active and self.rng.random() < 0.8 else self.rng.choice(self.meetings)
        )
        row = await Meeting.get(id=meeting_id).only("id", "client_id", "expert_id")
        anyone = [*self.clients, self.cast.expert]
        people = [Actor(UUID(str(row.client_id))), Actor(UUID(str(row.expert_id)))] * 4 + [self.cast.admin, *anyone]
        return meeting_id, self.rng.choice(people)

    async def pick_for_session(self) -> tuple[Actor, UUID]:
        meeting_id, actor = await self.pick()
        return actor, meeting_id

    def choice(self) -> Choice:
        """A start on a small grid of hours ahead, so that meetings often collide."""
        hour = self.clock.moment.replace(minute=0, second=0, microsecond=0)
        return Choice(hour + timedelta(hours=self.rng.randrange(1, 4)), 60, MeetingMode.VIDEO)

    async def step(self) -> None:
        """Meeting actions three times as likely as the money side's (fees, payouts)."""
        actions: list[Callable[[], Awaitable[object]]] = [self.book, self.propose, self.clock_jumps]
        if self.meetings:
            actions += [
                self.confirm,
                self.decline,
                self.cancel,
                self.settle,
                self.join,
                self.attend,
                self.end,
                self.follow_up,
                self.hold_session,
                self.bill,
                self.discount,
            ]
        money: list[Callable[[], Awaitable[object]]] = [self.set_fee, self.pay_out]
        if await Payout.filter(status=PayoutStatus.REQUESTED).exists():
            money.append(self.conclude_payout)
        action = self.rng.choices([*actions, *money], weights=[3] * len(actions) + [1] * len(money))[0]
        try:
            await action()
            self.acted += 1
        except Refusal:
            pass

    async def book(self) -> None:
        coupon = self.coupon if self.rng.random() < 0.3 else None
        service_id = self.cast.service_id
        if self.per_minute_service and self.rng.random() < 0.4:
            service_id = self.per_minute_service
        meeting = await booking.book_meeting(
            self.runtime, self.rng.choice(self.clients), service_id, self.choice(), coupon
        )
        self.meetings.append(meeting.id)

    async def propose(self) -> None:
        proposer = self.rng.choice([self.cast.expert, self.cast.admin])
        proposal = booking.Proposal(
            self.rng.choice(self.clients).user_id,
            self.cast.service_id,
            self.choice(),
            self.rng.choice([0, 30, 50]),
            acknowledge_overlap=self.rng.random() < 0.7,
        )
        self.meetings.append((await booking.propose_meeting(self.runtime, proposer, proposal)).id)

    async def confirm(self) -> None:
        meeting_id, actor = await self.pick()
        row = await Meeting.get(id=meeting_id)
        if self.rng.random() < 0.7:  # mostly the side whose answer is awaited
            actor = Actor(UUID(str(row.expert_id if row.client_approved else row.client_id)))
        acknowledge = self.rng.random() < 0.5
        await answering.confirm_meeting(self.runtime, actor, meeting_id, acknowledge_overlap=acknowledge)

    async def decline(self) -> None:
        meeting_id, actor = await self.pick()
        reason = self.rng.choice(list(DeclineReason))
        await answering.decline_meeting(self.runtime, actor, meeting_id, reason, None)

    async def cancel(self) -> None:
        meeting_id, actor = await self.pick()
        await cancelling.cancel_meeting(
            self.runtime,
            actor,
            meeting_id,
            reason=self.rng.choice([None, *CancelReason]),
            message=None,
            acknowledge_late_notice=self.rng.random() < 0.7,
            admin_acts_as=self.rng.choice([None, Side.CLIENT, Side.EXPERT]),
        )

    async def settle(self) -> None:
        meeting_id, actor = await self.pick()
        decision = self.rng.choice(list(SettlementDecision))
        await cancelling.settle_charge(self.runtime, actor, meeting_id, decision)

    async def join(self) -> None:
        await sessions.join_meeting(self.runtime, *await self.pick_for_session())

    async def end(self) -> None:
        await sessions.end_meeting(self.runtime, *await self.pick_for_session())

    async def follow_up(self) -> None:
        actor, meeting_id = await self.pick_for_session()
        if self.rng.random() < 0.5:
            await sessions.add_note(self.runtime, actor, meeting_id, "notes")
        else:
            await sessions.review_meeting(self.runtime, actor, meeting_id, self.rng.randint(1, 5), "")

    async def hold_session(self) -> None:
        """An agreed meeting held from start to end by both sides: charged at its end."""
        agreed = await Meeting.filter(id__in=self.meetings, status=MeetingStatus.AGREED).order_by("starts_at").first()
        if agreed is None or agreed.starts_at is None or agreed.ends_at is None:
            return await self.join()  # nothing agreed: an ordinary step instead
        if agreed.starts_at - timedelta(minutes=5) > self.clock.moment:
            self.clock.moment = agreed.starts_at - timedelta(minutes=5)
            await self.run_timed_work()
        for person in (agreed.client_id, agreed.expert_id):
            await sessions.join_meeting(self.runtime, Actor(UUID(str(person))), agreed.id)
        if agreed.rate_credits is not None and self.rng.random() < 0.8:  # billed from a few minutes in
            self.clock.moment += timedelta(minutes=self.rng.randint(1, 10))
            await sessions.mark_billable_time(self.runtime, self.cast.expert, agreed.id, billing.start)
        self.clock.moment = max(self.clock.moment, agreed.ends_at - timedelta(minutes=self.rng.choice([0, 0, 20])))
        await self.run_timed_work()

    async def bill(self) -> None:
        """Billable time started, paused or resumed on some meeting, by someone, a few minutes on."""
        meeting_id, actor = await self.pick()
        self.clock.moment += timedelta(minutes=self.rng.randint(0, 7))
        await self.run_timed_work()
        rule = self.rng.choice([billing.start, billing.pause, billing.resume])
        await sessions.mark_billable_time(self.runtime, actor, meeting_id, rule)

    async def discount(self) -> None:
        """Mostly a charged meeting, by its expert or an admin; now and then any meeting, anyone."""
        charged = await Meeting.filter(id__in=self.meetings, credit_status=CreditStatus.CHARGED).values_list(
            "id", flat=True
        )
        meeting_id, actor = await self.pick()
        if charged and self.rng.random() < 0.8:
            meeting_id = UUID(str(self.rng.choice(charged)))
            actor = self.rng.choice([self.cast.expert, self.cast.admin])
        spec = self.rng.choice(
            [
                DiscountSpec(percent=self.rng.randint(1, 100)),
                DiscountSpec(credits=self.rng.randint(1, 60)),
                DiscountSpec(free=True),
            ]
        )
        await discounts.discount_meeting(self.runtime, actor, meeting_id, spec)

    async def set_fee(self) -> None:
        percent = self.rng.choice([None, 0, 10, 15, 33, 100])
        await earnings.set_expert_fee(self.runtime, self.cast.admin, self.cast.expert.user_id, percent)

    async def pay_out(self) -> None:
        if self.rng.random() < 0.5:
            await payouts.request_payout(self.runtime, self.cast.expert)
        else:  # the weekly cycle's work (it pays nobody below the minimum: no refusal then)
            await payouts.pay_out_all(self.runtime, self.clock.moment)

    async def conclude_payout(self) -> None:
        requested = await Payout.filter(status=PayoutStatus.REQUESTED).values_list("id", flat=True)
        outcome = self.rng.choice([PayoutStatus.PAID, PayoutStatus.FAILED])
        payout_id = UUID(str(self.rng.choice(requested)))
        await payouts.conclude_payout(self.runtime, self.cast.admin, payout_id, outcome, "walk")

    async def clock_jumps(self) -> None:
        minutes = self.rng.choice([1, 5, 11, 30, 60, 60, 24 * 60, 73 * 60])
        self.clock.moment += timedelta(minutes=minutes)
        await self.run_timed_work()

    async def attend(self) -> None:
        """Into a meeting's join window, where a walk of small steps would rarely land, and in."""
        meeting_id, actor = await self.pick()
        starts_at = (await Meeting.get(id=meeting_id)).starts_at
        if starts_at is not None and starts_at - timedelta(minutes=5) > self.clock.moment:
            self.clock.moment = starts_at - timedelta(minutes=5)
            await self.run_timed_work()
        await sessions.join_meeting(self.runtime, actor, meeting_id)

    async def run_timed_work(self) -> None:
        runner = JobRunner(self.runtime)
        while await runner.run_due():
            pass


async def assert_still_consistent(walk: Walk, granted: int) -> None:
    """Credits are conserved and each meeting's entries match its credit status; no two
    active, unacknowledged meetings of the expert overlap; no timed job has failed."""
    everyone = [*walk.clients, walk.cast.expert]
    balances = [await balances_of(person.user_id) for person in everyone]
    assert all(b.available >= 0 and b.blocked >= 0 for b in balances), balances
    # Every credit granted is where the admins' report says, and it finds nothing wrong.
    everything = await ledger_report(walk.cast.admin, T0 - timedelta(days=1), walk.clock.moment + timedelta(seconds=1))
    assert everything.position.balanced, everything.position.problems
    assert everything.position.granted == granted
    assert sum(b.available + b.blocked + b.held_for_requests for b in balances) == everything.position.held_by_clients
    rows = await Meeting.all()
    for row in rows:
        kinds = [
            str(k)
            for k in await LedgerEntry.filter(meeting_id=row.id, user_id=row.client_id).values_list("kind", flat=True)
        ]
        held = kinds.count(LedgerKind.BLOCK) - kinds.count(LedgerKind.RELEASE) - kinds.count(LedgerKind.CHARGE)
        assert held == (1 if row.credit_status == CreditStatus.BLOCKED and row.price_credits else 0), (row.id, kinds)
        charged = row.credit_status == CreditStatus.CHARGED and row.price_credits > 0
        assert kinds.count(LedgerKind.CHARGE) == (1 if charged else 0), (row.id, kinds)
    guarded = [
        (row.id, row.starts_at, row.ends_at)
        for row in rows
        if row.status in ACTIVE_STATUSES and not row.overlap_acknowledged and row.starts_at and row.ends_at
    ]
    for a_id, a_starts, a_ends in guarded:
        for b_id, b_starts, b_ends in guarded:
            assert a_id == b_id or not (a_starts < b_ends and b_starts < a_ends), (a_id, b_id)
    failed = await ScheduledJob.exclude(last_error=None).values_list("kind", "last_error")
    assert failed == [], failed


@pytest.mark.parametrize("seed", range(4))
async def test_a_random_walk_through_the_use_cases_only_acts_or_refuses(
    runtime: Runtime, cast: Cast, clock: FixedClock, seed: int
) -> None:
    second_client = await make_actor(runtime, cast.admin, credits=120)  # runs short now and then
    per_minute = PerMinute(rate_credits=2, minimum_minutes=10, cap_minutes=30)
    per_minute_service = await catalog.create_service(
        runtime,
        cast.expert,
        catalog.NewService("Per minute", "", [Offering(60, 0)], [MeetingMode.VIDEO], per_minute=per_minute),
    )
    terms = CouponTerms(percent=20, credits=None, expires_at=START + timedelta(days=3), uses_per_client=3, total_uses=8)
    await coupons.create_coupon(runtime, cast.admin, "WALK-20", terms)
    # A low payout minimum, so that the walk's few charges reach it now and then.
    settings = runtime.settings.model_copy(update={"payout_minimum_credits": 20})
    walk = Walk(replace(runtime, settings=settings), cast, clock, random.Random(seed), [cast.client, second_client])
    walk.per_minute_service = per_minute_service.id
    clock.moment = START - timedelta(hours=30)
    granted = 500 + 120
    for step in range(1, STEPS + 1):
        await walk.step()
        if step % 10 == 0:
            await assert_still_consistent(walk, granted)
    # A walk that mostly bounced off refusals would prove little. Ids are random, so a seed's
    # walk varies: 60 to 90 of 250 steps acted across runs, among them sessions held and
    # charged, discounts, settlements, payouts and their conclusions.
    assert walk.acted > STEPS // 5
