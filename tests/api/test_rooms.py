"""The room links this server hands out lead to its room page, for the meeting's two sides
only, at the address actually served; a revoked room is gone."""

from urllib.parse import urlsplit

from tests.support.factories import (
    CANCEL,
    CHANGE_LOCATION,
    CONFIRM,
    RESPOND,
    Person,
    act,
    book,
    hours_from_now,
    make_service,
)
from tests.support.graphql import Api
from tests.support.server import RunningServer

ROOM_URL = "query Room($id: ID!) { meeting(id: $id) { ... on Meeting { roomUrl mode } } }"


async def room_url(api: Api, person: Person, meeting_id: str) -> str | None:
    data = await api.query(ROOM_URL, {"id": meeting_id}, person.token)
    url: str | None = data["meeting"].get("roomUrl")  # an outsider gets NOT_FOUND instead
    return url


async def agreed_meeting(api: Api, expert: Person, client: Person, service_id: str) -> str:
    booked = await book(api, client, service_id, hours_from_now(50))
    await act(api, CONFIRM, expert, meetingId=booked["id"])
    return str(booked["id"])


async def test_each_side_opens_the_room_with_its_own_link_at_the_served_address(
    api: Api, server: RunningServer, expert: Person, client: Person, outsider: Person, service_id: str
) -> None:
    meeting_id = await agreed_meeting(api, expert, client, service_id)
    for_client = await room_url(api, client, meeting_id)
    for_expert = await room_url(api, expert, meeting_id)
    assert for_client and for_expert and for_client != for_expert
    assert for_client.startswith(f"{server.base_url}/rooms/")  # the port served, not :8000

    page = await api.http.get(for_client)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Room: Coaching" in page.text and "Sam Client with Maya Expert. You are Sam Client." in page.text
    expert_page = await api.http.get(for_expert)
    assert expert_page.status_code == 200 and "You are Maya Expert." in expert_page.text

    bare = urlsplit(for_client)._replace(query="").geturl()
    assert (await api.http.get(bare)).status_code == 403
    forged = for_client[:-1] + ("0" if for_client[-1] != "0" else "1")
    assert (await api.http.get(forged)).status_code == 403
    assert await room_url(api, outsider, meeting_id) is None  # outsiders cannot see the meeting at all


async def test_a_revoked_room_is_gone(api: Api, expert: Person, client: Person, service_id: str) -> None:
    meeting_id = await agreed_meeting(api, expert, client, service_id)
    link = await room_url(api, client, meeting_id)
    assert link is not None
    await act(api, CANCEL, client, meetingId=meeting_id, acknowledgeLateNotice=True)
    assert await room_url(api, client, meeting_id) is None
    response = await api.http.get(link)
    assert response.status_code == 404 and response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_going_in_person_revokes_the_room(api: Api, expert: Person, client: Person) -> None:
    service_id = await make_service(api, expert, modes=("VIDEO", "IN_PERSON"), location="1 Main St")
    meeting_id = await agreed_meeting(api, expert, client, service_id)
    link = await room_url(api, expert, meeting_id)
    assert link is not None and (await api.http.get(link)).status_code == 200
    offered = await act(api, CHANGE_LOCATION, expert, meetingId=meeting_id, mode="IN_PERSON")
    offer_id = offered["offers"][-1]["id"]
    await act(api, RESPOND, client, offerId=offer_id, decision="ACCEPT")
    assert await room_url(api, expert, meeting_id) is None
    assert (await api.http.get(link)).status_code == 404
