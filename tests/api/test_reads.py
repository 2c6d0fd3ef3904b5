"""Listing: bounded pages, keyset cursors, and a query count that does not grow with the page."""

from typing import Any

from tests.support.factories import BOOK, Person, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.server import RunningServer

LIST_MEETINGS = """
query($first: Int!, $after: String, $filter: MeetingFilterInput) {
  meetings(first: $first, after: $after, filter: $filter) {
    edges { cursor node {
      id status startsAt
      client { name } expert { name headline } service { title }
      timeline { type at }
    } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
NOTIFICATIONS = """
query($unread: Boolean!) { notifications(first: 50, unreadOnly: $unread) {
  edges { node { id type read } } } }"""
MARK_READ = """
mutation($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    __typename ... on NotificationsMarked { markedCount unreadCount } ... on Problem { code }
  }
}"""


async def statements_for_listing(api: Api, person: Person, first: int) -> tuple[int, int]:
    response = await api.raw(LIST_MEETINGS, {"first": first}, person.token)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return len(body["data"]["meetings"]["edges"]), body["extensions"]["sqlStatements"]


async def test_listing_50_meetings_costs_the_same_queries_as_5(api: Api, server: RunningServer, client: Person) -> None:
    experts = [await make_person(api, server.admin_token, expert=True) for _ in range(5)]
    services = [await make_service(api, e, price=1) for e in experts]
    for i in range(50):
        meeting = await book(api, client, services[i % 5], hours_from_now(100 + 2 * i))
        assert meeting["__typename"] == "Meeting"
    count_5, statements_5 = await statements_for_listing(api, client, 5)
    count_50, statements_50 = await statements_for_listing(api, client, 50)
    assert (count_5, count_50) == (5, 50)
    assert statements_5 == statements_50
    assert statements_50 <= 5, statements_50


async def test_pages_follow_start_time_and_never_repeat(
    api: Api, server: RunningServer, client: Person, service_id: str
) -> None:
    starts = [hours_from_now(300 - 10 * i) for i in range(5)]
    for start in starts:
        await book(api, client, service_id, start)
    seen: list[str] = []
    after = None
    while True:
        page = (await api.query(LIST_MEETINGS, {"first": 2, "after": after}, client.token))["meetings"]
        seen += [edge["node"]["startsAt"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(s for s in seen) and len(seen) == len(set(seen)) == 5


async def test_filters_by_side_status_and_time(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    await book(api, client, service_id, hours_from_now(50))
    later = await book(api, client, service_id, hours_from_now(80))
    as_expert = await api.query(
        LIST_MEETINGS,
        {
            "first": 10,
            "filter": {"side": "EXPERT", "statuses": ["AWAITING_APPROVAL"], "startsFrom": hours_from_now(60)},
        },
        expert.token,
    )
    assert [e["node"]["id"] for e in as_expert["meetings"]["edges"]] == [later["id"]]
    as_client_expert_side = await api.query(LIST_MEETINGS, {"first": 10, "filter": {"side": "EXPERT"}}, client.token)
    assert as_client_expert_side["meetings"]["edges"] == []


async def test_page_size_is_bounded_and_cursors_are_checked(api: Api, client: Person) -> None:
    body = (await api.raw(LIST_MEETINGS, {"first": 101}, client.token)).json()
    assert body["errors"][0]["message"] == "first must be between 1 and 100"
    body = (await api.raw(LIST_MEETINGS, {"first": 5, "after": "garbage!"}, client.token)).json()
    assert body["errors"][0]["message"] == "after is not a cursor from this API"


async def test_outsiders_do_not_see_others_meetings_in_lists(
    api: Api, client: Person, outsider: Person, service_id: str
) -> None:
    await book(api, client, service_id, hours_from_now(55))
    listed = await api.query(LIST_MEETINGS, {"first": 100}, outsider.token)
    assert listed["meetings"]["edges"] == []


async def test_notifications_are_read_and_marked_per_viewer(
    api: Api, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    await book(api, client, service_id, hours_from_now(40))
    await book(api, client, service_id, hours_from_now(44))
    unread = (await api.query(NOTIFICATIONS, {"unread": True}, expert.token))["notifications"]["edges"]
    assert [n["node"]["type"] for n in unread] == ["BOOKED_BY_CLIENT", "BOOKED_BY_CLIENT"]

    not_mine = await api.query(MARK_READ, {"input": {"ids": [unread[0]["node"]["id"]]}}, outsider.token)
    assert not_mine["markNotificationsRead"] == {
        "__typename": "NotificationsMarked",
        "markedCount": 0,
        "unreadCount": 0,
    }

    one = await api.query(MARK_READ, {"input": {"ids": [unread[0]["node"]["id"]]}}, expert.token)
    assert one["markNotificationsRead"]["markedCount"] == 1
    assert one["markNotificationsRead"]["unreadCount"] == 1
    rest = await api.query(MARK_READ, {"input": {}}, expert.token)
    assert (rest["markNotificationsRead"]["markedCount"], rest["markNotificationsRead"]["unreadCount"]) == (1, 0)
    assert (await api.query(NOTIFICATIONS, {"unread": True}, expert.token))["notifications"]["edges"] == []


async def test_booking_a_meeting_costs_at_most_10_statements(
    api: Api, expert: Person, client: Person, service_id: str
) -> None:
    """Service, overrides, busy times (one UNION), the client's row and balance, then the
    meeting, ledger, timeline, notification and every job in one insert."""
    response = await api.raw(
        BOOK,
        {"input": {"serviceId": service_id, "startsAt": hours_from_now(70), "durationMinutes": 60, "mode": "VIDEO"}},
        client.token,
    )
    body = response.json()
    assert body["data"]["bookMeeting"]["__typename"] == "Meeting", body
    assert body["extensions"]["sqlStatements"] <= 10
