"""GraphiQL as a developer meets it: in headless Chromium with no network but loopback."""

from tests.support.factories import Person, book, hours_from_now
from tests.support.graphql import Api
from tests.support.node import artifact, run_check
from tests.support.server import RunningServer


async def test_graphiql_renders_offline_runs_the_example_and_shows_a_live_frame(
    api: Api, server: RunningServer, expert: Person, client: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(50))
    screenshot = artifact("graphiql.png")
    screenshot.unlink(missing_ok=True)

    report = run_check(
        "graphiql_in_chromium.mjs", server.base_url, client.token, expert.token, booked["id"], str(screenshot)
    )

    assert report["blocked"] == [], "GraphiQL reached beyond this server"
    assert report["failedRequests"] == [] and report["consoleErrors"] == []
    assert report["tabs"] == 4 and "query MyMeetings" in report["firstQuery"]
    assert report["myMeetings"]["data"]["viewer"]["id"] == client.id
    listed = [edge["node"]["id"] for edge in report["myMeetings"]["data"]["meetings"]["edges"]]
    assert booked["id"] in listed
    assert report["confirm"]["data"]["confirmMeeting"]["__typename"] == "Meeting"
    frame = report["liveFrame"]["data"]["meetingUpdated"]
    assert frame["id"] == booked["id"] and frame["status"] == "AGREED"
    assert screenshot.stat().st_size > 10_000
