"""Money beyond the booking price, over HTTP: the platform's fee on every charge, payouts."""

import asyncio
import csv
import io
import sys
from asyncio.subprocess import PIPE
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from app.models import LedgerEntry, ScheduledJob
from tests.api.test_refusals import UNKNOWN_ID, assert_refused
from tests.support.factories import (
    CANCEL,
    CONFIRM,
    SETTLE,
    Person,
    act,
    balance,
    book,
    earnings,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api
from tests.support.server import ROOT, RunningServer, ServerClock
from tests.support.tables import ledger_of
from tests.support.waiting import eventually

SET_FEE = """
mutation($input: SetExpertFeeInput!) {
  setExpertFee(input: $input) {
    __typename ... on ExpertFee { expertId ownPercent percent } ... on Problem { code message }
  }
}"""


async def expert_ledger(expert: Person) -> list[tuple[str, int]]:
    rows = await LedgerEntry.filter(user_id=expert.id).order_by("id").values_list("kind", "amount")
    return [(str(kind), int(amount)) for kind, amount in rows]


async def set_fee(api: Api, token: str, expert: Person | str, percent: int | None) -> dict[str, object]:
    expert_id = expert.id if isinstance(expert, Person) else expert
    data = await api.query(SET_FEE, {"input": {"expertId": expert_id, "percent": percent}}, token)
    result: dict[str, object] = data["setExpertFee"]
    return result


async def charged_late_cancellation(
    api: Api, client: Person, expert: Person, service_id: str, starts_at: str | None = None
) -> str:
    """A meeting of 50 credits (by default 20 hours from now) the client cancelled late and the
    expert charged."""
    meeting = await book(api, client, service_id, starts_at or hours_from_now(20))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    await act(api, CANCEL, client, meetingId=meeting["id"], acknowledgeLateNotice=True)
    charged = await act(api, SETTLE, expert, meetingId=meeting["id"], decision="CHARGE")
    assert charged["creditStatus"] == "CHARGED", charged
    return str(meeting["id"])


async def test_each_charge_pays_the_platform_its_fee_and_the_expert_the_rest(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    first = await charged_late_cancellation(api, client, expert, service_id)
    assert await ledger_of(first) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)]

    assert await set_fee(api, server.admin_token, expert, 20) == {
        "__typename": "ExpertFee",
        "expertId": expert.id,
        "ownPercent": 20,
        "percent": 20,
    }
    second = await charged_late_cancellation(api, client, expert, service_id)
    assert await ledger_of(second) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 40), ("PLATFORM_FEE", 10)]
    assert await ledger_of(first) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)]

    await set_fee(api, server.admin_token, expert, 0)
    third = await charged_late_cancellation(api, client, expert, service_id)
    assert await ledger_of(third) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 50)]

    back = await set_fee(api, server.admin_token, expert, None)
    assert (back["ownPercent"], back["percent"]) == (None, 15)
    assert await earnings(api, expert) == {"pendingEarnings": 43 + 40 + 50, "payableEarnings": 0, "paidOut": 0}


