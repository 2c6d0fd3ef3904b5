"""What the money operations take and answer."""

from datetime import datetime
from uuid import UUID

import strawberry

from app import models
from app.schema.enums import LedgerKind, PayoutStatus
from app.schema.meetings.types import Meeting
from app.schema.results import result_of
from app.services import coupons, discounts, earnings, ledger_report, payouts


@strawberry.input(description="Admins: an expert's own platform fee, or back to the platform's.")
class SetExpertFeeInput:
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    percent: int | None = strawberry.field(
        description="0-100, taken from each of their charges from the next one on; null: the platform's "
        "(PLATFORM_FEE_PERCENT)."
    )


@strawberry.type(description="The share of an expert's charges the platform takes.")
class ExpertFee:
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    own_percent: int | None = strawberry.field(description="Set by an admin for them; null: the platform's.")
    percent: int = strawberry.field(description="What their next charge pays the platform, in percent (rounded down).")

    @classmethod
    def from_domain(cls, fee: earnings.ExpertFee) -> "ExpertFee":
        return cls(expert_id=strawberry.ID(str(fee.expert_id)), own_percent=fee.own_percent, percent=fee.percent)


SetExpertFeeResult = result_of("SetExpertFeeResult", ExpertFee, earnings.set_expert_fee)


@strawberry.type(description="An expert's payable earnings on their way out (README: Money).")
class Payout:
    id: strawberry.ID = strawberry.field(description="The payout's id.")
    expert_id: strawberry.ID = strawberry.field(description="Whose earnings.")
    amount: int = strawberry.field(description="Credits paid out.")
    status: PayoutStatus = strawberry.field(description="REQUESTED until an admin marks it PAID or FAILED.")
    early: bool = strawberry.field(
        description="The expert asked for it (requestPayout); else the weekly cycle made it."
    )
    reference: str | None = strawberry.field(description="The payment's reference, once PAID.")
    failure_reason: str | None = strawberry.field(description="Why the payment failed, once FAILED.")
    requested_at: datetime = strawberry.field(description="When it was made.")
    concluded_at: datetime | None = strawberry.field(description="When it was marked PAID or FAILED.")

    @classmethod
    def from_model(cls, row: models.Payout) -> "Payout":
        return cls(
            id=strawberry.ID(str(row.id)),
            expert_id=strawberry.ID(str(row.expert_id)),
            amount=row.amount,
            status=row.status,
            early=row.early,
            reference=row.reference,
            failure_reason=row.failure_reason,
            requested_at=row.requested_at,
            concluded_at=row.concluded_at,
        )


@strawberry.input(description="Admins: a payout was paid.")
class MarkPayoutPaidInput:
    payout_id: strawberry.ID = strawberry.field(description="A REQUESTED payout.")
    reference: str = strawberry.field(description="The payment's reference (1-200 characters).")


@strawberry.input(description="Admins: a payout's payment failed; its earnings become payable again.")
class MarkPayoutFailedInput:
    payout_id: strawberry.ID = strawberry.field(description="A REQUESTED payout.")
    reason: str = strawberry.field(description="Why it failed (1-200 characters).")


@strawberry.input(description="Only payouts matching all of it.")
class PayoutFilterInput:
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins: this expert's; experts see only their own anyway."
    )
    statuses: list[PayoutStatus] | None = strawberry.field(default=None, description="Any of these statuses.")


RequestPayoutResult = result_of("RequestPayoutResult", Payout, payouts.request_payout)
MarkPayoutPaidResult = result_of("MarkPayoutPaidResult", Payout, payouts.conclude_payout)
MarkPayoutFailedResult = result_of("MarkPayoutFailedResult", Payout, payouts.conclude_payout)


@strawberry.type(description="The entries of one kind written in the report's period.")
class LedgerKindTotal:
    kind: LedgerKind = strawberry.field(description="What they moved.")
    entries: int = strawberry.field(description="How many.")
    credits: int = strawberry.field(description="Their sum.")


@strawberry.type(
    description="Admins: what the ledger moved in a period, and where every credit sits at its end "
    "(README: Money). Also as CSV: GET /ledger-report.csv?from=…&to=… with an admin's bearer token."
)
class LedgerReport:
    start: datetime = strawberry.field(name="from", description="The period's start (included).")
    end: datetime = strawberry.field(name="to", description="The period's end (excluded).")
    totals: list[LedgerKindTotal] = strawberry.field(description="Per kind, the kinds written in the period.")
    granted: int = strawberry.field(description="At `to`: every credit ever granted.")
    held_by_clients: int = strawberry.field(description="At `to`: clients' available, blocked and held credits.")
    pending_earnings: int = strawberry.field(description="At `to`: experts' earnings not yet settled.")
    payable_earnings: int = strawberry.field(description="At `to`: experts' settled earnings not in a payout.")
    paid_out: int = strawberry.field(description="At `to`: earnings in payouts requested or paid.")
    platform_revenue: int = strawberry.field(description="At `to`: the platform's fees.")
    balanced: bool = strawberry.field(
        description="The invariant holds: granted = held by clients + pending + payable + paid out + platform "
        "revenue; no balance is negative; paid out agrees with the payouts."
    )
    problems: list[str] = strawberry.field(description="What breaks it, when it does not hold; empty otherwise.")

    @classmethod
    def from_domain(cls, report: ledger_report.LedgerReport) -> "LedgerReport":
        position = report.position
        return cls(
            start=report.start,
            end=report.end,
            totals=[LedgerKindTotal(kind=t.kind, entries=t.entries, credits=t.amount) for t in report.totals],
            granted=position.granted,
            held_by_clients=position.held_by_clients,
            pending_earnings=position.pending_earnings,
            payable_earnings=position.payable_earnings,
            paid_out=position.paid_out,
            platform_revenue=position.platform_revenue,
            balanced=position.balanced,
            problems=list(position.problems),
        )


