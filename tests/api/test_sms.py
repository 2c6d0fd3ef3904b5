"""Text messages through an SMS provider's REST API, played by a real HTTP server on loopback
that records each call: a user's phone number and channel preferences decide, per
notification type, whether it goes by e-mail, by text message, or both."""

import base64
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.api.test_refusals import assert_refused
from tests.conftest import api_on, running_server
from tests.support.factories import CONFIRM, Person, act, book, hours_from_now, make_person, make_service
from tests.support.graphql import Api
from tests.support.receiver import Receiver
from tests.support.server import RunningServer
from tests.support.waiting import eventually

SET = """mutation($input: SetNotificationPreferencesInput!) { setNotificationPreferences(input: $input) {
  __typename ... on User { phoneNumber notificationPreferences { email sms byType { type email sms } } }
  ... on Problem { code message } } }"""
NOTIFICATIONS = """{ notifications(first: 10) { edges { node { type channels emailDelivery smsDelivery } } } }"""
CLIENT_OF = """query($id: ID!) { meeting(id: $id) { ... on Meeting { client { phoneNumber notificationPreferences { sms } } } } }"""
PHONE = "+447911123456"
ACCOUNT, TOKEN, SENDER = "AC0123456789", "sms-token-for-tests", "+14155550100"


@pytest.fixture(scope="module")
def provider() -> Iterator[Receiver]:
    receiver = Receiver(status=201, answer=b'{"sid": "SM1", "status": "queued"}').start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def sms_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, provider: Receiver
) -> Iterator[RunningServer]:
    with running_server(
        request,
        tmp_path_factory,
        request.param,
        SMS_API_URL=provider.url,
        SMS_ACCOUNT=ACCOUNT,
        SMS_TOKEN=TOKEN,
        SMS_FROM=SENDER,
    ) as server:
        yield server


@pytest.fixture
async def sms_api(sms_server: RunningServer, provider: Receiver) -> AsyncIterator[Api]:
    provider.status, provider.received[:] = 201, []
    sms_server.clock.reset()
    async with api_on(sms_server) as api:
        yield api
    sms_server.clock.reset()


async def notifications(api: Api, person: Person) -> list[dict[str, Any]]:
    data = await api.query(NOTIFICATIONS, token=person.token)
    return [edge["node"] for edge in data["notifications"]["edges"]]


async def decided(api: Api, person: Person) -> list[dict[str, Any]]:
    """Their notifications once each one's text message was decided."""

    async def all_decided() -> list[dict[str, Any]] | None:
        found = await notifications(api, person)
        return found if found and all(n["smsDelivery"] for n in found) else None

    return await eventually(all_decided)


async def test_a_booking_reaches_the_expert_by_text_message_as_they_chose(
    sms_api: Api, sms_server: RunningServer, provider: Receiver
) -> None:
    api = sms_api
    expert = await make_person(api, sms_server.admin_token, expert=True)
    client = await make_person(api, sms_server.admin_token, credits=100)
    chosen = await act(
        api,
        SET,
        expert,
        phoneNumber="+44 7911 123456",
        byType=[{"type": "BOOKED_BY_CLIENT", "email": False, "sms": True}],
    )
    assert chosen["phoneNumber"] == PHONE
    assert chosen["notificationPreferences"] == {
        "email": True,
        "sms": False,
        "byType": [{"type": "BOOKED_BY_CLIENT", "email": False, "sms": True}],
    }
    meeting = await book(api, client, await make_service(api, expert), hours_from_now(40))

    [call] = await provider.wait_for(1)
    assert call.path == f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
    assert call.headers["authorization"] == "Basic " + base64.b64encode(f"{ACCOUNT}:{TOKEN}".encode()).decode()
    form = {key: values[0] for key, values in parse_qs(call.body.decode()).items()}
    assert (form["To"], form["From"]) == (PHONE, SENDER)
    assert form["Body"].startswith("Test Person booked Coaching on ")
    [booked] = await decided(api, expert)
    assert (booked["type"], booked["channels"]) == ("BOOKED_BY_CLIENT", ["DASHBOARD", "SMS"])
    assert (booked["emailDelivery"], booked["smsDelivery"]) == ("NONE", "SENT")

    # Other types keep the defaults (e-mail, no text); the client, with no phone, gets none.
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    [confirmed] = await decided(api, client)
    assert (confirmed["channels"], confirmed["emailDelivery"], confirmed["smsDelivery"]) == (
        ["DASHBOARD", "EMAIL"],
        "LOGGED",
        "NONE",
    )
    assert len(provider.received) == 1
    # A phone number is its owner's and the admins' to see.
    await act(api, SET, client, phoneNumber="+1 415 555 0132")
    as_expert = (await api.query(CLIENT_OF, {"id": meeting["id"]}, expert.token))["meeting"]["client"]
    as_admin = (await api.query(CLIENT_OF, {"id": meeting["id"]}, sms_server.admin_token))["meeting"]["client"]
    as_self = (await api.query(CLIENT_OF, {"id": meeting["id"]}, client.token))["meeting"]["client"]
    assert as_expert == {"phoneNumber": None, "notificationPreferences": None}
    assert as_admin == {"phoneNumber": "+14155550132", "notificationPreferences": None}
    assert as_self == {"phoneNumber": "+14155550132", "notificationPreferences": {"sms": False}}


