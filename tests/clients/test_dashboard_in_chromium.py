"""The /dashboard page as a person uses it, in headless Chromium against a real server:
sign-in by e-mail code, meetings and notifications live, Join lighting up at the join window,
a message from a meeting's row and its reply live, an expert's instant requests. Screenshots are kept in test-artifacts/."""

from datetime import datetime, timedelta
from pathlib import Path

from tests.support.factories import Person, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.node import artifact, run_check
from tests.support.server import RunningServer, ServerClock, server_log


async def test_the_dashboard_signs_in_by_code_and_shows_meetings_notifications_join_and_requests_live(
    api: Api, server: RunningServer, clock: ServerClock, client: Person, expert: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(2))
    # Busy with that meeting at the join window, the first expert is offered no instant request.
    free_expert = await make_person(api, server.admin_token, expert=True, name="Ria Responder")
    await make_service(api, free_expert, duration=30)
    starts_at = datetime.fromisoformat(booked["startsAt"])
    clock.set(starts_at - timedelta(minutes=11))  # tokens from the sign-in are issued on this clock
    shots = artifact("dashboard")
    for side in ("client", "expert"):
        Path(f"{shots}-{side}.png").unlink(missing_ok=True)
    port = int(server.base_url.rsplit(":", 1)[1])

    report = run_check(
        "dashboard_in_chromium.mjs",
        server.base_url,
        str(server_log(server.env, port)),
        str(clock.path),
        (starts_at - timedelta(minutes=9)).isoformat(),
        client.email,
        client.token,
        expert.token,
        free_expert.token,
        booked["id"],
        "coaching",
        str(shots),
    )

    assert report["blocked"] == [] and report["failedRequests"] == [] and report["consoleErrors"] == []
    assert report["codeFound"] and "not right" in report["wrongCode"]
    assert report["who"] == "Sam Client"
    assert (report["before"], report["joinBefore"]) == ("AWAITING_APPROVAL", True)
    assert report["confirm"] == "Meeting" and report["newestNotification"] == "APPROVED_BY_EXPERT"
    assert report["joinLit"]
    assert report["messageSent"] == "Sam Client: Can we use the whiteboard?" and report["expertUnread"] == 1
    assert report["replyShown"] == "Maya Expert: Yes, it will be ready."
    assert report["posted"]["__typename"] == "InstantRequest"
    assert report["requestShown"] == "Stuck on a rollout"
    for side in ("client", "expert"):
        assert Path(f"{shots}-{side}.png").stat().st_size > 10_000