LedgerReportResult = result_of("LedgerReportResult", LedgerReport, ledger_report.ledger_report)


@strawberry.input(
    description="Expert: return part or all of a charged meeting's price to the client, once, until its "
    "earnings are settled (SETTLEMENT_DELAY_HOURS after the charge). Give exactly one of percent, credits or free."
)
class DiscountMeetingInput:
    meeting_id: strawberry.ID = strawberry.field(description="A CHARGED meeting of yours.")
    percent: int | None = strawberry.field(default=None, description="1-100 % of the price, rounded down.")
    credits: int | None = strawberry.field(default=None, description="An amount, up to the price.")
    free: bool = strawberry.field(default=False, description="All of it: the session costs nothing.")


DiscountMeetingResult = result_of("DiscountMeetingResult", Meeting, discounts.discount_meeting)


@strawberry.input(description="Admins: a coupon clients give at booking (bookMeeting's couponCode).")
class CreateCouponInput:
    code: str = strawberry.field(description="4-32 letters, digits or dashes; compared without case.")
    percent: int | None = strawberry.field(default=None, description="1-100 % off the price, rounded down.")
    credits: int | None = strawberry.field(default=None, description="Or credits off the price (at most all of it).")
    expires_at: datetime = strawberry.field(description="Refused from then on (TOO_LATE).")
    uses_per_client: int = strawberry.field(default=1, description="How often one client may use it.")
    total_uses: int | None = strawberry.field(
        default=None, description="How often it may be used in all; null: no limit."
    )


@strawberry.type(description="An admin's coupon.")
class Coupon:
    id: strawberry.ID = strawberry.field(description="The coupon's id.")
    coupon_code: str = strawberry.field(
        description="What clients type (bookMeeting's couponCode), in upper case. Not `code`, which every "
        "Problem in the same result union has with another type."
    )
    percent: int | None = strawberry.field(description="Percent off, or null.")
    credits: int | None = strawberry.field(description="Credits off, or null.")
    expires_at: datetime = strawberry.field(description="When it stops working.")
    uses_per_client: int = strawberry.field(description="How often one client may use it.")
    total_uses: int | None = strawberry.field(description="How often it may be used in all; null: no limit.")
    used: int = strawberry.field(description="How often it was used.")

    @classmethod
    def from_model(cls, row: models.Coupon) -> "Coupon":
        return cls(
            id=strawberry.ID(str(row.id)),
            coupon_code=row.code,
            percent=row.percent,
            credits=row.credits,
            expires_at=row.expires_at,
            uses_per_client=row.uses_per_client,
            total_uses=row.total_uses,
            used=row.used,
        )


CreateCouponResult = result_of("CreateCouponResult", Coupon, coupons.create_coupon)


@strawberry.type(description="What one meeting moved on an expert's account in the statement's period.")
class StatementLine:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    first_entry_at: datetime = strawberry.field(description="When its first entry in the period was written.")
    earned_credits: int = strawberry.field(description="Earnings, less what discounts took back.")
    fee_credits: int = strawberry.field(description="The platform's fee, less what discounts gave back.")
    settled_credits: int = strawberry.field(description="Earnings that became payable.")


@strawberry.type(description="An expert's earnings by meeting over a period (payouts: the `payouts` query).")
class EarningsStatement:
    expert_id: strawberry.ID = strawberry.field(description="The expert.")
    lines: list[StatementLine] = strawberry.field(
        description="One per meeting with entries in the period, oldest first."
    )
    earned_credits: int = strawberry.field(description="The lines' earnings.")
    fee_credits: int = strawberry.field(description="The lines' fees.")
    settled_credits: int = strawberry.field(description="The lines' settled earnings.")

    @classmethod
    def from_lines(cls, expert_id: UUID, lines: list[earnings.StatementLine]) -> "EarningsStatement":
        return cls(
            expert_id=strawberry.ID(str(expert_id)),
            lines=[
                StatementLine(
                    meeting_id=strawberry.ID(str(line.meeting_id)),
                    first_entry_at=line.first_entry_at,
                    earned_credits=line.earned,
                    fee_credits=line.fee,
                    settled_credits=line.settled,
                )
                for line in lines
            ],
            earned_credits=sum(line.earned for line in lines),
            fee_credits=sum(line.fee for line in lines),
            settled_credits=sum(line.settled for line in lines),
        )


EarningsStatementResult = result_of("EarningsStatementResult", EarningsStatement, earnings.earnings_statement)
