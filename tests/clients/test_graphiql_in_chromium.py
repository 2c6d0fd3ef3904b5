"""GraphiQL as a developer meets it after `make run`: in headless Chromium with no network but
loopback, its example tabs run in order from a free slot to a live frame."""

from tests.clients.conftest import DemoServer
from tests.support.node import artifact, run_check


def test_graphiql_walks_from_a_free_slot_to_a_live_frame_as_shipped(demo_server: DemoServer) -> None:
    screenshot = artifact("graphiql.png")
    screenshot.unlink(missing_ok=True)

    report = run_check("graphiql_in_chromium.mjs", demo_server.base_url, str(screenshot))

    assert report["blocked"] == [], "GraphiQL reached beyond this server"
    assert report["failedRequests"] == [] and report["consoleErrors"] == []
    assert report["tabs"] == report["tabsInSecond"] == 5, "opening the page again added tabs"
    assert report["tabTitles"] == ["Slots", "Book", "Live", "Confirm", "MyMeetings"]
    assert "Query" in report["docs"] and "Subscription" in report["docs"]
    slots = report["slots"]
    booked = report["book"]["data"]["bookMeeting"]
    assert slots and booked["__typename"] == "Meeting" and booked["status"] == "AWAITING_APPROVAL"
    assert booked["startsAt"] in [slot["startsAt"] for slot in slots]
    assert report["confirm"]["data"]["confirmMeeting"]["__typename"] == "Meeting"
    frame = report["liveFrame"]["data"]["meetingUpdated"]
    assert frame["id"] == booked["id"] and frame["status"] == "AGREED"
    assert screenshot.stat().st_size > 10_000
    refusal = report["refused"]["errors"][0]["message"]
    assert refusal.startswith("the WebSocket closed 4401: no token"), refusal
    assert report["refusedAfterMs"] < 5000, "a sign-in refusal was retried"
