"""Where payouts leave the platform: a payment provider, or an admin by hand (the default).

A provider pays a REQUESTED payout and answers the payment's reference; the payout is then
PAID as if an admin had marked it. The default provider pays nothing and answers None: the
payout waits for an admin to pay it and mark it (markPayoutPaid / markPayoutFailed). A real
one (a bank's or a payment service's API) is a class with `pay`, set as the runtime's
`payout_provider`; it is called from a job after the payout's
transaction commits, and a provider that raises is retried by the job runner.
"""

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID


@dataclass(frozen=True)
class PayoutOrder:
    payout_id: UUID
    """Also the idempotency key to give the provider: a retried job must not pay twice."""
    expert_id: UUID
    expert_email: str
    credits: int


class PayoutProvider(Protocol):
    async def pay(self, order: PayoutOrder) -> str | None:
        """The payment's reference once paid; None: left for an admin."""
        ...


class AdminPays:
    """The default: payouts are recorded for an admin to pay (docs/money.md)."""

    async def pay(self, order: PayoutOrder) -> str | None:
        return None
