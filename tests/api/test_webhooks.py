"""Webhooks against a real receiver on loopback (allowed by this server's WEBHOOK_ALLOWED_NETWORKS):
signed deliveries, checked here with a plain HMAC-SHA256 (not the server's code), in the
meeting's order, retried, disabled after a day of failures, logged, replayed; hostile
addresses refused."""

import hashlib
import hmac
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.domain.schedule import WEBHOOK_BACKOFF_SECONDS
from app.models import ScheduledJob, Webhook, WebhookDelivery
from app.services.webhook_caller import WebhookCaller
from tests.api.test_refusals import assert_refused
from tests.conftest import api_on, running_server
from tests.support.factories import CANCEL, CONFIRM, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.receiver import Received, Receiver
from tests.support.server import RunningServer
from tests.support.waiting import eventually

CREATE = """mutation($input: CreateWebhookInput!) { createWebhook(input: $input) {
  __typename ... on Webhook { id url events secret active } ... on Problem { code message } } }"""
DISABLE = """mutation($input: WebhookInput!) { disableWebhook(input: $input) {
  __typename ... on Webhook { id active disabledReason } ... on Problem { code message } } }"""
ROTATE = """mutation($input: WebhookInput!) { rotateWebhookSecret(input: $input) {
  __typename ... on Webhook { id secret } ... on Problem { code message } } }"""
REPLAY = """mutation($input: ReplayWebhookDeliveryInput!) { replayWebhookDelivery(input: $input) {
  __typename ... on WebhookDelivery { id replayOf eventId status } ... on Problem { code message } } }"""
WEBHOOKS = """{ webhooks { id ownerId url active secret failingSince disabledReason } }"""
DELIVERIES = """query($id: ID!, $statuses: [DeliveryStatus!]) { webhookDeliveries(webhookId: $id, statuses: $statuses) {
  edges { node { id eventId event meetingId meetingVersion status attempts responseCode latencyMs lastError
  replayOf body } } } }"""
NOTIFICATIONS = """{ notifications(first: 5) { edges { node { type text } } } }"""


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def hook_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(
        request,
        tmp_path_factory,
        request.param,
        WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8",
        WEBHOOK_TIMEOUT_SECONDS="1",
        WEBHOOKS_PER_OWNER="2",
    ) as server:
        yield server


@pytest.fixture
async def hook_api(hook_server: RunningServer) -> AsyncIterator[Api]:
    hook_server.clock.reset()
    async with api_on(hook_server) as api:
        yield api
    hook_server.clock.reset()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


async def create_webhook(api: Api, owner: Person, url: str, **extra: Any) -> dict[str, Any]:
    created: dict[str, Any] = await act(api, CREATE, owner, url=url, **extra)
    return created


async def with_endpoint(
    api: Api, server: RunningServer, url: str, **extra: Any
) -> tuple[Person, Person, dict[str, Any]]:
    """An expert with an endpoint at `url`, and a client with credits to book them."""
    expert = await make_person(api, server.admin_token, expert=True)
    client = await make_person(api, server.admin_token, credits=500)
    webhook = await create_webhook(api, expert, url, **extra)
    return expert, client, webhook


def verified(received: Received, secrets: list[str]) -> dict[str, Any]:
    """The body, once every secret's signature over "<t>.<body>" is found in the header."""
    fields = [part.split("=", 1) for part in received.headers["webhook-signature"].split(",")]
    timestamp = next(value for key, value in fields if key == "t")
    signatures = [value for key, value in fields if key == "v1"]
    for secret in secrets:
        expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
        assert any(hmac.compare_digest(expected, given) for given in signatures), received.headers
    assert abs(int(timestamp) - datetime.now(UTC).timestamp()) < 300
    body: dict[str, Any] = json.loads(received.body)
    return body


def readme_verify() -> Callable[[str, str, bytes], bool]:
    """The verification snippet README.md gives receivers, as written there."""
    text = (Path(__file__).parents[2] / "README.md").read_text()
    [code] = [block for block in re.findall(r"```python\n(.*?)```", text, re.DOTALL) if "def verify" in block]
    scope: dict[str, Any] = {}
    exec(code, scope)
    verify: Callable[[str, str, bytes], bool] = scope["verify"]
    return verify