async def test_only_an_admin_sets_a_fee_between_0_and_100_for_an_expert(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    admin = server.admin_token
    await assert_refused(server, set_fee(api, expert.token, expert, 0), "NOT_ALLOWED")
    await assert_refused(server, set_fee(api, admin, expert, 101), "INVALID_INPUT")
    await assert_refused(server, set_fee(api, admin, expert, -1), "INVALID_INPUT")
    await assert_refused(server, set_fee(api, admin, UNKNOWN_ID, 10), "NOT_FOUND")
    await assert_refused(server, set_fee(api, admin, client, 10), "NOT_FOUND")  # not an expert
    assert (await set_fee(api, admin, expert, 100))["percent"] == 100


PAYOUT_FIELDS = "id expertId amount status early reference failureReason"
REQUEST_PAYOUT = f"""
mutation {{ requestPayout {{ __typename ... on Payout {{ {PAYOUT_FIELDS} }} ... on Problem {{ code message }} }} }}"""
MARK_PAID = f"""
mutation($input: MarkPayoutPaidInput!) {{
  markPayoutPaid(input: $input) {{ __typename ... on Payout {{ {PAYOUT_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
MARK_FAILED = f"""
mutation($input: MarkPayoutFailedInput!) {{
  markPayoutFailed(input: $input) {{ __typename ... on Payout {{ {PAYOUT_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
PAYOUTS = """
query($filter: PayoutFilterInput) { payouts(filter: $filter) { edges { node { id amount status } } } }"""


async def request_payout(api: Api, person: Person) -> dict[str, Any]:
    result: dict[str, Any] = (await api.query(REQUEST_PAYOUT, token=person.token))["requestPayout"]
    return result


async def conclude(api: Api, token: str, mutation: str, **input: str) -> dict[str, Any]:
    data = await api.query(mutation, {"input": input}, token)
    result: dict[str, Any] = next(iter(data.values()))
    return result


async def payouts_seen(api: Api, token: str, **filter: Any) -> list[tuple[int, str]]:
    edges = (await api.query(PAYOUTS, {"filter": filter or None}, token))["payouts"]["edges"]
    return [(edge["node"]["amount"], edge["node"]["status"]) for edge in edges]


async def with_payable_earnings(api: Api, clock: ServerClock, client: Person, expert: Person, service_id: str) -> int:
    """Three charges of 50 (43 each after the fee), settled: 129 credits payable."""
    for _ in range(3):
        await charged_late_cancellation(api, client, expert, service_id)
    clock.set(datetime.now(UTC) + timedelta(hours=73))
    await eventually(payable_reaches(api, expert, 129))
    return 129


async def test_an_expert_is_paid_out_once_and_a_failed_payout_is_payable_again(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    payable = await with_payable_earnings(api, clock, client, expert, service_id)
    admin = server.admin_token

    first = await request_payout(api, expert)
    assert (first["amount"], first["status"], first["early"]) == (payable, "REQUESTED", True)
    assert await earnings(api, expert) == {"pendingEarnings": 0, "payableEarnings": 0, "paidOut": payable}
    refused = await assert_refused(server, request_payout(api, expert), "INVALID_STATE")
    assert refused["message"] == "payable earnings (0) are below the payout minimum (100)"

    failed = await conclude(api, admin, MARK_FAILED, payoutId=first["id"], reason="account closed")
    assert (failed["status"], failed["failureReason"]) == ("FAILED", "account closed")
    assert await earnings(api, expert) == {"pendingEarnings": 0, "payableEarnings": payable, "paidOut": 0}
    await assert_refused(server, conclude(api, admin, MARK_PAID, payoutId=first["id"], reference="x"), "INVALID_STATE")

    clock.set(datetime.now(UTC) + timedelta(hours=74))
    second = await request_payout(api, expert)
    paid = await conclude(api, admin, MARK_PAID, payoutId=second["id"], reference="SEPA-0042")
    assert (paid["status"], paid["reference"]) == ("PAID", "SEPA-0042")
    assert await earnings(api, expert) == {"pendingEarnings": 0, "payableEarnings": 0, "paidOut": payable}
    await assert_refused(
        server, conclude(api, admin, MARK_FAILED, payoutId=second["id"], reason="late"), "INVALID_STATE"
    )

    entries = [(kind, amount) for kind, amount in await expert_ledger(expert) if kind.startswith("PAYOUT")]
    assert entries == [("PAYOUT", payable), ("PAYOUT_RETURNED", payable), ("PAYOUT", payable)]
    assert await payouts_seen(api, expert.token) == [(payable, "PAID"), (payable, "FAILED")]
    assert await payouts_seen(api, admin, expertId=expert.id) == [(payable, "PAID"), (payable, "FAILED")]
    assert await payouts_seen(api, admin, expertId=expert.id, statuses=["FAILED"]) == [(payable, "FAILED")]


async def test_payout_refusals(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person
) -> None:
    admin = server.admin_token
    await assert_refused(server, request_payout(api, client), "NOT_ALLOWED")  # not an expert
    await assert_refused(server, request_payout(api, expert), "INVALID_STATE")  # nothing payable
    for mutation, note in ((MARK_PAID, "reference"), (MARK_FAILED, "reason")):
        await assert_refused(
            server, conclude(api, expert.token, mutation, payoutId=UNKNOWN_ID, **{note: "x"}), "NOT_ALLOWED"
        )
        await assert_refused(server, conclude(api, admin, mutation, payoutId=UNKNOWN_ID, **{note: "x"}), "NOT_FOUND")
        await assert_refused(
            server, conclude(api, admin, mutation, payoutId=UNKNOWN_ID, **{note: " "}), "INVALID_INPUT"
        )
    others = await api.raw(PAYOUTS, {"filter": {"expertId": expert.id}}, token=outsider.token)
    assert others.json()["errors"][0]["extensions"]["code"] == "NOT_ALLOWED"
    assert await payouts_seen(api, outsider.token) == []


async def run_payouts(server: RunningServer) -> list[str]:
    """`python -m app run-payouts` against the server's database and clock."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "app", "run-payouts", env=server.env, cwd=ROOT, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode().splitlines()


async def test_two_payout_runs_at_once_pay_each_expert_once(
    api: Api, server: RunningServer, clock: ServerClock, client: Person
) -> None:
    experts = [await make_person(api, server.admin_token, expert=True) for _ in range(2)]
    for expert in experts:
        await set_fee(api, server.admin_token, expert, 0)
        service_id = await make_service(api, expert)
        for _ in range(2):  # 2 x 50: the minimum, 100
            await charged_late_cancellation(api, client, expert, service_id)
    clock.set(datetime.now(UTC) + timedelta(hours=73))
    for expert in experts:
        await eventually(payable_reaches(api, expert, 100))

    outputs = await asyncio.gather(run_payouts(server), run_payouts(server))
    lines = [line.split() for output in outputs for line in output if line]
    for expert in experts:
        assert [amount for _id, expert_id, amount in lines if expert_id == expert.id] == ["100"]
        assert await earnings(api, expert) == {"pendingEarnings": 0, "payableEarnings": 0, "paidOut": 100}
        assert [kind for kind, _ in await expert_ledger(expert)].count("PAYOUT") == 1
        assert await payouts_seen(api, expert.token) == [(100, "REQUESTED")]


def payable_reaches(api: Api, expert: Person, amount: int) -> Callable[[], Awaitable[bool]]:
    async def reached() -> bool:
        return (await earnings(api, expert))["payableEarnings"] == amount

    return reached


LEDGER_REPORT = """
query($from: DateTime!, $to: DateTime!) {
  ledgerReport(from: $from, to: $to) {
    __typename
    ... on LedgerReport {
      totals { kind entries credits } granted heldByClients pendingEarnings payableEarnings paidOut platformRevenue
      balanced problems
    }
    ... on Problem { code message }
  }
}"""


async def ledger_report(api: Api, token: str, start: datetime, end: datetime) -> dict[str, Any]:
    variables = {"from": start.isoformat(), "to": end.isoformat()}
    result: dict[str, Any] = (await api.query(LEDGER_REPORT, variables, token))["ledgerReport"]
    return result


async def test_the_ledger_report_sums_a_period_and_checks_the_whole_ledger(
    api: Api, server: RunningServer, clock: ServerClock, expert: Person, service_id: str
) -> None:
    period = datetime.now(UTC).replace(minute=7, second=0, microsecond=0) + timedelta(days=20)  # tokens live 30
    clock.set(period - timedelta(minutes=1))
    await server.snapshot()  # what earlier tests left due by then runs before the period
    clock.set(period)
    client = await make_person(api, server.admin_token, credits=500)
    starts_at = (period + timedelta(hours=20)).replace(minute=30).isoformat()
    await charged_late_cancellation(api, client, expert, service_id, starts_at)

    report = await ledger_report(api, server.admin_token, period, period + timedelta(hours=1))
    mine = {"GRANT": 500, "BLOCK": 50, "CHARGE": 50, "EARNING": 43, "PLATFORM_FEE": 7}
    totals = {total["kind"]: total for total in report["totals"]}
    assert all(totals[kind]["credits"] >= credits for kind, credits in mine.items()), totals
    # The period's sums are the entries written in it (other tests' timed work may fall in it too).
    written = await LedgerEntry.filter(created_at__gte=period, created_at__lt=period + timedelta(hours=1))
    assert {kind: (total["entries"], total["credits"]) for kind, total in totals.items()} == {
        kind: (sum(1 for e in written if e.kind == kind), sum(e.amount for e in written if e.kind == kind))
        for kind in {str(e.kind) for e in written}
    }
    assert (report["balanced"], report["problems"]) == (True, [])  # the whole server's ledger, every test's
    parts = ("heldByClients", "pendingEarnings", "payableEarnings", "paidOut", "platformRevenue")
    assert sum(report[part] for part in parts) == report["granted"] >= 500
    before = await ledger_report(api, server.admin_token, period - timedelta(days=1), period)
    assert report["granted"] - before["granted"] == 500

    csv_url = (
        f"/ledger-report.csv?from={quote(period.isoformat())}&to={quote((period + timedelta(hours=1)).isoformat())}"
    )
    response = await api.http.get(csv_url, headers={"Authorization": f"Bearer {server.admin_token}"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["row", "kind", "entries", "credits"]
    assert ["period", "PLATFORM_FEE", "1", "7"] in rows
    assert ["position", "granted", "", str(report["granted"])] in rows
    assert not [row for row in rows if row[0] == "problem"]


async def test_ledger_report_refusals(api: Api, server: RunningServer, expert: Person) -> None:
    start = datetime(2031, 1, 1, tzinfo=UTC)
    admin = server.admin_token
    refused = await ledger_report(api, expert.token, start, start + timedelta(days=1))
    assert refused["code"] == "NOT_ALLOWED"
    for end in (start, start - timedelta(days=1), start + timedelta(days=367)):
        assert (await ledger_report(api, admin, start, end))["code"] == "INVALID_INPUT"

    url = f"/ledger-report.csv?from={quote(start.isoformat())}&to={quote((start + timedelta(days=1)).isoformat())}"
    assert (await api.http.get(url)).status_code == 401
    assert (await api.http.get(url, headers={"Authorization": f"Bearer {expert.token}"})).status_code == 403
    bad = await api.http.get("/ledger-report.csv?from=yesterday&to=now", headers={"Authorization": f"Bearer {admin}"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["message"] == "from must be an ISO 8601 date-time with an offset"


DISCOUNT = """
mutation($input: DiscountMeetingInput!) {
  discountMeeting(input: $input) {
    __typename ... on Meeting { id creditStatus priceCredits discountCredits version } ... on Problem { code message }
  }
}"""
NOTIFICATIONS = "{ notifications(first: 100) { edges { node { type text meetingId } } } }"


async def discount(api: Api, person: Person, meeting_id: str, **spec: Any) -> dict[str, Any]:
    data = await api.query(DISCOUNT, {"input": {"meetingId": meeting_id, **spec}}, person.token)
    result: dict[str, Any] = data["discountMeeting"]
    return result


async def test_an_expert_discounts_a_charged_session_once_and_the_client_gets_the_difference(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    half = await charged_late_cancellation(api, client, expert, service_id)
    done = await discount(api, expert, half, percent=50)
    assert (done["creditStatus"], done["priceCredits"], done["discountCredits"]) == ("CHARGED", 50, 25)
    assert await ledger_of(half) == [
        ("BLOCK", 50),
        ("CHARGE", 50),
        ("EARNING", 43),
        ("PLATFORM_FEE", 7),
        ("REFUND", 25),
        ("EARNING_REVERSED", 21),
        ("FEE_REVERSED", 4),  # the fee on the 25 paid is 3
    ]
    assert await balance(api, client) == {"available": 475, "blocked": 0, "pendingEarnings": 0}
    assert await earnings(api, expert) == {"pendingEarnings": 22, "payableEarnings": 0, "paidOut": 0}
    edges = (await api.query(NOTIFICATIONS, token=client.token))["notifications"]["edges"]
    told = [
        e["node"]["text"]
        for e in edges
        if e["node"]["meetingId"] == half and e["node"]["type"] == "DISCOUNTED_BY_EXPERT"
    ]
    assert len(told) == 1 and told[0].startswith("Maya Expert returned 25 of the 50 credits charged for")
    again = await assert_refused(server, discount(api, expert, half, credits=5), "INVALID_STATE")
    assert again["message"] == "this meeting was discounted already"

    free = await charged_late_cancellation(api, client, expert, service_id)
    assert (await discount(api, expert, free, free=True))["discountCredits"] == 50
    assert (await ledger_of(free))[-3:] == [("REFUND", 50), ("EARNING_REVERSED", 43), ("FEE_REVERSED", 7)]
    assert await balance(api, client) == {"available": 475, "blocked": 0, "pendingEarnings": 0}


async def test_discount_refusals(
    api: Api,
    server: RunningServer,
    clock: ServerClock,
    client: Person,
    expert: Person,
    outsider: Person,
    service_id: str,
) -> None:
    charged = await charged_late_cancellation(api, client, expert, service_id)
    await assert_refused(server, discount(api, client, charged, percent=10), "NOT_ALLOWED")
    await assert_refused(server, discount(api, outsider, charged, percent=10), "NOT_FOUND")
    await assert_refused(server, discount(api, expert, UNKNOWN_ID, percent=10), "NOT_FOUND")
    await assert_refused(server, discount(api, expert, charged), "INVALID_INPUT")
    await assert_refused(server, discount(api, expert, charged, percent=10, free=True), "INVALID_INPUT")
    await assert_refused(server, discount(api, expert, charged, credits=51), "INVALID_INPUT")
    await assert_refused(server, discount(api, expert, charged, percent=1), "INVALID_INPUT")  # rounds to 0

    agreed = await book(api, client, service_id, hours_from_now(48))
    await act(api, CONFIRM, expert, meetingId=agreed["id"])
    await assert_refused(server, discount(api, expert, agreed["id"], percent=10), "INVALID_STATE")

    clock.set(datetime.now(UTC) + timedelta(hours=73))
    await eventually(payable_reaches(api, expert, 43))
    late = await assert_refused(server, discount(api, expert, charged, percent=10), "TOO_LATE")
    assert late["message"] == "its earnings are settled: it can no longer be discounted"


async def test_a_discount_racing_its_settlement_moves_money_once(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    clock.set(datetime.now(UTC).replace(microsecond=0))  # one charge time, one settlement time
    meetings = [await charged_late_cancellation(api, client, expert, service_id) for _ in range(3)]
    [due_at] = {job.due_at for job in await ScheduledJob.filter(meeting_id__in=meetings, kind="SETTLE_EARNINGS")}
    clock.set(due_at)  # the settlements are due now: each discount lands before its settlement or is refused
    answers = await asyncio.gather(*(discount(api, expert, meeting_id, percent=50) for meeting_id in meetings))
    assert {answer["__typename"] for answer in answers} <= {"Meeting", "TooLate"}, answers
    await eventually(lambda: _all_settled(meetings))
    for meeting_id, answer in zip(meetings, answers, strict=True):
        kinds = dict(await ledger_of(meeting_id))
        if answer["__typename"] == "Meeting":
            assert (kinds["REFUND"], kinds["SETTLED"]) == (25, 43 - 21)
        else:
            assert "REFUND" not in kinds and kinds["SETTLED"] == 43
    report = await ledger_report(api, server.admin_token, due_at - timedelta(days=1), due_at + timedelta(days=1))
    assert report["balanced"], report["problems"]


async def _all_settled(meetings: list[str]) -> bool:
    return await LedgerEntry.filter(meeting_id__in=meetings, kind="SETTLED").count() == len(meetings)


STATEMENT = """
query($from: DateTime!, $to: DateTime!, $expertId: ID) {
  earningsStatement(from: $from, to: $to, expertId: $expertId) {
    __typename
    ... on EarningsStatement { lines { meetingId earnedCredits feeCredits settledCredits } earnedCredits feeCredits }
    ... on Problem { code message }
  }
}"""


async def statement(
    api: Api, token: str, start: datetime, end: datetime, expert_id: str | None = None
) -> dict[str, Any]:
    variables = {"from": start.isoformat(), "to": end.isoformat(), "expertId": expert_id}
    result: dict[str, Any] = (await api.query(STATEMENT, variables, token))["earningsStatement"]
    return result


async def test_an_experts_statement_lists_earnings_by_meeting(
    api: Api,
    server: RunningServer,
    clock: ServerClock,
    client: Person,
    expert: Person,
    outsider: Person,
    service_id: str,
) -> None:
    start = datetime.now(UTC) - timedelta(minutes=1)
    first = await charged_late_cancellation(api, client, expert, service_id)
    second = await charged_late_cancellation(api, client, expert, service_id)
    await discount(api, expert, second, percent=50)
    end = datetime.now(UTC) + timedelta(minutes=1)

    mine = await statement(api, expert.token, start, end)
    assert mine["lines"] == [
        {"meetingId": first, "earnedCredits": 43, "feeCredits": 7, "settledCredits": 0},
        {"meetingId": second, "earnedCredits": 22, "feeCredits": 3, "settledCredits": 0},
    ]
    assert (mine["earnedCredits"], mine["feeCredits"]) == (65, 10)
    assert await statement(api, server.admin_token, start, end, expert.id) == mine
    assert (await statement(api, outsider.token, start, end, expert.id))["code"] == "NOT_ALLOWED"
    assert (await statement(api, expert.token, end, start))["code"] == "INVALID_INPUT"
    assert (await statement(api, client.token, start, end))["lines"] == []  # a client earns nothing
