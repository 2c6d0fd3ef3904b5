"""GraphQL over HTTP as browsers and typed clients meet it: CORS, media types, status codes,
a code on every top-level error, and one log line (not a traceback) per client mistake."""

import json
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.support.factories import Person
from tests.support.graphql import Api
from tests.support.server import ALLOWED_ORIGIN, RunningServer, server_log

GRAPHQL_RESPONSE = "application/graphql-response+json"
VIEWER = "query Viewer { viewer { id } }"


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }


async def post(api: Api, body: object, accept: str | None = None, token: str | None = None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if accept:
        headers["accept"] = accept
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await api.http.post("/graphql", content=json.dumps(body), headers=headers)


async def test_a_preflight_from_an_allowed_origin_passes(api: Api) -> None:
    response = await api.http.options("/graphql", headers=preflight(ALLOWED_ORIGIN))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers and "content-type" in allowed_headers
    assert "POST" in response.headers["access-control-allow-methods"]


async def test_a_preflight_from_another_origin_is_refused_naming_the_variable_to_set(
    api: Api, server: RunningServer
) -> None:
    response = await api.http.options("/graphql", headers=preflight("http://evil.example"))
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].startswith(
        "a request from browser origin http://evil.example refused: add it to ALLOWED_ORIGINS"
    )
    assert ALLOWED_ORIGIN in error["message"]
    port = int(server.base_url.rsplit(":", 1)[1])
    assert (
        "browser origin http://evil.example refused: add it to ALLOWED_ORIGINS"
        in server_log(server.env, port).read_text()
    )


async def test_a_cross_origin_call_can_read_the_answer_and_its_request_id(api: Api, client: Person) -> None:
    response = await api.http.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"Origin": ALLOWED_ORIGIN, "Authorization": f"Bearer {client.token}"},
    )
    assert response.json()["data"] == {"viewer": {"id": client.id}}
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
    assert len(response.headers["x-request-id"]) == 16


async def test_a_socket_from_another_origin_is_refused_and_logged_naming_the_variable(server: RunningServer) -> None:
    with pytest.raises(InvalidStatus):
        await connect(server.ws_url, subprotocols=["graphql-transport-ws"], origin="http://other.example")  # type: ignore[list-item,arg-type]
    port = int(server.base_url.rsplit(":", 1)[1])
    log = server_log(server.env, port).read_text()
    assert "a WebSocket from browser origin http://other.example refused: add it to ALLOWED_ORIGINS" in log
    socket = await connect(server.ws_url, subprotocols=["graphql-transport-ws"], origin=ALLOWED_ORIGIN)  # type: ignore[list-item,arg-type]
    await socket.close()


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("*/*", "application/json"),
        ("application/json", "application/json"),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
    ],
)
async def test_the_answer_takes_the_media_type_asked_for(
    api: Api, client: Person, accept: str | None, media_type: str
) -> None:
    response = await post(api, {"query": VIEWER}, accept, client.token)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.json()["data"] == {"viewer": {"id": client.id}}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("query Broken { viewer { id ", "GRAPHQL_PARSE_FAILED"),
        ("query Unknown { nope }", "GRAPHQL_VALIDATION_FAILED"),
        ("query A { viewer { id } } query B { viewer { id } }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_a_request_that_never_ran_has_no_data_and_a_400_when_asked_for_graphql_response(
    api: Api, client: Person, query: str, code: str
) -> None:
    modern = await post(api, {"query": query}, GRAPHQL_RESPONSE, client.token)
    legacy = await post(api, {"query": query}, "application/json", client.token)
    assert modern.status_code == 400 and legacy.status_code == 200
    for response in (modern, legacy):
        body = response.json()
        assert "data" not in body
        assert body["errors"][0]["extensions"]["code"] == code


