"""Money beyond the booking price, over HTTP: the platform's fee on every charge."""

from tests.api.test_refusals import UNKNOWN_ID, assert_refused
from tests.support.factories import CANCEL, CONFIRM, SETTLE, Person, act, book, earnings, hours_from_now
from tests.support.graphql import Api
from tests.support.server import RunningServer
from tests.support.tables import ledger_of

SET_FEE = """
mutation($input: SetExpertFeeInput!) {
  setExpertFee(input: $input) {
    __typename ... on ExpertFee { expertId ownPercent percent } ... on Problem { code message }
  }
}"""


async def set_fee(api: Api, token: str, expert: Person | str, percent: int | None) -> dict[str, object]:
    expert_id = expert.id if isinstance(expert, Person) else expert
    data = await api.query(SET_FEE, {"input": {"expertId": expert_id, "percent": percent}}, token)
    result: dict[str, object] = data["setExpertFee"]
    return result


async def charged_late_cancellation(api: Api, client: Person, expert: Person, service_id: str) -> str:
    """A meeting of 50 credits the client cancelled late and the expert charged."""
    meeting = await book(api, client, service_id, hours_from_now(20))
    await act(api, CONFIRM, expert, meetingId=meeting["id"])
    await act(api, CANCEL, client, meetingId=meeting["id"], acknowledgeLateNotice=True)
    charged = await act(api, SETTLE, expert, meetingId=meeting["id"], decision="CHARGE")
    assert charged["creditStatus"] == "CHARGED", charged
    return str(meeting["id"])


async def test_each_charge_pays_the_platform_its_fee_and_the_expert_the_rest(
    api: Api, server: RunningServer, client: Person, expert: Person, service_id: str
) -> None:
    first = await charged_late_cancellation(api, client, expert, service_id)
    assert await ledger_of(first) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)]

    assert await set_fee(api, server.admin_token, expert, 20) == {
        "__typename": "ExpertFee",
        "expertId": expert.id,
        "ownPercent": 20,
        "percent": 20,
    }
    second = await charged_late_cancellation(api, client, expert, service_id)
    assert await ledger_of(second) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 40), ("PLATFORM_FEE", 10)]
    assert await ledger_of(first) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 43), ("PLATFORM_FEE", 7)]

    await set_fee(api, server.admin_token, expert, 0)
    third = await charged_late_cancellation(api, client, expert, service_id)
    assert await ledger_of(third) == [("BLOCK", 50), ("CHARGE", 50), ("EARNING", 50)]

    back = await set_fee(api, server.admin_token, expert, None)
    assert (back["ownPercent"], back["percent"]) == (None, 15)
    assert await earnings(api, expert) == {"pendingEarnings": 43 + 40 + 50, "payableEarnings": 0, "paidOut": 0}


async def test_only_an_admin_sets_a_fee_between_0_and_100_for_an_expert(
    api: Api, server: RunningServer, client: Person, expert: Person
) -> None:
    admin = server.admin_token
    await assert_refused(server, set_fee(api, expert.token, expert, 0), "NOT_ALLOWED")
    await assert_refused(server, set_fee(api, admin, expert, 101), "INVALID_INPUT")
    await assert_refused(server, set_fee(api, admin, expert, -1), "INVALID_INPUT")
    await assert_refused(server, set_fee(api, admin, UNKNOWN_ID, 10), "NOT_FOUND")
    await assert_refused(server, set_fee(api, admin, client, 10), "NOT_FOUND")  # not an expert
    assert (await set_fee(api, admin, expert, 100))["percent"] == 100
