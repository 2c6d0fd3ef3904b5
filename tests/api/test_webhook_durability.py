"""Webhook deliveries reach each endpoint exactly once per event: with two server processes
sharing the work (PostgreSQL, Redis), and across a restart while deliveries were owed."""

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from app.domain.webhooks import DeliveryStatus
from app.models import WebhookDelivery
from tests.api.test_job_durability import api_at, scratch, servers
from tests.support.factories import CANCEL, CONFIRM, act, book, make_person, make_service
from tests.support.postgres import fresh_database
from tests.support.receiver import Receiver
from tests.support.redis import redis_url
from tests.support.tables import orm_on
from tests.support.waiting import eventually

CREATE = (
    """mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { __typename ... on Webhook { id } } }"""
)
MEETINGS = 6


async def test_each_event_reaches_each_endpoint_once_with_two_processes_and_across_a_restart(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    receiver = Receiver().start()
    try:
        with fresh_database(request.getfixturevalue("postgresql_server")) as database_url:
            setup = scratch(
                tmp_path,
                DATABASE_URL=database_url,
                REDIS_URL=redis_url(request.getfixturevalue("redis_server")),
                WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
            )
            env, clock, admin_token, start = setup.env, setup.clock, setup.admin_token, setup.start
            with servers(env, 2) as [first, second]:
                async with orm_on(env["DATABASE_URL"]), api_at(first) as one, api_at(second) as other:
                    expert = await make_person(one, admin_token, expert=True)
                    client = await make_person(one, admin_token, credits=1000)
                    service = await make_service(one, expert, price=10)
                    # The admin's endpoint (every meeting) made on one process, the expert's on the other.
                    admin = await one.query(CREATE, {"input": {"url": receiver.url + "/admin"}}, admin_token)
                    mine = await other.query(CREATE, {"input": {"url": receiver.url + "/expert"}}, expert.token)
                    assert admin["createWebhook"]["__typename"] == mine["createWebhook"]["__typename"] == "Webhook"
                    meetings = []
                    for i in range(MEETINGS):  # booked on one process, confirmed on the other
                        api, peer = (one, other) if i % 2 else (other, one)
                        booked = await book(api, client, service, (start + timedelta(hours=30 + i)).isoformat())
                        assert (await act(peer, CONFIRM, expert, meetingId=booked["id"]))["__typename"] == "Meeting"
                        meetings.append(booked["id"])
                    await receiver.wait_for(2 * 2 * MEETINGS)

                    receiver.status = 503  # the endpoints fail: cancellations stay owed
                    for meeting_id in meetings[:3]:
                        assert (await act(one, CANCEL, client, meetingId=meeting_id, reason="SCHEDULE_CONFLICT"))[
                            "__typename"
                        ] == "Meeting"
                    await receiver.wait_for(2 * 2 * MEETINGS + 6)

                    async def attempted_once() -> bool:
                        owed = WebhookDelivery.filter(status=DeliveryStatus.PENDING, attempts=1)
                        return await owed.count() == 6

                    await eventually(attempted_once)
            # Both processes are down while the endpoints come back and the retries fall due.
            receiver.status = 200
            clock.set(start + timedelta(seconds=30))
            with servers(env, 2):
                async with orm_on(env["DATABASE_URL"]):

                    async def all_delivered() -> bool:
                        return not await WebhookDelivery.exclude(status=DeliveryStatus.DELIVERED).exists()

                    await eventually(all_delivered, timeout=30)
                    await asyncio.sleep(0.5)  # a second sending would show in the receiver by now
                    rows = await WebhookDelivery.all().values_list("id", "attempts")
        received = [r for r in receiver.received if r.status == 200]
        per_delivery = Counter(r.headers["webhook-id"] for r in received)
        per_event = Counter((r.path, orjson.loads(r.body)["id"]) for r in received)
        assert len(rows) == 2 * (2 * MEETINGS + 3)
        assert set(per_delivery) == {str(id_) for id_, _ in rows} and set(per_delivery.values()) == {1}
        assert len(per_event) == len(rows) and set(per_event.values()) == {1}
        assert sorted(attempts for _, attempts in rows) == [1] * (4 * MEETINGS) + [2] * 6
    finally:
        receiver.stop()
