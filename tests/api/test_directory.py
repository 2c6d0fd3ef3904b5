"""The public expert directory: filters, measures kept as experts act, the recommended order."""

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.support.factories import (
    CANCEL,
    CONFIRM,
    RESCHEDULE,
    act,
    book,
    make_person,
    make_service,
)
from tests.support.graphql import Api, GraphQLError
from tests.support.server import RunningServer, ServerClock

EXPERTS = """query($filter: ExpertFilterInput, $after: String, $first: Int!) {
  experts(filter: $filter, first: $first, after: $after) {
    edges { cursor node {
      id name responseTimeMinutes unrequestedRearrangements expertCancellations
      averageRating reviewCount recommendationScore
    } }
    pageInfo { hasNextPage }
  }
}"""


def next_friday_4pm_london() -> datetime:
    """Soon (tokens live 30 days) and in winter time (London = UTC) for most of the year's runs;
    the expected figures hold in summer time too (16:00 and 10:30 stay business hours)."""
    now = datetime.now(UTC)
    friday = (now + timedelta(days=(4 - now.weekday()) % 7 or 7)).date()
    return datetime.combine(friday, time(16), tzinfo=ZoneInfo("Europe/London"))


async def listed(api: Api, first: int = 20, after: str | None = None, **filter: Any) -> dict[str, Any]:
    data = await api.query(EXPERTS, {"filter": filter, "first": first, "after": after})
    result: dict[str, Any] = data["experts"]
    return result


async def nodes(api: Api, **filter: Any) -> list[dict[str, Any]]:
    return [e["node"] for e in (await listed(api, **filter))["edges"]]


async def test_filters_by_skill_mode_and_price(api: Api, server: RunningServer) -> None:
    skill = f"skill-{uuid.uuid4().hex[:8]}"
    video = await make_person(api, server.admin_token, expert=True, skills=(skill, "other"))
    in_person = await make_person(api, server.admin_token, expert=True, skills=(skill,))
    await make_person(api, server.admin_token, expert=True, skills=("unrelated",))
    await make_service(api, video, price=40)
    await make_service(api, in_person, price=90, modes=("IN_PERSON",), location="1 High Street")

    assert {n["id"] for n in await nodes(api, skill=skill)} == {video.id, in_person.id}
    assert [n["id"] for n in await nodes(api, skill=skill, mode="IN_PERSON")] == [in_person.id]
    assert [n["id"] for n in await nodes(api, skill=skill, maxPriceCredits=50)] == [video.id]
    assert [n["id"] for n in await nodes(api, skill=skill, minPriceCredits=50)] == [in_person.id]
    assert await nodes(api, skill=skill, mode="IN_PERSON", maxPriceCredits=50) == []
    assert await nodes(api, skill=f"{skill}-nobody") == []
    with pytest.raises(GraphQLError, match="INVALID_INPUT"):
        await listed(api, skill=skill, minPriceCredits=60, maxPriceCredits=50)

    first = await listed(api, first=1, skill=skill)
    assert first["pageInfo"]["hasNextPage"]
    rest = await listed(api, after=first["edges"][0]["cursor"], skill=skill)
    seen = [first["edges"][0]["node"]["id"], *(e["node"]["id"] for e in rest["edges"])]
    assert sorted(seen) == sorted([video.id, in_person.id]) and not rest["pageInfo"]["hasNextPage"]


async def test_measures_follow_what_experts_do_and_order_the_list(
    api: Api, server: RunningServer, clock: ServerClock
) -> None:
    skill = f"skill-{uuid.uuid4().hex[:8]}"
    prompt = await make_person(api, server.admin_token, expert=True, skills=(skill,), name="Prompt")
    unsteady = await make_person(api, server.admin_token, expert=True, skills=(skill,), name="Unsteady")
    newcomer = await make_person(api, server.admin_token, expert=True, skills=(skill,), name="Newcomer")
    client = await make_person(api, server.admin_token, credits=500)
    prompt_service = await make_service(api, prompt)
    unsteady_service = await make_service(api, unsteady)

    # Booked on Friday 16:00 London, answered on Monday 10:30: 1 h + 1.5 h of business time.
    friday = next_friday_4pm_london()
    clock.set(friday)
    booked = await book(api, client, prompt_service, (friday + timedelta(days=10)).isoformat())
    clock.set(friday + timedelta(days=2, hours=18, minutes=30))
    assert (await act(api, CONFIRM, prompt, meetingId=booked["id"]))["status"] == "AGREED"

    # The other expert rearranges one meeting for their own schedule and cancels another.
    moved = await book(api, client, unsteady_service, (friday + timedelta(days=11)).isoformat())
    await act(api, CONFIRM, unsteady, meetingId=moved["id"])
    offered = await act(
        api,
        RESCHEDULE,
        unsteady,
        meetingId=moved["id"],
        reason="EXPERT_SCHEDULE",
        times=[(friday + timedelta(days=12)).isoformat()],
    )
    assert offered["__typename"] == "Meeting"
    dropped = await book(api, client, unsteady_service, (friday + timedelta(days=13)).isoformat())
    await act(api, CONFIRM, unsteady, meetingId=dropped["id"])
    cancelled = await act(api, CANCEL, unsteady, meetingId=dropped["id"], reason="ILLNESS")
    assert cancelled["status"] == "CANCELLED"

    by_id = {n["id"]: n for n in await nodes(api, skill=skill)}
    assert by_id[prompt.id]["responseTimeMinutes"] == 150.0
    assert (by_id[prompt.id]["unrequestedRearrangements"], by_id[prompt.id]["expertCancellations"]) == (0, 0)
    assert by_id[unsteady.id]["responseTimeMinutes"] == 0.0  # answered at once (the clock stood still)
    assert (by_id[unsteady.id]["unrequestedRearrangements"], by_id[unsteady.id]["expertCancellations"]) == (1, 1)
    assert by_id[newcomer.id]["responseTimeMinutes"] is None
    # 4.0 + 1.0 - 2 x (1 + 2 x 1) / (2 meetings + 5)
    assert by_id[unsteady.id]["recommendationScore"] == pytest.approx(5.0 - 6 / 7, abs=1e-6)

    order = [n["id"] for n in await nodes(api, skill=skill)]
    assert order[-1] == unsteady.id and set(order[:2]) == {prompt.id, newcomer.id}
    scores = [by_id[i]["recommendationScore"] for i in order]
    assert scores == sorted(scores, reverse=True)
