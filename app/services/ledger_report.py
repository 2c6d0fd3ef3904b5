"""The admins' ledger report: what moved in a period, and where every credit sits at its end."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from app.domain.access import require_admin
from app.domain.errors import InvalidInput, NotAllowed, refuses
from app.domain.ledger import LedgerKind, LedgerPosition, ledger_position, validate_report_range
from app.domain.payouts import PayoutStatus
from app.domain.people import Actor
from app.models import LedgerEntry, Payout


@dataclass(frozen=True)
class KindTotal:
    kind: LedgerKind
    entries: int
    amount: int


@dataclass(frozen=True)
class LedgerReport:
    start: datetime
    end: datetime
    totals: list[KindTotal]
    """Entries written in [start, end), per kind (kinds with none are left out)."""
    position: LedgerPosition
    """Every entry before `end`."""


@refuses(InvalidInput, NotAllowed)
async def ledger_report(actor: Actor, start: datetime, end: datetime) -> LedgerReport:
    """Sums in the database (GROUP BY): the cost grows with the entries, never with the caller's
    range beyond the 366 days it may ask for."""
    require_admin(actor)
    validate_report_range(start, end)
    in_period = (
        await LedgerEntry.filter(created_at__gte=start, created_at__lt=end)
        .annotate(entries=Count("id"), amount=Sum("amount"))
        .group_by("kind")
        .values("kind", "entries", "amount")
    )
    totals = sorted(
        (KindTotal(LedgerKind(row["kind"]), int(row["entries"]), int(row["amount"])) for row in in_period),
        key=lambda total: list(LedgerKind).index(total.kind),
    )
    per_account: dict[str, dict[LedgerKind, int]] = defaultdict(dict)
    rows = (
        await LedgerEntry.filter(created_at__lt=end)
        .annotate(amount=Sum("amount"))
        .group_by("user_id", "kind")
        .values("user_id", "kind", "amount")
    )
    for row in rows:
        per_account[str(row["user_id"])][LedgerKind(row["kind"])] = int(row["amount"])
    return LedgerReport(start, end, totals, ledger_position(per_account.items(), await _in_payouts(end)))


async def _in_payouts(end: datetime) -> int:
    """What the payouts made before `end` and not failed by then add up to."""
    not_failed_by_then = Q(status__not=PayoutStatus.FAILED) | Q(concluded_at__gte=end)
    made = Payout.filter(not_failed_by_then, requested_at__lt=end)
    rows = await made.annotate(amount=Sum("amount")).values("amount")
    return int(rows[0]["amount"] or 0) if rows else 0


CSV_HEADER = ("row", "kind", "entries", "credits")


def report_rows(report: LedgerReport) -> list[tuple[str, str, str, str]]:
    """The report as CSV rows: the period's totals per kind, then the position at its end."""
    position = report.position
    rows = [("period", total.kind.value, str(total.entries), str(total.amount)) for total in report.totals]
    rows += [
        ("position", name, "", str(value))
        for name, value in (
            ("granted", position.granted),
            ("held_by_clients", position.held_by_clients),
            ("pending_earnings", position.pending_earnings),
            ("payable_earnings", position.payable_earnings),
            ("paid_out", position.paid_out),
            ("platform_revenue", position.platform_revenue),
        )
    ]
    rows += [("problem", problem, "", "") for problem in position.problems]
    return rows