async def test_a_provider_that_fails_is_retried_and_the_e_mail_is_not_sent_again(
    sms_api: Api, sms_server: RunningServer, provider: Receiver
) -> None:
    api, clock = sms_api, sms_server.clock
    start = datetime.now(UTC).replace(microsecond=0)
    clock.set(start)
    expert = await make_person(api, sms_server.admin_token, expert=True)
    client = await make_person(api, sms_server.admin_token, credits=100)
    assert (await act(api, SET, expert, phoneNumber=PHONE, sms=True))["notificationPreferences"]["sms"] is True
    provider.status = 503
    await book(api, client, await make_service(api, expert), hours_from_now(44))
    await provider.wait_for(1)
    [pending] = await notifications(api, expert)
    assert (pending["emailDelivery"], pending["smsDelivery"]) == ("LOGGED", None)  # e-mail done, text owed

    provider.status = 201
    clock.set(start + timedelta(seconds=30))
    [sent] = await decided(api, expert)
    assert (sent["channels"], sent["emailDelivery"], sent["smsDelivery"]) == (
        ["DASHBOARD", "EMAIL", "SMS"],
        "LOGGED",
        "SENT",
    )
    assert [call.status for call in provider.received] == [503, 201]


async def test_preference_refusals_change_nothing(api: Api, server: RunningServer) -> None:
    person = await make_person(api, server.admin_token)
    for bad in ("07911 123456", "+44 12", "call me", "+4" + "4" * 45):
        await assert_refused(server, act(api, SET, person, phoneNumber=bad), "INVALID_INPUT")
    refused = await assert_refused(server, act(api, SET, person, sms=True), "INVALID_INPUT")
    assert refused["message"] == "text messages need your phone number: set phoneNumber too"
    by_type = [{"type": "REMINDER_10M", "email": True, "sms": True}]
    await assert_refused(server, act(api, SET, person, byType=by_type), "INVALID_INPUT")
    set_ = await act(api, SET, person, phoneNumber=PHONE, sms=True)
    assert (set_["phoneNumber"], set_["notificationPreferences"]["sms"]) == (PHONE, True)
    await assert_refused(server, act(api, SET, person, phoneNumber=""), "INVALID_INPUT")  # texts still wanted
    cleared = await act(api, SET, person, phoneNumber="", sms=False)
    assert (cleared["phoneNumber"], cleared["notificationPreferences"]["sms"]) == (None, False)


async def test_without_a_provider_text_messages_are_written_to_the_log(api: Api, server: RunningServer) -> None:
    expert = await make_person(api, server.admin_token, expert=True)
    client = await make_person(api, server.admin_token, credits=100)
    await act(api, SET, expert, phoneNumber=PHONE, email=False, sms=True)
    await book(api, client, await make_service(api, expert), hours_from_now(46))
    [logged] = await decided(api, expert)
    assert (logged["channels"], logged["emailDelivery"], logged["smsDelivery"]) == (
        ["DASHBOARD", "SMS"],
        "NONE",
        "LOGGED",
    )