async def deliveries(api: Api, owner: Person, webhook_id: str, **variables: Any) -> list[dict[str, Any]]:
    data = await api.query(DELIVERIES, {"id": webhook_id, **variables}, owner.token)
    return [edge["node"] for edge in data["webhookDeliveries"]["edges"]]


async def test_an_experts_endpoint_hears_its_own_meetings_signed_and_in_order(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    api = hook_api
    expert = await make_person(api, hook_server.admin_token, expert=True)
    other_expert = await make_person(api, hook_server.admin_token, expert=True)
    client = await make_person(api, hook_server.admin_token, credits=500)
    webhook = await create_webhook(api, expert, receiver.url + "/in")
    assert webhook["__typename"] == "Webhook" and webhook["secret"].startswith("whsec_") and webhook["events"] is None

    meeting = await book(api, client, await make_service(api, expert), hours_from_now(60))
    await book(api, client, await make_service(api, other_expert), hours_from_now(62))  # not theirs: not sent
    confirmed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
    cancelled = await act(api, CANCEL, client, meetingId=meeting["id"], reason="SCHEDULE_CONFLICT")
    assert cancelled["__typename"] == "Meeting", cancelled

    received = await receiver.wait_for(3)
    bodies = [verified(r, [webhook["secret"]]) for r in received]
    assert [b["type"] for b in bodies] == ["BOOKED_BY_CLIENT", "APPROVED_BY_EXPERT", "CANCELLED_BY_CLIENT"]
    assert [b["meeting"]["version"] for b in bodies] == [1, confirmed["version"], cancelled["version"]]
    assert {b["meeting"]["id"] for b in bodies} == {meeting["id"]}
    assert bodies[2]["meeting"]["status"] == "CANCELLED" and bodies[2]["actorSide"] == "CLIENT"
    assert bodies[2]["details"]["reason"] == "SCHEDULE_CONFLICT"
    assert {r.path for r in received} == {"/in"}
    verify = readme_verify()
    assert all(verify(webhook["secret"], r.headers["webhook-signature"], r.body) for r in received)
    assert not verify(webhook["secret"], received[0].headers["webhook-signature"], received[1].body)
    assert all(r.headers["content-type"] == "application/json" for r in received)

    log = await deliveries(api, expert, webhook["id"])
    assert [d["status"] for d in log] == ["DELIVERED"] * 3
    assert [d["id"] for d in reversed(log)] == [r.headers["webhook-id"] for r in received]
    assert [d["eventId"] for d in reversed(log)] == [b["id"] for b in bodies]
    assert all(d["responseCode"] == 200 and d["attempts"] == 1 and d["latencyMs"] >= 0 for d in log)
    assert json.loads(log[0]["body"]) == bodies[2]
    assert len(receiver.received) == 3  # nothing of the other expert's meeting


async def test_an_endpoint_hears_only_the_event_types_it_names(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    api = hook_api
    expert, client, webhook = await with_endpoint(api, hook_server, receiver.url, events=["APPROVED_BY_EXPERT"])
    assert webhook["events"] == ["APPROVED_BY_EXPERT"]
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(64))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    [received] = await receiver.wait_for(1)
    assert verified(received, [webhook["secret"]])["type"] == "APPROVED_BY_EXPERT"
    await hook_server.snapshot()  # every job settled: the booking was never sent
    assert len(receiver.received) == 1


async def test_a_failing_endpoint_is_retried_in_order_then_disabled_after_a_day_and_its_owner_told(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    api, clock = hook_api, hook_server.clock
    start = datetime.now(UTC).replace(microsecond=0)
    clock.set(start)
    expert, client, webhook = await with_endpoint(api, hook_server, receiver.url)
    receiver.status = 500
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(80))
    await receiver.wait_for(1)
    await act(api, CONFIRM, expert, meetingId=meeting["id"])

    async def first_attempt_logged() -> list[dict[str, Any]] | None:
        log = await deliveries(api, expert, webhook["id"])
        return log if log and log[-1]["attempts"] == 1 else None

    log = await eventually(first_attempt_logged)
    assert (log[-1]["status"], log[-1]["responseCode"], log[-1]["lastError"]) == ("PENDING", 500, "answered 500")
    await hook_server.snapshot()  # the confirmation waits behind the booking: never sent first
    assert [r.status for r in receiver.received] == [500]

    receiver.status = 200  # back: the retry goes, then what waited behind it, in order
    clock.set(start + timedelta(seconds=WEBHOOK_BACKOFF_SECONDS[0]))
    received = await receiver.wait_for(3)
    assert [json.loads(r.body)["type"] for r in received] == ["BOOKED_BY_CLIENT"] * 2 + ["APPROVED_BY_EXPERT"]
    assert [d["attempts"] for d in await deliveries(api, expert, webhook["id"])] == [1, 2]

    receiver.status = 503  # down for good: a day of retries, then the endpoint is turned off
    cancelled = await act(api, CANCEL, client, meetingId=meeting["id"], reason="SCHEDULE_CONFLICT")
    assert cancelled["__typename"] == "Meeting"
    moment = start + timedelta(seconds=WEBHOOK_BACKOFF_SECONDS[0])
    for attempt, delay in enumerate(WEBHOOK_BACKOFF_SECONDS, start=1):
        await receiver.wait_for(3 + attempt)
        moment += timedelta(seconds=delay)
        clock.set(moment)
    await receiver.wait_for(3 + len(WEBHOOK_BACKOFF_SECONDS) + 1)

    async def disabled() -> dict[str, Any] | None:
        [hook] = (await api.query(WEBHOOKS, token=expert.token))["webhooks"]
        return hook if not hook["active"] else None

    hook = await eventually(disabled)
    assert hook["disabledReason"] == "failed for a day"
    failed = (await deliveries(api, expert, webhook["id"], statuses=["FAILED"]))[0]
    assert (failed["attempts"], failed["responseCode"]) == (len(WEBHOOK_BACKOFF_SECONDS) + 1, 503)
    notices = (await api.query(NOTIFICATIONS, token=expert.token))["notifications"]["edges"]
    assert notices[0]["node"]["type"] == "WEBHOOK_DISABLED" and receiver.url in notices[0]["node"]["text"]
    # Disabled: later changes are not delivered, and nothing is replayed to it.
    await act(
        api,
        CONFIRM,
        expert,
        meetingId=(await book(api, client, await make_service(api, expert), hours_from_now(90)))["id"],
    )
    assert await WebhookDelivery.filter(webhook_id=webhook["id"]).count() == 3
    refused = await assert_refused(hook_server, act(api, REPLAY, expert, deliveryId=failed["id"]), "INVALID_STATE")
    assert refused["message"] == "its webhook is disabled"


async def test_a_delivery_whose_job_ended_without_it_holds_up_no_later_one(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    api = hook_api
    hook_server.clock.set(datetime.now(UTC))  # the first delivery's retry stays in the future
    expert, client, webhook = await with_endpoint(api, hook_server, receiver.url)
    receiver.status = 500
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(84))
    await receiver.wait_for(1)

    async def retry_planned() -> bool:
        return await ScheduledJob.filter(
            kind="SEND_WEBHOOK", status="PENDING", webhook_delivery__webhook_id=webhook["id"]
        ).exists()

    await eventually(retry_planned)
    # As if a bug had failed the job for good without concluding its delivery:
    await ScheduledJob.filter(webhook_delivery__webhook_id=webhook["id"]).update(status="FAILED")
    receiver.status = 200
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    [_, confirmed] = await receiver.wait_for(2)
    assert (json.loads(confirmed.body)["type"], confirmed.status) == ("APPROVED_BY_EXPERT", 200)


async def test_a_slow_endpoint_times_out_and_the_server_keeps_answering(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    api = hook_api
    expert, client, webhook = await with_endpoint(api, hook_server, receiver.url)
    receiver.delay = 3.0  # the server's WEBHOOK_TIMEOUT_SECONDS is 1
    await book(api, client, await make_service(api, expert), hours_from_now(70))
    await receiver.wait_for(1)
    started = datetime.now(UTC)
    assert (await api.query(WEBHOOKS, token=expert.token))["webhooks"]  # answered while the call waits
    assert datetime.now(UTC) - started < timedelta(seconds=1)

    async def timed_out() -> dict[str, Any] | None:
        log = await deliveries(api, expert, webhook["id"])
        return log[0] if log[0]["attempts"] == 1 else None

    delivery = await eventually(timed_out)
    assert (delivery["status"], delivery["responseCode"]) == ("PENDING", None)
    assert delivery["lastError"] == "no answer within 1 s" and 900 <= delivery["latencyMs"] < 2500


async def test_calls_to_a_slow_endpoint_run_side_by_side_and_hold_up_no_other(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    """Four deliveries to an endpoint that answers after 3 s (each given up after the server's 1 s)
    are all in flight at once, and another endpoint's delivery goes meanwhile: one at a time,
    the last would start 3 s after the first, and the other endpoint would wait 4 s."""
    api = hook_api
    slow_expert = await make_person(api, hook_server.admin_token, expert=True)
    other_expert = await make_person(api, hook_server.admin_token, expert=True)
    client = await make_person(api, hook_server.admin_token, credits=500)
    fast = Receiver().start()
    try:
        await create_webhook(api, slow_expert, receiver.url)
        await create_webhook(api, other_expert, fast.url)
        receiver.delay = 3.0
        slow_service = await make_service(api, slow_expert)
        for hours in (120, 122, 124, 126):
            await book(api, client, slow_service, hours_from_now(hours))
        await book(api, client, await make_service(api, other_expert), hours_from_now(128))
        slow = await receiver.wait_for(4)
        [other] = await fast.wait_for(1)
        assert slow[-1].at - slow[0].at < 0.9  # the fourth began before the first was given up
        assert other.at - slow[0].at < 0.9
    finally:
        fast.stop()


async def test_a_redirect_is_not_followed(hook_api: Api, hook_server: RunningServer, receiver: Receiver) -> None:
    api = hook_api
    expert, client, webhook = await with_endpoint(api, hook_server, receiver.url)
    receiver.status, receiver.location = 307, "http://169.254.169.254/latest/meta-data/"
    await book(api, client, await make_service(api, expert), hours_from_now(72))

    async def attempted() -> dict[str, Any] | None:
        log = await deliveries(api, expert, webhook["id"])
        return log[0] if log[0]["attempts"] == 1 else None

    delivery = await eventually(attempted)
    assert (delivery["status"], delivery["responseCode"]) == ("PENDING", 307)
    assert delivery["lastError"] == "answered 307, a redirect: not followed"
    assert len(receiver.received) == 1


async def test_a_delivery_is_replayed_with_the_same_body_and_a_rotated_secret_signs_beside_the_old(
    hook_api: Api, hook_server: RunningServer, receiver: Receiver
) -> None:
    api = hook_api
    expert, client, webhook = await with_endpoint(api, hook_server, receiver.url, secret="a-secret-of-our-own-choosing")
    assert webhook["secret"] == "a-secret-of-our-own-choosing"
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(74))
    [first] = await receiver.wait_for(1)
    [delivered] = await deliveries(api, expert, webhook["id"])

    rotated = await act(api, ROTATE, expert, webhookId=webhook["id"])
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != webhook["secret"]
    replay = await act(api, REPLAY, expert, deliveryId=delivered["id"])
    assert (replay["replayOf"], replay["eventId"], replay["status"]) == (
        delivered["id"],
        delivered["eventId"],
        "PENDING",
    )
    [_, again] = await receiver.wait_for(2)
    assert again.body == first.body and again.headers["webhook-id"] == replay["id"]
    verified(again, [rotated["secret"], webhook["secret"]])  # both, for the 24 h after a rotation

    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    [*_, confirmed] = await receiver.wait_for(3)
    assert verified(confirmed, [rotated["secret"]])["type"] == "APPROVED_BY_EXPERT"
    others = await make_person(api, hook_server.admin_token, expert=True)
    await assert_refused(hook_server, act(api, REPLAY, others, deliveryId=delivered["id"]), "NOT_FOUND")
    await assert_refused(hook_server, act(api, ROTATE, others, webhookId=webhook["id"]), "NOT_FOUND")
    await assert_refused(hook_server, act(api, REPLAY, expert, deliveryId="not-a-delivery"), "NOT_FOUND")


async def test_webhook_refusals_change_nothing(hook_api: Api, hook_server: RunningServer, receiver: Receiver) -> None:
    api, server = hook_api, hook_server
    expert = await make_person(api, server.admin_token, expert=True)
    client = await make_person(api, server.admin_token, credits=10)
    assert (await act(api, DISABLE, expert, webhookId="nope"))["code"] == "NOT_FOUND"
    await assert_refused(server, create_webhook(api, client, receiver.url), "NOT_ALLOWED")
    await assert_refused(server, create_webhook(api, expert, receiver.url, events=[]), "INVALID_INPUT")
    await assert_refused(server, create_webhook(api, expert, receiver.url, secret="short"), "INVALID_INPUT")
    await assert_refused(server, create_webhook(api, expert, "http://10.0.0.1/in"), "INVALID_INPUT")
    first = await create_webhook(api, expert, receiver.url)
    await create_webhook(api, expert, receiver.url + "/2")
    limited = await assert_refused(server, create_webhook(api, expert, receiver.url + "/3"), "LIMIT_EXCEEDED")
    assert limited["message"] == "at most 2 active webhooks each; disable one first"

    await assert_refused(server, act(api, DISABLE, client, webhookId=first["id"]), "NOT_FOUND")
    disabled = await act(api, DISABLE, expert, webhookId=first["id"])
    assert (disabled["active"], disabled["disabledReason"]) == (False, "disabled by its owner")
    await assert_refused(server, act(api, DISABLE, expert, webhookId=first["id"]), "INVALID_STATE")
    assert (await create_webhook(api, expert, receiver.url + "/3"))["__typename"] == "Webhook"
    listed = (await api.query(WEBHOOKS, token=expert.token))["webhooks"]
    assert len(listed) == 3 and all(hook["secret"] for hook in listed)
    everyone = (await api.query(WEBHOOKS, token=server.admin_token))["webhooks"]
    assert {hook["id"] for hook in listed} <= {hook["id"] for hook in everyone}
    assert all(hook["secret"] is None for hook in everyone if hook["ownerId"] == expert.id)  # owners only
    for hook in listed:  # leave no endpoint behind for the module's other tests
        if hook["active"]:
            await act(api, DISABLE, server_admin(server), webhookId=hook["id"])
    assert not await Webhook.filter(owner_id=expert.id, active=True).exists()


def server_admin(server: RunningServer) -> Person:
    return Person(id="", token=server.admin_token, email="")


HOSTILE = [
    "http://127.0.0.1:9/in",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/in",
    "http://localhost/in",
    "http://metadata.internal/",
    "ftp://hooks.example.com/",
    "gopher://hooks.example.com/",
    "https://user:password@hooks.example.com/",
    "https://hooks.example.com/" + "x" * 2000,
]


async def test_every_hostile_address_is_refused_where_private_networks_are_not_allowed(
    api: Api, server: RunningServer
) -> None:
    expert = await make_person(api, server.admin_token, expert=True)
    messages = [
        (await assert_refused(server, create_webhook(api, expert, url), "INVALID_INPUT"))["message"] for url in HOSTILE
    ]
    assert messages == [
        "127.0.0.1 is not a public address; webhooks call public addresses",
        "169.254.169.254 is not a public address; webhooks call public addresses",
        "::1 is not a public address; webhooks call public addresses",
        "localhost is a private name; webhooks call public addresses",
        "metadata.internal is a private name; webhooks call public addresses",
        "a webhook URL starts with http:// or https://",
        "a webhook URL starts with http:// or https://",
        "a webhook URL carries no user name or password (sign with the secret instead)",
        "a webhook URL is at most 2000 characters, without spaces",
    ]


async def test_a_name_that_resolves_to_a_private_address_is_refused_at_the_call(receiver: Receiver) -> None:
    """Whatever the check at registration made of a name (a public name may later resolve to a
    private address), the addresses it resolves to are checked before connecting: `localhost`
    stands for such a name here, and nothing reaches the receiver."""
    caller = WebhookCaller((), 5)
    try:
        port = receiver.url.rsplit(":", 1)[1]
        answer = await caller.post(f"http://localhost:{port}/in", b"{}", {"content-type": "application/json"})
    finally:
        await caller.aclose()
    assert answer.status_code is None and answer.error is not None and "not a public address" in answer.error
    assert receiver.received == []
