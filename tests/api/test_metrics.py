"""/metrics for a Prometheus scraper: absent unless METRICS_TOKEN is set, then only for that
token; the series count what happened (operations, SQL, sockets, frames, jobs, e-mails), and a
client cannot grow the set of series by naming operations."""

from collections.abc import AsyncIterator, Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import api_on, running_server
from tests.support.factories import CONFIRM, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api, Subscriber
from tests.support.server import RunningServer

TOKEN = "scrape-token-for-tests-0123"
DISABLE_WEBHOOK = """mutation($input: WebhookInput!) { disableWebhook(input: $input) { __typename } }"""


@pytest.fixture(scope="module")
def metrics_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(request, tmp_path_factory, "sqlite", METRICS_TOKEN=TOKEN) as server:
        yield server


@pytest.fixture
async def metrics_api(metrics_server: RunningServer) -> AsyncIterator[Api]:
    async with api_on(metrics_server) as api:
        yield api


async def scrape(api: Api) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await api.http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_metrics_answer_only_their_token(metrics_api: Api, api: Api) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        refused = await metrics_api.http.get("/metrics", headers=headers)
        assert refused.status_code == 401 and refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await api.http.get("/metrics")).status_code == 404  # a server without METRICS_TOKEN has none


async def test_operations_sockets_frames_and_jobs_are_counted(metrics_api: Api, metrics_server: RunningServer) -> None:
    expert = await make_person(metrics_api, metrics_server.admin_token, expert=True)
    client = await make_person(metrics_api, metrics_server.admin_token, credits=500)
    meeting = await book(metrics_api, client, await make_service(metrics_api, expert), hours_from_now(90))
    for _ in range(3):
        await metrics_api.query("query Probe { viewer { id } }", token=client.token)
    before = await scrape(metrics_api)
    assert before[("graphql_operation_seconds_count", (("operation", "Probe"), ("type", "query")))] >= 3
    assert before[("graphql_operation_sql_statements_count", (("operation", "Probe"),))] >= 3
    assert ("jobs_due_total", ()) not in before  # a gauge: jobs_due{kind} when any is due
    assert before[("emails", (("state", "pending"),))] >= 0
    assert before[("webhooks", (("state", "failing"),))] == 0
    assert before[("webhooks", (("state", "disabled"),))] == 0
    made = await metrics_api.query(
        """mutation { createWebhook(input: {url: "https://hooks.example.com/in", events: [COMPLETED]}) {
          ... on Webhook { id } } }""",
        token=expert.token,
    )
    await act(metrics_api, DISABLE_WEBHOOK, expert, webhookId=made["createWebhook"]["id"])
    assert (await scrape(metrics_api))[("webhooks", (("state", "disabled"),))] == 1
    subscriber = await Subscriber.open(metrics_server.ws_url, client.token)
    try:
        await subscriber.expect_ack()
        await subscriber.subscribe(
            "subscription($id: ID) { meetingUpdated(meetingId: $id) { id } }", {"id": meeting["id"]}
        )
        await subscriber.next_payload()  # the meeting as it is: live
        await act(metrics_api, CONFIRM, Person(expert.id, expert.token, expert.email), meetingId=meeting["id"])
        await subscriber.next_payload()
        during = await scrape(metrics_api)
        assert during[("websocket_connections", ())] == 1
        assert during[("subscriptions_open", ())] == 1
        assert during[("subscription_frames_sent_total", ())] >= before[("subscription_frames_sent_total", ())] + 2
    finally:
        await subscriber.close()


async def test_operation_names_cannot_grow_the_series_without_bound(metrics_api: Api) -> None:
    for n in range(120):
        await metrics_api.http.post("/graphql", json={"query": f"query Name{n} {{ __typename }}"})
    await metrics_api.http.post("/graphql", json={"query": "query " + "Long" * 30 + " { __typename }"})
    names = {
        dict(labels).get("operation")
        for (name, labels) in await scrape(metrics_api)
        if name == "graphql_operation_seconds_count"
    }
    assert "other" in names and len(names - {"other", "anonymous"}) <= 100
