"""The API through @apollo/client and graphql-ws in Node, as a typed frontend uses it."""

from tests.support.factories import Person, book, hours_from_now
from tests.support.graphql import Api
from tests.support.node import run_check
from tests.support.server import RunningServer


async def test_apollo_queries_mutates_reads_problem_codes_from_its_cache_and_subscribes(
    api: Api, server: RunningServer, expert: Person, client: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(50))

    report = run_check("apollo_client.mjs", server.base_url, client.token, expert.token, booked["id"])

    assert report["viewer"]["id"] == client.id
    assert report["problemFromCache"]["__typename"] == "NotFound"
    assert report["problemFromCache"]["code"] == "NOT_FOUND" and report["problemFromCache"]["message"]
    # Without the possibleTypes map Apollo cannot tell NotFound is a Problem, and drops its fields.
    assert "code" not in (report["problemWithoutPossibleTypes"] or {})
    assert report["refusedConfirm"]["__typename"] == "NotAllowed"
    assert report["refusedConfirm"]["code"] == "NOT_ALLOWED"
    assert report["confirmed"] == {"__typename": "Meeting", "id": booked["id"], "status": "AGREED"}
    first, *_, last = report["frames"]
    assert first["status"] == "AWAITING_APPROVAL" and last["status"] == "AGREED"
    assert last["version"] > first["version"]
