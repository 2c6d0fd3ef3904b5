"""An expert changes and retires services: new bookings get the new terms, meetings keep
theirs; a retired service takes no new bookings and its meetings stand."""

from typing import Any

from tests.api.test_refusals import UNKNOWN_ID, assert_refused
from tests.support.factories import CONFIRM, Person, act, book, hours_from_now, make_service
from tests.support.graphql import Api
from tests.support.server import RunningServer

SERVICE_FIELDS = "id title description offerings { durationMinutes priceCredits } modes location"
UPDATE = f"""mutation($input: UpdateServiceInput!) {{
  updateService(input: $input) {{ __typename ... on Service {{ {SERVICE_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
RETIRE = f"""mutation($input: RetireServiceInput!) {{
  retireService(input: $input) {{ __typename ... on Service {{ {SERVICE_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
MEETING = """query($id: ID!) {
  meeting(id: $id) { ... on Meeting { status priceCredits durationMinutes service { id title } } }
}"""
SERVICES = """query($id: ID!) { expert(id: $id) { services { id } } }"""


async def meeting(api: Api, person: Person, meeting_id: str) -> dict[str, Any]:
    found: dict[str, Any] = (await api.query(MEETING, {"id": meeting_id}, person.token))["meeting"]
    return found


async def listed(api: Api, expert: Person) -> list[str]:
    data = await api.query(SERVICES, {"id": expert.id})
    return [service["id"] for service in data["expert"]["services"]]


async def test_new_terms_apply_to_new_bookings_and_a_meeting_keeps_its_own(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    before = await book(api, client, service_id, hours_from_now(72))
    updated = await act(
        api,
        UPDATE,
        expert,
        serviceId=service_id,
        title="Deep coaching",
        offerings=[{"durationMinutes": 90, "priceCredits": 80}],
        modes=["VIDEO", "IN_PERSON"],
        location="1 High Street",
    )
    assert updated["__typename"] == "Service"
    assert (updated["title"], updated["offerings"], sorted(updated["modes"]), updated["location"]) == (
        "Deep coaching",
        [{"durationMinutes": 90, "priceCredits": 80}],
        ["IN_PERSON", "VIDEO"],
        "1 High Street",
    )
    assert updated["description"] == ""  # left out: as it was
    kept = await meeting(api, client, before["id"])
    assert (kept["priceCredits"], kept["durationMinutes"], kept["service"]["title"]) == (50, 60, "Deep coaching")
    after = await book(api, client, service_id, hours_from_now(120), duration=90)
    assert (after["priceCredits"], after["durationMinutes"]) == (80, 90)
    old_terms = await book(api, client, service_id, hours_from_now(150), duration=60)
    assert old_terms["code"] == "NOT_OFFERED"


async def test_a_retired_service_takes_no_bookings_and_its_meetings_stand(
    api: Api, client: Person, expert: Person, service_id: str
) -> None:
    booked = await book(api, client, service_id, hours_from_now(72))
    retired = await act(api, RETIRE, expert, serviceId=service_id)
    assert retired["__typename"] == "Service"
    assert service_id not in await listed(api, expert)
    assert (await book(api, client, service_id, hours_from_now(96)))["code"] == "NOT_FOUND"
    agreed = await act(api, CONFIRM, expert, meetingId=booked["id"])  # its meetings go on as before
    assert agreed["status"] == "AGREED"
    assert (await meeting(api, client, booked["id"]))["service"]["id"] == service_id


async def test_service_changes_are_refused_with_nothing_changed(
    api: Api, server: RunningServer, client: Person, expert: Person, outsider: Person, service_id: str
) -> None:
    other = await make_service(api, expert)
    await assert_refused(server, act(api, UPDATE, outsider, serviceId=service_id, title="Mine now"), "NOT_ALLOWED")
    await assert_refused(server, act(api, RETIRE, client, serviceId=service_id), "NOT_ALLOWED")
    await assert_refused(server, act(api, UPDATE, expert, serviceId=UNKNOWN_ID, title="x"), "NOT_FOUND")
    await assert_refused(server, act(api, RETIRE, expert, serviceId="not-an-id"), "NOT_FOUND")
    await assert_refused(server, act(api, UPDATE, expert, serviceId=service_id, offerings=[]), "INVALID_INPUT")
    await assert_refused(server, act(api, UPDATE, expert, serviceId=service_id, title=" "), "INVALID_INPUT")
    await assert_refused(  # in person needs a place
        server, act(api, UPDATE, expert, serviceId=service_id, modes=["IN_PERSON"]), "INVALID_INPUT"
    )
    await act(api, RETIRE, expert, serviceId=other)
    await assert_refused(server, act(api, RETIRE, expert, serviceId=other), "INVALID_STATE")
    await assert_refused(server, act(api, UPDATE, expert, serviceId=other, title="Back"), "INVALID_STATE")


async def test_an_admin_manages_any_experts_services(
    api: Api, server: RunningServer, expert: Person, service_id: str
) -> None:
    admin = Person(id="", token=server.admin_token, email="")
    changed = await act(api, UPDATE, admin, serviceId=service_id, description="Run by the platform")
    assert changed["description"] == "Run by the platform"
    assert (await act(api, RETIRE, admin, serviceId=service_id))["__typename"] == "Service"
