"""Rescheduling and offers over real HTTP: who may move a meeting, when, and what it holds.

Every refusal is checked against a snapshot of every table (nothing changed).
"""

import asyncio
from collections import Counter
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import Any

from app.domain.schedule import JobKind
from app.models import ScheduledJob
from app.models.jobs import JobStatus
from tests.api.test_meeting_lifecycle import outsider_watching_everything, watching
from tests.api.test_refusals import UNKNOWN_ID, assert_refused
from tests.support.factories import (
    CANCEL,
    CHANGE_LOCATION,
    CONFIRM,
    DECLINE,
    RESCHEDULE,
    RESPOND,
    SET_PROGRAMME,
    WITHDRAW,
    Person,
    act,
    balance,
    book,
    hours_from_now,
    make_service,
)
from tests.support.graphql import Api
from tests.support.server import RunningServer
from tests.support.tables import ledger_of

SLOTS = """query($expert: ID!, $service: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(expertId: $expert, serviceId: $service, durationMinutes: 60, from: $from, to: $to) { startsAt }
}"""
NOTIFICATIONS = "{ notifications(first: 50) { edges { node { type text meetingId } } } }"


async def agreed(api: Api, client: Person, expert: Person, service_id: str, hours: float) -> dict[str, Any]:
    meeting = await book(api, client, service_id, hours_from_now(hours))
    assert meeting["__typename"] == "Meeting", meeting
    confirmed = await act(api, CONFIRM, expert, meetingId=meeting["id"])
    assert confirmed["status"] == "AGREED", confirmed
    return confirmed


async def offered(api: Api, expert: Person, meeting_id: str, *hours: float) -> dict[str, Any]:
    """The expert's own schedule: an offer of held times."""
    result = await act(
        api,
        RESCHEDULE,
        expert,
        meetingId=meeting_id,
        reason="EXPERT_SCHEDULE",
        times=[hours_from_now(h) for h in hours],
    )
    assert result["__typename"] == "Meeting", result
    return result


def pending(meeting: dict[str, Any]) -> dict[str, Any]:
    offers: list[dict[str, Any]] = [o for o in meeting["offers"] if o["status"] == "PENDING"]
    [offer] = offers
    return offer


async def notes_of(api: Api, person: Person, meeting_id: str) -> list[dict[str, str]]:
    edges = (await api.query(NOTIFICATIONS, token=person.token))["notifications"]["edges"]
    return [e["node"] for e in edges if e["node"]["meetingId"] == meeting_id]


def same_instant(a: str, b: str) -> bool:
    return datetime.fromisoformat(a) == datetime.fromisoformat(b)


async def test_expert_moves_at_the_clients_request_and_the_meeting_is_agreed_with_new_jobs(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(50))
    moved = await act(
        api, RESCHEDULE, expert, meetingId=meeting["id"], reason="CLIENT_REQUESTED", times=[hours_from_now(80)]
    )
    assert moved["status"] == "AGREED"
    assert same_instant(moved["startsAt"], hours_from_now(80))
    assert moved["creditStatus"] == "BLOCKED" and moved["version"] == 2

    jobs = await ScheduledJob.filter(meeting_id=meeting["id"], status=JobStatus.PENDING)
    new_start = datetime.fromisoformat(hours_from_now(80))
    assert {j.kind for j in jobs} >= {JobKind.REMINDER, JobKind.NO_SHOW_CHECK, JobKind.COMPLETE}
    assert all(j.due_at > new_start - timedelta(hours=25) for j in jobs)
    old_expiry = await ScheduledJob.get(meeting_id=meeting["id"], kind=JobKind.EXPIRE_UNAPPROVED)
    assert old_expiry.status is JobStatus.CANCELLED
    [told] = await notes_of(api, client, meeting["id"])
    assert told["type"] == "RESCHEDULED" and "Maya Expert moved Coaching to" in told["text"]