async def test_a_variable_of_the_wrong_type_never_runs(api: Api, client: Person) -> None:
    query = "query Meeting($id: ID!) { meeting(id: $id) { __typename } }"
    response = await post(api, {"query": query, "variables": {"id": None}}, GRAPHQL_RESPONSE, client.token)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_operation_that_ran_is_a_200_even_without_data(api: Api) -> None:
    response = await post(api, {"query": VIEWER}, GRAPHQL_RESPONSE)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize(
    ("method", "status", "code", "allow"),
    [("PUT", 405, "METHOD_NOT_ALLOWED", "GET, POST"), ("DELETE", 405, "METHOD_NOT_ALLOWED", "GET, POST")],
)
async def test_other_methods_are_a_json_405_with_allow(
    api: Api, method: str, status: int, code: str, allow: str
) -> None:
    response = await api.http.request(method, "/graphql")
    assert response.status_code == status
    assert response.headers["allow"] == allow
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_a_mutation_over_get_is_a_405_saying_post(api: Api, client: Person) -> None:
    query = 'mutation Issue { issueToken(input: {email: "x@example.com"}) { __typename } }'
    response = await api.http.get("/graphql", params={"query": query}, headers={"accept": "application/json"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_a_query_over_get_runs(api: Api, client: Person) -> None:
    response = await api.http.get(
        "/graphql",
        params={"query": VIEWER},
        headers={"accept": GRAPHQL_RESPONSE, "authorization": f"Bearer {client.token}"},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"viewer": {"id": client.id}}


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({"content-type": "text/plain"}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        ({"content-type": "application/json", "accept": "text/csv"}, 406, "NOT_ACCEPTABLE"),
        ({"content-type": "application/json", "authorization": "Bearer not-a-token"}, 401, "UNAUTHENTICATED"),
    ],
)
async def test_requests_refused_before_running_are_coded_json(
    api: Api, headers: dict[str, str], status: int, code: str
) -> None:
    response = await api.http.post("/graphql", content=json.dumps({"query": VIEWER}), headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_a_subscription_over_http_without_a_stream_is_a_400_that_says_where_subscriptions_run(
    api: Api, client: Person
) -> None:
    query = "subscription Added { notificationAdded { id } }"
    response = await post(api, {"query": query}, GRAPHQL_RESPONSE, client.token)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert all(way in error["message"] for way in ("WebSocket", "text/event-stream", "subscriptionSpec=1.0"))


async def test_every_top_level_error_has_a_code(api: Api, client: Person, server: RunningServer) -> None:
    slots = 'availableSlots(expertId: "x", from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z", durationMinutes: 60) { startsAt }'
    mistakes: list[tuple[str, str | None]] = [
        ("query Anonymous { viewer { id } }", None),
        ('query Cursor { meetings(first: 5, after: "bogus") { edges { cursor } } }', client.token),
        (f"query Costly {{ a: {slots} b: {slots} }}", client.token),
        ("query Aliases { " + " ".join(f"a{i}: viewer {{ id }}" for i in range(40)) + " }", client.token),
        ("query Tokens { viewer { " + "id " * 2500 + "} }", client.token),
        ("query Unbalanced { viewer { id } }}}", client.token),
    ]
    for query, token in mistakes:
        body = (await post(api, {"query": query}, token=token)).json()
        assert body["errors"], query
        for error in body["errors"]:
            assert isinstance(error.get("extensions", {}).get("code"), str), (query[:60], error)


async def test_client_mistakes_are_one_log_line_each(api: Api, client: Person, server: RunningServer) -> None:
    log_path = Path(server.env["DATA_DIR"]).glob("server-*.log")
    log = next(log_path)
    before = log.read_text(errors="replace")
    response = await post(api, {"query": "query LogMe { nope }"}, token=client.token)
    request_id = response.headers["x-request-id"]
    added = log.read_text(errors="replace")[len(before) :]
    lines = [line for line in added.splitlines() if "LogMe" in line]
    assert len(lines) == 1, added
    assert "GRAPHQL_VALIDATION_FAILED" in lines[0] and f"[{request_id}]" in lines[0]
    assert "Traceback" not in added


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/no-such-page", 404, "NOT_FOUND"),
        ("GET", "/calendar/not-a-token.ics", 404, "NOT_FOUND"),
        ("GET", "/graphiql/assets/../../pyproject.toml", 404, "NOT_FOUND"),
        ("POST", "/healthz", 405, "METHOD_NOT_ALLOWED"),
    ],
)
async def test_every_other_refusal_is_coded_json_too(api: Api, method: str, path: str, status: int, code: str) -> None:
    response = await api.http.request(method, path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == code
