"""Public answers kept in memory: the same bytes until a write changes what they read, never
across what differs per viewer, never after the instant they may change on their own."""

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import api_on, running_server
from tests.support.factories import (
    CREATE_SERVICE,
    ROUND_THE_CLOCK,
    SET_WEEKLY,
    Person,
    book,
    hours_from_now,
    make_person,
    make_service,
)
from tests.support.graphql import Api
from tests.support.postgres import fresh_database
from tests.support.redis import redis_url
from tests.support.server import RunningServer, ServerClock
from tests.support.waiting import eventually

SLOTS = """query Slots($expert: ID!, $service: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(expertId: $expert, serviceId: $service, durationMinutes: 60, from: $from, to: $to) { startsAt }
}"""
EXPERT = """query Expert($id: ID!) {
  expert(id: $id) { name headline policy { joinWindowMinutes } services { title } availability { slotStepMinutes } }
}"""
DIRECTORY = """query Directory($skill: String!) {
  experts(first: 50, filter: {skill: $skill}) { edges { node { id name reviewCount } } }
}"""
CACHE = "x-response-cache"


async def ask(
    api: Api, query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> httpx.Response:
    response = await api.raw(query, variables, token)
    assert response.status_code == 200, response.text
    return response


def slots_of(response: httpx.Response) -> list[str]:
    return [slot["startsAt"] for slot in response.json()["data"]["availableSlots"]]


def slot_window(expert: Person, service_id: str) -> dict[str, str]:
    return {"expert": expert.id, "service": service_id, "from": hours_from_now(2), "to": hours_from_now(8)}


async def test_a_public_read_is_kept_until_a_booking_changes_it(
    api: Api, expert: Person, client: Person, service_id: str
) -> None:
    window = slot_window(expert, service_id)
    first = await ask(api, SLOTS, window)
    again = await ask(api, SLOTS, window)
    assert (first.headers[CACHE], again.headers[CACHE]) == ("miss", "hit")
    assert again.content == first.content
    await ask(api, EXPERT, {"id": expert.id})
    assert (await ask(api, EXPERT, {"id": expert.id})).headers[CACHE] == "hit"

    booked = await book(api, client, service_id, slots_of(first)[0])
    assert booked["__typename"] == "Meeting", booked

    after = await ask(api, SLOTS, window)
    assert after.headers[CACHE] == "miss"
    assert slots_of(first)[0] not in slots_of(after)
    # The expert's measures (a meeting more) changed too: the expert and the list are read again.
    assert (await ask(api, EXPERT, {"id": expert.id})).headers[CACHE] == "miss"


async def test_each_change_an_expert_makes_reaches_the_kept_answers(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    window = slot_window(expert, service_id)
    before = slots_of(await ask(api, SLOTS, window))
    await ask(api, EXPERT, {"id": expert.id})
    skill = {"skill": "coaching"}
    await ask(api, DIRECTORY, skill)
    assert (await ask(api, DIRECTORY, skill)).headers[CACHE] == "hit"

    no_hours = {**ROUND_THE_CLOCK, "rules": [], "slotStepMinutes": 60}
    changed = await api.query(SET_WEEKLY, {"input": no_hours}, expert.token)
    assert changed["setWeeklyAvailability"]["__typename"] == "Availability"
    assert before and slots_of(await ask(api, SLOTS, window)) == []
    described = (await ask(api, EXPERT, {"id": expert.id})).json()["data"]["expert"]
    assert described["availability"] == {"slotStepMinutes": 60}

    created = await api.query(
        CREATE_SERVICE,
        {
            "input": {
                "title": "Mentoring",
                "offerings": [{"durationMinutes": 30, "priceCredits": 10}],
                "modes": ["VIDEO"],
            }
        },
        expert.token,
    )
    assert created["createService"]["__typename"] == "Service"
    described = (await ask(api, EXPERT, {"id": expert.id})).json()["data"]["expert"]
    assert sorted(s["title"] for s in described["services"]) == ["Coaching", "Mentoring"]

    policy = "mutation { updateExpertPolicy(input: {joinWindowMinutes: 20}) { __typename } }"
    assert (await api.query(policy, token=expert.token))["updateExpertPolicy"]["__typename"] == "Expert"
    described = (await ask(api, EXPERT, {"id": expert.id})).json()["data"]["expert"]
    assert described["policy"] == {"joinWindowMinutes": 20}

    unique = {"skill": f"skill-{expert.id[:8]}"}
    assert (await ask(api, DIRECTORY, unique)).json()["data"]["experts"]["edges"] == []
    newcomer = await make_person(api, server.admin_token, expert=True, skills=(unique["skill"],))
    listed = (await ask(api, DIRECTORY, unique)).json()["data"]["experts"]["edges"]
    assert newcomer.id in [edge["node"]["id"] for edge in listed]


async def test_answers_with_errors_and_per_viewer_fields_are_not_kept(
    api: Api, expert: Person, client: Person, service_id: str
) -> None:
    too_long = {**slot_window(expert, service_id), "to": hours_from_now(24 * 200)}
    for _ in range(2):
        refused = await api.raw(SLOTS, too_long)
        assert refused.json()["errors"] and CACHE not in refused.headers
    per_viewer = "query Mine($id: ID!) { expert(id: $id) { name viewerProgramme } }"
    for _ in range(2):
        answered = await ask(api, per_viewer, {"id": expert.id}, client.token)
        assert answered.json()["data"]["expert"]["viewerProgramme"] == "PRIVATE"
        assert CACHE not in answered.headers
    mutation = "mutation { updateExpertPolicy(input: {joinWindowMinutes: 15}) { __typename } }"
    assert CACHE not in (await api.raw(mutation, token=expert.token)).headers


async def test_viewer_classes_are_kept_apart_and_a_token_is_checked_on_every_hit(
    api: Api, server: RunningServer, clock: ServerClock, expert: Person, client: Person, service_id: str
) -> None:
    window = slot_window(expert, service_id)
    assert (await ask(api, SLOTS, window)).headers[CACHE] == "miss"
    assert (await ask(api, SLOTS, window, client.token)).headers[CACHE] == "miss"  # signed in: another class
    assert (await ask(api, SLOTS, window, expert.token)).headers[CACHE] == "hit"  # the same class
    assert (await ask(api, SLOTS, window, server.admin_token)).headers[CACHE] == "miss"

    clock.set(datetime.fromisoformat(hours_from_now(24 * 31)))  # past the tokens' 30 days
    expired = await api.raw(SLOTS, window, client.token)
    assert expired.status_code == 401 and CACHE not in expired.headers
    forged = await api.raw(SLOTS, window, client.token[:-4] + "AAAA")
    assert forged.status_code == 401


async def test_a_kept_answer_ends_when_the_notice_period_reaches_its_first_slot(
    api: Api, clock: ServerClock, expert: Person, service_id: str
) -> None:
    notice = {**ROUND_THE_CLOCK, "minimumNoticeMinutes": 120}
    assert (await api.query(SET_WEEKLY, {"input": notice}, expert.token))["setWeeklyAvailability"]
    now = datetime.fromisoformat(hours_from_now(0))
    clock.set(now + timedelta(minutes=10))
    window = {"expert": expert.id, "service": service_id, "from": now.isoformat(), "to": hours_from_now(8)}
    first = slots_of(await ask(api, SLOTS, window))
    assert first[0] == hours_from_now(2.5)
    clock.set(now + timedelta(minutes=29))
    assert (await ask(api, SLOTS, window)).headers[CACHE] == "hit"
    clock.set(now + timedelta(minutes=31))  # 2 h of notice now reach past the first slot
    later = await ask(api, SLOTS, window)
    assert later.headers[CACHE] == "miss"
    assert slots_of(later) == first[1:]


async def test_concurrent_misses_compute_once(api: Api, expert: Person, service_id: str) -> None:
    window = {**slot_window(expert, service_id), "to": hours_from_now(24 * 60)}
    answers = await asyncio.gather(*(ask(api, SLOTS, window) for _ in range(20)))
    assert [answer.headers[CACHE] for answer in answers].count("miss") == 1
    assert len({answer.content for answer in answers}) == 1


@pytest.fixture(scope="module")
def uncached_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    with running_server(request, tmp_path_factory, "sqlite", RESPONSE_CACHE="false") as server:
        yield server


async def test_the_kill_switch_turns_the_cache_off(uncached_server: RunningServer) -> None:
    async with api_on(uncached_server) as api:
        expert = await make_person(api, uncached_server.admin_token, expert=True)
        service_id = await make_service(api, expert)
        for _ in range(2):
            assert CACHE not in (await ask(api, SLOTS, slot_window(expert, service_id))).headers


async def test_a_write_through_one_process_ends_the_answer_another_kept(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    from tests.api.test_job_durability import api_at, scratch, servers

    redis = redis_url(request.getfixturevalue("redis_server"))
    with fresh_database(request.getfixturevalue("postgresql_server")) as database_url:
        setup = scratch(tmp_path, DATABASE_URL=database_url, REDIS_URL=redis)
        setup.clock.reset()
        with servers(setup.env, 2) as (first_url, second_url):
            async with api_at(first_url) as first, api_at(second_url) as second:
                expert = await make_person(first, setup.admin_token, expert=True)
                client = await make_person(first, setup.admin_token, credits=500)
                service_id = await make_service(first, expert)
                window = slot_window(expert, service_id)
                kept = slots_of(await ask(second, SLOTS, window))
                assert (await ask(second, SLOTS, window)).headers[CACHE] == "hit"

                assert (await book(first, client, service_id, kept[0]))["__typename"] == "Meeting"

                async def read_again() -> list[str] | None:
                    answer = await ask(second, SLOTS, window)
                    return slots_of(answer) if answer.headers[CACHE] == "miss" else None

                assert kept[0] not in await eventually(read_again, timeout=5)
