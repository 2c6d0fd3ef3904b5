"""Coupons over HTTP: issued by an admin, given at booking, spent once per use."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from app.models import Coupon
from tests.api.test_refusals import assert_refused
from tests.support.factories import Person, balance, hours_from_now, make_person
from tests.support.graphql import Api
from tests.support.server import RunningServer, ServerClock

CREATE_COUPON = """
mutation($input: CreateCouponInput!) {
  createCoupon(input: $input) {
    __typename ... on Coupon { id couponCode percent credits usesPerClient totalUses used } ... on Problem { code message }
  }
}"""
BOOK_WITH_COUPON = """
mutation($input: BookMeetingInput!) {
  bookMeeting(input: $input) {
    __typename ... on Meeting { id priceCredits couponCredits creditStatus } ... on Problem { code message }
  }
}"""


def fresh_code() -> str:
    return f"TEST-{uuid4().hex[:8].upper()}"


async def create_coupon(api: Api, token: str, **input: Any) -> dict[str, Any]:
    given = {"expiresAt": (datetime.now(UTC) + timedelta(days=30)).isoformat(), **input}
    result: dict[str, Any] = (await api.query(CREATE_COUPON, {"input": given}, token))["createCoupon"]
    return result


async def book_with(api: Api, client: Person, service_id: str, code: str, hours: float) -> dict[str, Any]:
    given = {"serviceId": service_id, "startsAt": hours_from_now(hours), "durationMinutes": 60, "mode": "VIDEO"}
    data = await api.query(BOOK_WITH_COUPON, {"input": {**given, "couponCode": code}}, client.token)
    result: dict[str, Any] = data["bookMeeting"]
    return result


async def test_a_coupon_takes_its_share_off_a_booking_once_per_client(
    api: Api, server: RunningServer, client: Person, service_id: str
) -> None:
    code = fresh_code()
    coupon = await create_coupon(api, server.admin_token, code=code.lower(), percent=20)
    assert (coupon["couponCode"], coupon["percent"], coupon["usesPerClient"], coupon["used"]) == (code, 20, 1, 0)

    booked = await book_with(api, client, service_id, f"  {code.lower()} ", hours=48)
    assert (booked["priceCredits"], booked["couponCredits"], booked["creditStatus"]) == (40, 10, "BLOCKED")
    assert await balance(api, client) == {"available": 460, "blocked": 40, "pendingEarnings": 0}
    again = await assert_refused(server, book_with(api, client, service_id, code, hours=52), "INVALID_STATE")
    assert again["message"] == "you have used this coupon 1 times, as often as it allows"

    whole = fresh_code()
    await create_coupon(api, server.admin_token, code=whole, credits=80, usesPerClient=2)
    free = await book_with(api, client, service_id, whole, hours=56)
    assert (free["priceCredits"], free["couponCredits"], free["creditStatus"]) == (0, 50, "NONE")


async def test_coupon_refusals(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    admin = server.admin_token
    await assert_refused(server, create_coupon(api, expert.token, code=fresh_code(), percent=10), "NOT_ALLOWED")
    for bad in (
        {"code": "no", "percent": 10},
        {"code": fresh_code()},
        {"code": fresh_code(), "percent": 10, "credits": 5},
    ):
        await assert_refused(server, create_coupon(api, admin, **bad), "INVALID_INPUT")
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    await assert_refused(
        server, create_coupon(api, admin, code=fresh_code(), percent=10, expiresAt=past), "INVALID_INPUT"
    )
    code = fresh_code()
    soon = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    await create_coupon(api, admin, code=code, percent=10, expiresAt=soon)
    duplicate = await assert_refused(server, create_coupon(api, admin, code=code.lower(), credits=5), "INVALID_INPUT")
    assert duplicate["message"] == f"a coupon {code} exists already"

    await assert_refused(server, book_with(api, client, service_id, fresh_code(), hours=48), "NOT_FOUND")
    await assert_refused(server, book_with(api, client, service_id, "not a code!", hours=48), "INVALID_INPUT")
    clock.set(datetime.now(UTC) + timedelta(days=3))
    expired = await assert_refused(server, book_with(api, client, service_id, code, hours=24 * 4), "TOO_LATE")
    assert expired["message"] == "this coupon has expired"


async def test_clients_racing_for_the_last_use_of_a_coupon_get_it_once(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    code = fresh_code()
    await create_coupon(api, server.admin_token, code=code, credits=10, totalUses=1)
    clients = [await make_person(api, server.admin_token, credits=100) for _ in range(4)]
    answers = await asyncio.gather(
        *(book_with(api, person, service_id, code, hours=48 + 2 * i) for i, person in enumerate(clients))
    )
    assert sorted(answer["__typename"] for answer in answers) == ["InvalidState"] * 3 + ["Meeting"], answers
    [won] = [answer for answer in answers if answer["__typename"] == "Meeting"]
    assert (won["priceCredits"], won["couponCredits"]) == (40, 10)
    assert {answer["message"] for answer in answers if answer["__typename"] != "Meeting"} == {
        "this coupon has been used up"
    }
    losers = [person for person, answer in zip(clients, answers, strict=True) if answer is not won]
    for person in losers:
        assert await balance(api, person) == {"available": 100, "blocked": 0, "pendingEarnings": 0}
    assert (await Coupon.get(code=code)).used == 1
