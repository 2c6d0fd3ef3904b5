"""Platform fees, payouts and the ledger report."""

from datetime import datetime
from typing import Annotated

import strawberry

from app.domain.coupons import CouponTerms
from app.domain.payouts import PayoutStatus
from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import optional_id, parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.context import Info
from app.schema.meetings.types import Meeting
from app.schema.money.operations import (
    Coupon,
    CreateCouponInput,
    CreateCouponResult,
    DiscountMeetingInput,
    DiscountMeetingResult,
    EarningsStatement,
    EarningsStatementResult,
    ExpertFee,
    LedgerReport,
    LedgerReportResult,
    MarkPayoutFailedInput,
    MarkPayoutFailedResult,
    MarkPayoutPaidInput,
    MarkPayoutPaidResult,
    Payout,
    PayoutFilterInput,
    RequestPayoutResult,
    SetExpertFeeInput,
    SetExpertFeeResult,
)
from app.schema.pagination import Connection
from app.services import coupons, discounts, earnings, ledger_report, payouts
from app.services.discounts import DiscountSpec


async def set_expert_fee(info: Info, input: Annotated[SetExpertFeeInput, INPUT]) -> ExpertFee:
    fee = await earnings.set_expert_fee(
        info.context.runtime, viewer_of(info), parse_id(input.expert_id, "expert"), input.percent
    )
    return ExpertFee.from_domain(fee)


async def create_coupon(info: Info, input: Annotated[CreateCouponInput, INPUT]) -> Coupon:
    terms = CouponTerms(input.percent, input.credits, input.expires_at, input.uses_per_client, input.total_uses)
    return Coupon.from_model(await coupons.create_coupon(info.context.runtime, viewer_of(info), input.code, terms))


async def discount_meeting(info: Info, input: Annotated[DiscountMeetingInput, INPUT]) -> Meeting:
    viewer = viewer_of(info)
    spec = DiscountSpec(percent=input.percent, credits=input.credits, free=input.free)
    row = await discounts.discount_meeting(info.context.runtime, viewer, parse_id(input.meeting_id, "meeting"), spec)
    return Meeting.from_model(row, viewer)


async def request_payout(info: Info) -> Payout:
    return Payout.from_model(await payouts.request_payout(info.context.runtime, viewer_of(info)))


async def mark_payout_paid(info: Info, input: Annotated[MarkPayoutPaidInput, INPUT]) -> Payout:
    payout_id = parse_id(input.payout_id, "payout")
    row = await payouts.conclude_payout(
        info.context.runtime, viewer_of(info), payout_id, PayoutStatus.PAID, input.reference
    )
    return Payout.from_model(row)


async def mark_payout_failed(info: Info, input: Annotated[MarkPayoutFailedInput, INPUT]) -> Payout:
    payout_id = parse_id(input.payout_id, "payout")
    row = await payouts.conclude_payout(
        info.context.runtime, viewer_of(info), payout_id, PayoutStatus.FAILED, input.reason
    )
    return Payout.from_model(row)


async def payouts_connection(
    info: Info,
    filter: Annotated[
        PayoutFilterInput | None, strawberry.argument(description="Only payouts matching all of it.")
    ] = None,
    first: Annotated[int, FIRST] = 20,
    after: Annotated[str | None, AFTER] = None,
) -> Connection[Payout]:
    given = filter or PayoutFilterInput()
    with refusals_as_errors():
        page = await payouts.list_payouts(
            viewer_of(info), optional_id(given.expert_id, "expert"), list(given.statuses or []), first, after
        )
    return Connection.from_page(page, Payout.from_model)


async def ledger_report_of(
    info: Info,
    start: Annotated[datetime, strawberry.argument(name="from", description="The period's start (included).")],
    end: Annotated[
        datetime, strawberry.argument(name="to", description="The period's end (excluded), at most 366 days later.")
    ],
) -> LedgerReport:
    return LedgerReport.from_domain(await ledger_report.ledger_report(viewer_of(info), start, end))


async def earnings_statement(
    info: Info,
    start: Annotated[datetime, strawberry.argument(name="from", description="The period's start (included).")],
    end: Annotated[
        datetime, strawberry.argument(name="to", description="The period's end (excluded), at most 366 days later.")
    ],
    expert_id: Annotated[
        strawberry.ID | None, strawberry.argument(description="Admins: whose; experts see their own.")
    ] = None,
) -> EarningsStatement:
    viewer = viewer_of(info)
    expert = optional_id(expert_id, "expert") or viewer.user_id
    lines = await earnings.earnings_statement(viewer, expert, start, end)
    return EarningsStatement.from_lines(expert, lines)


@strawberry.type
class MoneyQueries:
    payouts = strawberry.field(
        resolver=payouts_connection,
        description="Payouts, newest first: an expert's own; admins: everyone's or one expert's.",
    )
    earnings_statement = strawberry.field(
        resolver=earnings_statement,
        graphql_type=EarningsStatementResult,
        description="An expert's earnings by meeting over a period (at most 366 days): their own, or admins' "
        "choice of expert.",
    )
    ledger_report = strawberry.field(
        resolver=ledger_report_of,
        graphql_type=LedgerReportResult,
        description="Admins: what the ledger moved in a period, and where every credit sits at its end.",
    )


@strawberry.type
class MoneyMutations:
    set_expert_fee = strawberry.mutation(
        resolver=set_expert_fee,
        graphql_type=SetExpertFeeResult,
        description="Admins: the share of an expert's charges the platform takes (from their next charge on).",
    )
    create_coupon = strawberry.mutation(
        resolver=create_coupon,
        graphql_type=CreateCouponResult,
        description="Admins: a coupon (a percentage or an amount off) clients give at booking.",
    )
    discount_meeting = strawberry.mutation(
        resolver=discount_meeting,
        graphql_type=DiscountMeetingResult,
        description="Expert: after a session, discount it or make it free; the client gets the difference "
        "back at once and is told (until the earnings are settled, 72 h after the charge).",
    )
    request_payout = strawberry.mutation(
        resolver=request_payout,
        graphql_type=RequestPayoutResult,
        description="Experts: pay out all your payable earnings now, without waiting for the weekly cycle "
        "(at least PAYOUT_MINIMUM_CREDITS).",
    )
    mark_payout_paid = strawberry.mutation(
        resolver=mark_payout_paid,
        graphql_type=MarkPayoutPaidResult,
        description="Admins: a REQUESTED payout was paid, with the payment's reference.",
    )
    mark_payout_failed = strawberry.mutation(
        resolver=mark_payout_failed,
        graphql_type=MarkPayoutFailedResult,
        description="Admins: a REQUESTED payout's payment failed; its earnings are payable again.",
    )