async def test_an_expert_offer_holds_its_times_until_the_client_picks_one_then_releases_the_rest(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    meeting = await agreed(api, client, expert, service_id, 60)
    result = await offered(api, expert, meeting["id"], 70, 72, 74)
    offer = pending(result)
    assert offer["holdsTimes"] and offer["madeBy"] == "EXPERT" and len(offer["times"]) == 3
    assert result["status"] == "AGREED" and result["startsAt"] == meeting["startsAt"]

    # Held: a third client can neither see nor book them.
    slots = await api.query(
        SLOTS, {"expert": expert.id, "service": service_id, "from": hours_from_now(69), "to": hours_from_now(76)}
    )
    starts = [datetime.fromisoformat(s["startsAt"]) for s in slots["availableSlots"]]
    for hours in (70, 72, 74):
        assert datetime.fromisoformat(hours_from_now(hours)) not in starts
    assert datetime.fromisoformat(hours_from_now(71)) in starts
    for hours in (70, 72, 74):
        await assert_refused(server, book(api, outsider, service_id, hours_from_now(hours)), "SLOT_TAKEN")
    [told] = [n for n in await notes_of(api, client, meeting["id"]) if n["type"] == "TIMES_OFFERED"]
    assert "Pick one or reject" in told["text"]

    picked = await act(api, RESPOND, client, offerId=offer["id"], decision="ACCEPT", startsAt=hours_from_now(72))
    assert picked["status"] == "AGREED"
    assert same_instant(picked["startsAt"], hours_from_now(72))
    [answered] = picked["offers"]
    assert answered["status"] == "ACCEPTED" and not answered["holdsTimes"]
    assert same_instant(answered["pickedStartsAt"], hours_from_now(72))

    # The times not picked are free in the very next request; the picked one is the meeting's.
    assert (await book(api, outsider, service_id, hours_from_now(70)))["__typename"] == "Meeting"
    assert (await book(api, outsider, service_id, hours_from_now(74)))["__typename"] == "Meeting"
    assert (await book(api, outsider, service_id, hours_from_now(72)))["__typename"] == "SlotTaken"
    assert (await book(api, outsider, service_id, meeting["startsAt"]))["__typename"] == "Meeting"
    assert await balance(api, client) == {"available": 450, "blocked": 50, "pendingEarnings": 0}
    [accepted] = [n for n in await notes_of(api, expert, meeting["id"]) if n["type"] == "OFFER_ACCEPTED"]
    assert "Sam Client accepted" in accepted["text"]


async def test_rejecting_the_experts_times_cancels_and_refunds_and_frees_them(
    api: Api, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    meeting = await agreed(api, client, expert, service_id, 90)
    offer = pending(await offered(api, expert, meeting["id"], 100))
    rejected = await act(api, RESPOND, client, offerId=offer["id"], decision="REJECT")
    assert rejected["status"] == "CANCELLED" and rejected["creditStatus"] == "RETURNED"
    assert rejected["offers"][0]["status"] == "REJECTED"
    assert await balance(api, client) == {"available": 500, "blocked": 0, "pendingEarnings": 0}
    assert await ledger_of(meeting["id"]) == [("BLOCK", 50), ("RELEASE", 50)]
    assert (await book(api, outsider, service_id, hours_from_now(100)))["__typename"] == "Meeting"
    [told] = [n for n in await notes_of(api, expert, meeting["id"]) if n["type"] == "OFFER_REJECTED"]
    assert "The meeting is cancelled and the credits are returned." in told["text"]


async def test_a_client_proposal_leaves_the_time_standing_until_the_expert_accepts(
    api: Api, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    meeting = await agreed(api, client, expert, service_id, 110)
    proposal = await act(
        api, RESCHEDULE, client, meetingId=meeting["id"], times=[hours_from_now(120), hours_from_now(122)]
    )
    offer = pending(proposal)
    assert offer["madeBy"] == "CLIENT" and offer["purpose"] == "CLIENT_PROPOSAL" and not offer["holdsTimes"]
    assert proposal["startsAt"] == meeting["startsAt"]
    # A client's proposed times are not held: someone else may book one meanwhile.
    assert (await book(api, outsider, service_id, hours_from_now(120)))["__typename"] == "Meeting"

    taken = await act(api, RESPOND, expert, offerId=offer["id"], decision="ACCEPT", startsAt=hours_from_now(120))
    assert taken["__typename"] == "ConflictNotAcknowledged"
    accepted = await act(api, RESPOND, expert, offerId=offer["id"], decision="ACCEPT", startsAt=hours_from_now(122))
    assert accepted["status"] == "AGREED" and same_instant(accepted["startsAt"], hours_from_now(122))
    assert accepted["offers"][0]["status"] == "ACCEPTED"


async def test_the_maker_withdraws_and_the_original_stands(
    api: Api, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    meeting = await agreed(api, client, expert, service_id, 130)
    offer = pending(await offered(api, expert, meeting["id"], 140))
    withdrawn = await act(api, WITHDRAW, expert, offerId=offer["id"])
    assert withdrawn["status"] == "AGREED" and withdrawn["startsAt"] == meeting["startsAt"]
    assert withdrawn["offers"][0]["status"] == "WITHDRAWN"
    assert (await book(api, outsider, service_id, hours_from_now(140)))["__typename"] == "Meeting"

    proposal = pending(await act(api, RESCHEDULE, client, meetingId=meeting["id"], times=[hours_from_now(150)]))
    again = await act(api, WITHDRAW, client, offerId=proposal["id"])
    assert [o["status"] for o in again["offers"]] == ["WITHDRAWN", "WITHDRAWN"]
    assert await balance(api, client) == {"available": 450, "blocked": 50, "pendingEarnings": 0}


async def test_a_rejected_meeting_rescheduled_waits_for_the_client_again(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await book(api, client, service_id, hours_from_now(160))
    declined = await act(api, DECLINE, expert, meetingId=meeting["id"], reason="NOT_AVAILABLE")
    assert declined["status"] == "REJECTED"
    reopened = await act(api, RESCHEDULE, expert, meetingId=meeting["id"], times=[hours_from_now(170)])
    assert reopened["status"] == "AWAITING_APPROVAL"
    assert reopened["expertApproved"] and not reopened["clientApproved"]
    assert reopened["creditStatus"] == "NONE"
    confirmed = await act(api, CONFIRM, client, meetingId=meeting["id"])
    assert confirmed["status"] == "AGREED" and confirmed["creditStatus"] == "BLOCKED"
    assert await ledger_of(meeting["id"]) == [("BLOCK", 50), ("RELEASE", 50), ("BLOCK", 50)]


async def test_only_hub_clients_rebook_themselves_and_late_rebooking_is_a_late_cancellation(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    early = await agreed(api, client, expert, service_id, 180)
    refused = await assert_refused(
        server,
        act(api, RESCHEDULE, client, meetingId=early["id"], rebook=True, times=[hours_from_now(190)]),
        "NOT_ALLOWED",
    )
    assert "HUB" in refused["message"]
    hub = await act(api, SET_PROGRAMME, expert, clientId=client.id, programme="HUB")
    assert hub == {"__typename": "ClientProgrammeSetting", "programme": "HUB"}

    # Outside the window: the old time is cancelled and refunded, the new one agreed at once.
    rebooked = await act(api, RESCHEDULE, client, meetingId=early["id"], rebook=True, times=[hours_from_now(190)])
    assert rebooked["__typename"] == "Meeting" and rebooked["id"] != early["id"]
    assert rebooked["status"] == "AGREED" and rebooked["creditStatus"] == "BLOCKED"
    assert await ledger_of(early["id"]) == [("BLOCK", 50), ("RELEASE", 50)]
    assert await balance(api, client) == {"available": 450, "blocked": 50, "pendingEarnings": 0}
    told = sorted(n["type"] for n in await notes_of(api, expert, early["id"]))
    assert told == ["BOOKED_BY_CLIENT", "CANCELLED_BY_CLIENT"]
    assert [n["type"] for n in await notes_of(api, expert, rebooked["id"])] == ["REBOOKED_BY_CLIENT"]
    # The client keeps a confirmation of their own rebooking (and hears nothing of the cancellation).
    [confirmation] = await notes_of(api, client, rebooked["id"])
    assert confirmation["type"] == "REBOOKED_BY_CLIENT" and confirmation["text"].startswith("You rebooked")
    assert "CANCELLED_BY_CLIENT" not in [n["type"] for n in await notes_of(api, client, early["id"])]
    # One change wrote both of the expert's at the same instant: newest first is the order written.
    latest = (await api.query(NOTIFICATIONS, token=expert.token))["notifications"]["edges"][:2]
    assert [edge["node"]["type"] for edge in latest] == ["REBOOKED_BY_CLIENT", "CANCELLED_BY_CLIENT"]

    # Inside the window: acknowledged, or refused; then the expert settles the old one.
    late = await agreed(api, client, expert, service_id, 10)
    await assert_refused(
        server,
        act(api, RESCHEDULE, client, meetingId=late["id"], rebook=True, times=[hours_from_now(200)]),
        "LATE_NOTICE_NOT_ACKNOWLEDGED",
    )
    moved = await act(
        api,
        RESCHEDULE,
        client,
        meetingId=late["id"],
        rebook=True,
        times=[hours_from_now(200)],
        acknowledgeLateNotice=True,
    )
    assert moved["status"] == "AGREED"
    assert await balance(api, client) == {"available": 350, "blocked": 150, "pendingEarnings": 0}
    old = await act(api, CANCEL, client, meetingId=late["id"])
    assert old["code"] == "INVALID_STATE"


async def test_a_change_of_place_stands_only_once_the_client_accepts(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    service_id = await make_service(api, expert, modes=("VIDEO", "IN_PERSON"), location="1 High Street")
    meeting = await agreed(api, client, expert, service_id, 210)
    await assert_refused(server, act(api, CHANGE_LOCATION, expert, meetingId=meeting["id"], mode="CHAT"), "NOT_OFFERED")
    await assert_refused(
        server,
        act(api, CHANGE_LOCATION, client, meetingId=meeting["id"], mode="IN_PERSON", location="Here"),
        "NOT_ALLOWED",
    )
    proposed = await act(
        api, CHANGE_LOCATION, expert, meetingId=meeting["id"], mode="IN_PERSON", location="2 Mill Lane"
    )
    offer = pending(proposed)
    assert proposed["mode"] == "VIDEO" and proposed["roomUrl"]
    assert offer["mode"] == "IN_PERSON" and offer["location"] == "2 Mill Lane"
    accepted = await act(api, RESPOND, client, offerId=offer["id"], decision="ACCEPT")
    assert accepted["mode"] == "IN_PERSON" and accepted["location"] == "2 Mill Lane"
    assert accepted["roomUrl"] is None

    back = pending(await act(api, CHANGE_LOCATION, expert, meetingId=meeting["id"], mode="VIDEO"))
    rejected = await act(api, RESPOND, client, offerId=back["id"], decision="REJECT")
    assert rejected["status"] == "AGREED" and rejected["mode"] == "IN_PERSON"
    default_place = pending(await act(api, CHANGE_LOCATION, expert, meetingId=meeting["id"], mode="IN_PERSON"))
    assert default_place["location"] == "1 High Street"


async def test_offer_refusals_change_nothing(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    meeting = await agreed(api, client, expert, service_id, 220)
    mid = meeting["id"]
    times = [hours_from_now(230 + 2 * i) for i in range(6)]

    async def refuse(who: Person, code: str, **input: Any) -> None:
        await assert_refused(server, act(api, RESCHEDULE, who, meetingId=mid, **input), code)

    await refuse(expert, "LIMIT_EXCEEDED", reason="EXPERT_SCHEDULE", times=times)
    await refuse(expert, "INVALID_INPUT", reason="EXPERT_SCHEDULE", times=[])
    await refuse(expert, "INVALID_INPUT", reason="EXPERT_SCHEDULE", times=[hours_from_now(-5)])
    await refuse(expert, "INVALID_INPUT", times=[times[0]])
    await refuse(expert, "INVALID_INPUT", reason="CLIENT_REQUESTED", times=times[:2])
    await refuse(outsider, "NOT_FOUND", reason="EXPERT_SCHEDULE", times=times[:1])
    await assert_refused(server, act(api, RESCHEDULE, client, meetingId=UNKNOWN_ID, times=times[:1]), "NOT_FOUND")
    other = await agreed(api, client, expert, service_id, 240)
    await refuse(expert, "CONFLICT_NOT_ACKNOWLEDGED", reason="EXPERT_SCHEDULE", times=[other["startsAt"]])

    offer = pending(await offered(api, expert, mid, 250))
    await refuse(expert, "INVALID_STATE", reason="EXPERT_SCHEDULE", times=[hours_from_now(252)])

    def respond(who: Person, **input: Any) -> Awaitable[dict[str, Any]]:
        return act(api, RESPOND, who, offerId=offer["id"], **input)

    await assert_refused(server, respond(outsider, decision="ACCEPT"), "NOT_FOUND")
    await assert_refused(server, respond(expert, decision="ACCEPT"), "NOT_ALLOWED")
    await assert_refused(server, respond(client, decision="ACCEPT", startsAt=hours_from_now(251)), "INVALID_INPUT")
    await assert_refused(server, act(api, WITHDRAW, client, offerId=offer["id"]), "NOT_ALLOWED")
    await assert_refused(server, act(api, WITHDRAW, outsider, offerId=offer["id"]), "NOT_FOUND")
    await assert_refused(server, act(api, WITHDRAW, client, offerId=UNKNOWN_ID), "NOT_FOUND")

    assert (await act(api, WITHDRAW, expert, offerId=offer["id"]))["__typename"] == "Meeting"
    await assert_refused(server, respond(client, decision="ACCEPT"), "INVALID_STATE")
    await assert_refused(server, respond(client, decision="REJECT"), "INVALID_STATE")
    await assert_refused(server, act(api, WITHDRAW, expert, offerId=offer["id"]), "INVALID_STATE")

    private = await assert_refused(
        server, act(api, SET_PROGRAMME, client, clientId=expert.id, programme="HUB"), "NOT_FOUND"
    )
    assert private["message"] == "no such expert"
    await assert_refused(
        server,
        act(api, SET_PROGRAMME, expert, clientId=client.id, programme="HUB", expertId=outsider.id),
        "NOT_ALLOWED",
    )


async def test_ten_concurrent_answers_to_one_offer_have_exactly_one_winner(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    for round_ in range(2):
        meeting = await agreed(api, client, expert, service_id, 300 + 20 * round_)
        offer = pending(await offered(api, expert, meeting["id"], 305 + 20 * round_, 307 + 20 * round_))
        answers = (
            [
                act(api, RESPOND, client, offerId=offer["id"], decision="ACCEPT", startsAt=offer["times"][i % 2])
                for i in range(4)
            ]
            + [act(api, RESPOND, client, offerId=offer["id"], decision="REJECT") for _ in range(3)]
            + [act(api, WITHDRAW, expert, offerId=offer["id"]) for _ in range(3)]
        )
        results = await asyncio.gather(*answers)
        outcomes = Counter(r["__typename"] for r in results)
        assert outcomes["Meeting"] == 1, results
        assert outcomes["Meeting"] + outcomes["InvalidState"] == 10, results
        [winner] = [r for r in results if r["__typename"] == "Meeting"]
        [answered] = winner["offers"]
        assert answered["status"] != "PENDING"
        ledger = await ledger_of(meeting["id"])
        assert ledger == ([("BLOCK", 50), ("RELEASE", 50)] if answered["status"] == "REJECTED" else [("BLOCK", 50)])


async def test_every_offer_change_is_pushed_to_both_sides_and_to_no_one_else(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str, outsider: Person
) -> None:
    meeting = await agreed(api, client, expert, service_id, 400)
    async with (
        watching(server, client, meeting["id"]) as client_sub,
        watching(server, expert, meeting["id"]) as expert_sub,
        outsider_watching_everything(api, server, outsider) as outsider_sub,
    ):
        offer = pending(await offered(api, expert, meeting["id"], 410))
        withdrawn = await act(api, WITHDRAW, expert, offerId=offer["id"])
        proposal = pending(await act(api, RESCHEDULE, client, meetingId=meeting["id"], times=[hours_from_now(420)]))
        accepted = await act(api, RESPOND, expert, offerId=proposal["id"], decision="ACCEPT")
        assert accepted["status"] == "AGREED" and withdrawn["status"] == "AGREED"
        for subscriber in (client_sub, expert_sub):
            versions = [(await subscriber.next_payload())["data"]["meetingUpdated"]["version"] for _ in range(4)]
            assert versions == [meeting["version"] + i for i in range(1, 5)]
        await outsider_sub.hears_nothing_before_its_own_change()


async def test_an_admin_sets_any_experts_client_programme(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    admin = Person(id="", token=server.admin_token, email="")
    set_hub = await act(api, SET_PROGRAMME, admin, clientId=client.id, expertId=expert.id, programme="HUB")
    assert set_hub["programme"] == "HUB"
    meeting = await agreed(api, client, expert, service_id, 500)
    moved = await act(api, RESCHEDULE, client, meetingId=meeting["id"], rebook=True, times=[hours_from_now(510)])
    assert moved["status"] == "AGREED"
    back = await act(api, SET_PROGRAMME, admin, clientId=client.id, expertId=expert.id, programme="PRIVATE")
    assert back["programme"] == "PRIVATE"
    await assert_refused(
        server,
        act(api, RESCHEDULE, client, meetingId=moved["id"], rebook=True, times=[hours_from_now(520)]),
        "NOT_ALLOWED",
    )
    await assert_refused(
        server, act(api, SET_PROGRAMME, admin, clientId=client.id, expertId=UNKNOWN_ID, programme="HUB"), "NOT_FOUND"
    )


READABLE = """query($meeting: ID!, $expert: ID!) {
  meeting(id: $meeting) { ... on Meeting { viewerMayRebook viewerRebookNote } }
  expert(id: $expert) { viewerProgramme }
  viewer { hubClients { id } }
}"""


async def test_a_frontend_reads_whether_rebooking_applies_before_trying(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await agreed(api, client, expert, service_id, 100)
    ids = {"meeting": meeting["id"], "expert": expert.id}

    private = await api.query(READABLE, ids, client.token)
    assert private["expert"]["viewerProgramme"] == "PRIVATE"
    assert private["meeting"]["viewerMayRebook"] is False
    assert "HUB clients" in private["meeting"]["viewerRebookNote"]
    assert private["viewer"]["hubClients"] == []  # a client has none: their own list, empty

    await act(api, SET_PROGRAMME, expert, clientId=client.id, programme="HUB")
    hub = await api.query(READABLE, ids, client.token)
    assert (hub["expert"]["viewerProgramme"], hub["meeting"]["viewerMayRebook"]) == ("HUB", True)
    assert hub["meeting"]["viewerRebookNote"] is None
    as_expert = await api.query(READABLE, ids, expert.token)
    assert as_expert["meeting"]["viewerMayRebook"] is False  # only the client rebooks
    assert as_expert["expert"]["viewerProgramme"] is None  # their own profile
    assert as_expert["viewer"]["hubClients"] == [{"id": client.id}]


async def test_a_change_of_place_the_client_asked_for_applies_at_once(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    service_id = await make_service(api, expert, modes=("VIDEO", "IN_PERSON"), location="1 High Street")
    meeting = await agreed(api, client, expert, service_id, 230)
    await assert_refused(  # still the expert's to make, and still checked
        server,
        act(api, CHANGE_LOCATION, client, meetingId=meeting["id"], mode="IN_PERSON", reason="CLIENT_REQUESTED"),
        "NOT_ALLOWED",
    )
    await assert_refused(
        server,
        act(api, CHANGE_LOCATION, expert, meetingId=meeting["id"], mode="CHAT", reason="CLIENT_REQUESTED"),
        "NOT_OFFERED",
    )
    moved = await act(
        api, CHANGE_LOCATION, expert, meetingId=meeting["id"], mode="IN_PERSON", reason="CLIENT_REQUESTED"
    )
    assert (moved["status"], moved["mode"], moved["location"]) == ("AGREED", "IN_PERSON", "1 High Street")
    assert [offer for offer in moved["offers"] if offer["status"] == "PENDING"] == []  # no offer to answer
    [told] = [n for n in await notes_of(api, client, meeting["id"]) if n["type"] == "LOCATION_CHANGED"]
    assert "at 1 High Street, as the client asked" in told["text"]
    assert "Reason: the client asked." in told["text"]


async def test_a_client_asks_to_move_a_booking_the_expert_has_not_confirmed_yet(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(150))
    assert booked["status"] == "AWAITING_APPROVAL"
    later, latest = hours_from_now(160), hours_from_now(170)
    asked = await act(api, RESCHEDULE, client, meetingId=booked["id"], times=[later, latest])
    [offer] = [offer for offer in asked["offers"] if offer["status"] == "PENDING"]
    assert (offer["purpose"], offer["madeBy"], asked["status"]) == ("CLIENT_PROPOSAL", "CLIENT", "AWAITING_APPROVAL")
    await assert_refused(  # the client cannot answer their own request
        server, act(api, RESPOND, client, offerId=offer["id"], decision="ACCEPT", startsAt=latest), "NOT_ALLOWED"
    )
    accepted = await act(api, RESPOND, expert, offerId=offer["id"], decision="ACCEPT", startsAt=latest)
    assert accepted["status"] == "AGREED" and same_instant(accepted["startsAt"], latest)  # the expert's yes agrees it
    assert accepted["creditStatus"] == "BLOCKED"


async def test_rejecting_a_clients_alternative_gives_a_reason_from_the_list(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    meeting = await agreed(api, client, expert, service_id, 240)
    asked = await act(api, RESCHEDULE, client, meetingId=meeting["id"], times=[hours_from_now(250)])
    offer = pending(asked)
    rejected = await act(
        api, RESPOND, expert, offerId=offer["id"], decision="REJECT", reason="SCHEDULE_CONFLICT", message="Booked"
    )
    assert rejected["status"] == "AGREED"  # the client's alternative is declined; the meeting stands
    [told] = [n for n in await notes_of(api, client, meeting["id"]) if n["type"] == "OFFER_REJECTED"]
    assert told["text"].endswith("Reason: a schedule conflict. Message: “Booked”")
