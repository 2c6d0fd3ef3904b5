"""Malformed requests get a clear error, never a stack trace or SQL, and change nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from tests.support.factories import BOOK, Person, book, hours_from_now
from tests.support.graphql import Api
from tests.support.server import RunningServer

LEAK_MARKERS = ("Traceback", 'File "', "SELECT", "INSERT", "sqlite", "tortoise", ".py")


def assert_no_leak(text: str) -> None:
    for marker in LEAK_MARKERS:
        assert marker not in text, f"{marker!r} leaked in: {text}"


async def post(api: Api, body: bytes | str, token: str | None = None) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return await api.http.post("/graphql", content=body, headers=headers)


async def test_malformed_json_is_a_400(api: Api, server: RunningServer, client: Person) -> None:
    before = await server.snapshot()
    response = await post(api, '{"query": "mutation {', client.token)
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"message": "the request body is not JSON", "extensions": {"code": "BAD_REQUEST"}}]
    }
    assert await server.snapshot() == before


async def test_wrong_types_are_validation_errors(
    api: Api, server: RunningServer, client: Person, service_id: str
) -> None:
    before = await server.snapshot()
    variables: dict[str, Any] = {
        "input": {"serviceId": service_id, "startsAt": hours_from_now(50), "durationMinutes": "sixty", "mode": "VIDEO"}
    }
    response = await api.raw(BOOK, variables, client.token)
    body = response.json()
    assert 'Int cannot represent non-integer value: "sixty"' in body["errors"][0]["message"]
    assert_no_leak(response.text)

    variables["input"].update(durationMinutes=60, startsAt="next tuesday")
    body = (await api.raw(BOOK, variables, client.token)).json()
    assert body["errors"][0]["message"].endswith(
        'Value cannot represent a DateTime: "next tuesday". Expected RFC 3339 text with an offset, '
        "e.g. 2030-01-07T10:00:00Z."
    )

    # What a client sent is echoed as JSON, as it sent it (graphql-core writes Python).
    del variables["input"]["startsAt"]
    body = (await api.raw(BOOK, variables, client.token)).json()
    message = body["errors"][0]["message"]
    assert message.endswith(f'found: {{"serviceId": "{service_id}", "durationMinutes": 60, "mode": "VIDEO"}}.')
    variables["input"].update(startsAt=hours_from_now(50), extra=[{"deep": {"deeper": [None]}}])
    body = (await api.raw(BOOK, variables, client.token)).json()
    assert body["errors"][0]["message"].endswith("not to include unknown field 'extra'.")
    del variables["input"]["extra"]

    variables["input"].update(startsAt=hours_from_now(50), mode="TELEPATHY")
    body = (await api.raw(BOOK, variables, client.token)).json()
    assert "MeetingMode" in body["errors"][0]["message"]
    assert await server.snapshot() == before


async def test_an_int_beyond_32_bits_is_refused(api: Api, server: RunningServer, client: Person) -> None:
    grant = 'mutation { grantCredits(input: {userId: "%s", amount: 99999999999}) { __typename } }'
    body = (await api.raw(grant % client.id, token=server.admin_token)).json()
    assert "Int cannot represent non 32-bit signed integer value" in body["errors"][0]["message"]


async def test_unknown_fields_and_syntax_errors_are_reported_plainly(api: Api, client: Person) -> None:
    body = (await api.raw("{ viewer { password } }", token=client.token)).json()
    assert body["errors"][0]["message"] == "Cannot query field 'password' on type 'User'."
    body = (await api.raw("{ viewer { name ", token=client.token)).json()
    assert body["errors"][0]["message"].startswith("Syntax Error")


async def test_an_oversized_body_is_refused_before_parsing(api: Api, client: Person) -> None:
    huge = '{"query": "{ viewer { name } }", "variables": {"x": "' + "a" * 70_000 + '"}}'
    response = await post(api, huge, client.token)
    assert response.status_code == 413
    assert response.json() == {
        "errors": [
            {"message": "the request body is larger than 65536 bytes", "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
        ]
    }


async def test_too_deep_too_long_and_too_aliased_queries_are_refused(api: Api, client: Person) -> None:
    deep = "{ viewer { expert { " + "services { expert { " * 7 + "name" + " } }" * 7 + " } } }"
    body = (await api.raw(deep, token=client.token)).json()
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]

    aliased = "{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(40)) + " }"
    body = (await api.raw(aliased, token=client.token)).json()
    assert "aliases found" in body["errors"][0]["message"]

    long_query = "{ viewer { " + "name " * 2500 + "} }"
    body = (await api.raw(long_query, token=client.token)).json()
    assert body["errors"][0]["message"] == ("Syntax Error: Document contains more than 2000 tokens. Parsing aborted.")


async def test_missing_and_bad_tokens(api: Api, server: RunningServer) -> None:
    before = await server.snapshot()
    body = (await api.raw("{ creditBalance { available } }")).json()
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    response = await api.raw("{ viewer { name } }", token="abc.def.ghi")
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["message"].startswith("this token is not valid here") and "renewSession" in error["message"]
    response = await api.http.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers={"authorization": "Basic x"}
    )
    assert response.status_code == 401
    assert await server.snapshot() == before


async def test_public_reads_need_no_token(api: Api, expert: Person, service_id: str) -> None:
    query = "query($id: ID!) { expert(id: $id) { name policy { clientCancellationWindowMinutes } services { id offerings { durationMinutes priceCredits } } } }"
    data = await api.query(query, {"id": expert.id})
    assert data["expert"]["services"] == [
        {"id": service_id, "offerings": [{"durationMinutes": 60, "priceCredits": 50}]}
    ]
    assert data["expert"]["policy"] == {"clientCancellationWindowMinutes": 1440}
    assert (await api.query(query, {"id": "nope"}))["expert"] is None


async def test_another_users_email_is_hidden(api: Api, client: Person, expert: Person, service_id: str) -> None:
    meeting = await book(api, client, service_id, hours_from_now(70))
    query = "query($id: ID!) { meeting(id: $id) { ... on Meeting { client { email } expert { name } } } }"
    as_expert = await api.query(query, {"id": meeting["id"]}, expert.token)
    assert as_expert["meeting"]["client"]["email"] is None
    as_client = await api.query(query, {"id": meeting["id"]}, client.token)
    assert as_client["meeting"]["client"]["email"] == client.email


async def test_health_and_readiness(api: Api) -> None:
    assert (await api.http.get("/healthz")).json() == {"status": "ok"}
    assert (await api.http.get("/readyz")).json() == {"status": "ready", "database": True, "broker": True}


async def test_an_expired_token_says_when_it_expired_and_how_to_get_a_new_one(api: Api, server: RunningServer) -> None:
    user = await api.query("{ viewer { id } }", token=server.admin_token)
    expired_at = datetime.now(UTC) - timedelta(hours=1)
    stale = jwt.encode(
        {"sub": user["viewer"]["id"], "exp": int(expired_at.timestamp())}, server.env["JWT_SECRET"], algorithm="HS256"
    )
    response = await api.raw("{ viewer { name } }", token=stale)
    assert response.status_code == 401
    [error] = response.json()["errors"]
    assert error["message"].startswith("this token expired at ") and "get a new one" in error["message"]
