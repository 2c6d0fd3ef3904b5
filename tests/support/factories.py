"""People, services and meetings made through the public API."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.graphql import Api

CREATE_USER = """
mutation($input: CreateUserInput!) {
  createUser(input: $input) { __typename ... on User { id } ... on Problem { code message } }
}"""
ISSUE_TOKEN = """
mutation($input: IssueTokenInput!) {
  issueToken(input: $input) { __typename ... on IssuedToken { token } ... on Problem { code message } }
}"""
GRANT = """
mutation($input: GrantCreditsInput!) {
  grantCredits(input: $input) { __typename ... on CreditGrant { balance { available } } ... on Problem { code message } }
}"""
CREATE_SERVICE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) { __typename ... on Service { id } ... on Problem { code message } }
}"""
MEETING_FIELDS = """
  id status startsAt endsAt durationMinutes mode priceCredits creditStatus
  clientApproved expertApproved overlapAcknowledged settlementDueAt version viewerSide
"""
BOOK = f"""
mutation($input: BookMeetingInput!) {{
  bookMeeting(input: $input) {{ __typename ... on Meeting {{ {MEETING_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
PROPOSE = f"""
mutation($input: ProposeMeetingInput!) {{
  proposeMeeting(input: $input) {{ __typename ... on Meeting {{ {MEETING_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
CONFIRM = f"""
mutation($input: ConfirmMeetingInput!) {{
  confirmMeeting(input: $input) {{ __typename ... on Meeting {{ {MEETING_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
DECLINE = f"""
mutation($input: DeclineMeetingInput!) {{
  declineMeeting(input: $input) {{ __typename ... on Meeting {{ {MEETING_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
CANCEL = f"""
mutation($input: CancelMeetingInput!) {{
  cancelMeeting(input: $input) {{ __typename ... on Meeting {{ {MEETING_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
SETTLE = f"""
mutation($input: SettleChargeInput!) {{
  settleCharge(input: $input) {{ __typename ... on Meeting {{ {MEETING_FIELDS} }} ... on Problem {{ code message }} }}
}}"""
BALANCE = "{ creditBalance { available blocked pendingEarnings } }"
EARNINGS = "{ creditBalance { pendingEarnings payableEarnings paidOut } }"
SET_WEEKLY = """
mutation($input: SetWeeklyAvailabilityInput!) {
  setWeeklyAvailability(input: $input) { __typename ... on Problem { code message } }
}"""
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
ROUND_THE_CLOCK = {
    "rules": [{"weekday": d, "startTime": "00:00", "endTime": "24:00"} for d in WEEKDAYS],
    "minimumNoticeMinutes": 0,
    "horizonDays": 365,
    "slotStepMinutes": 30,
}


@dataclass(frozen=True)
class Person:
    id: str
    token: str
    email: str


_NOW = datetime.now(UTC)
_ANCHOR = _NOW.replace(minute=_NOW.minute // 30 * 30, second=0, microsecond=0)
"""One instant on the 30-minute slot grid for the whole run, so that two calls can
never straddle a grid boundary and drift apart."""


def hours_from_now(hours: float) -> str:
    """About `hours` ahead (to within 30 minutes), on the slot grid, as the API wants it."""
    return (_ANCHOR + timedelta(hours=hours)).isoformat()


async def make_person(
    api: Api,
    admin_token: str,
    *,
    expert: bool = False,
    credits: int = 0,
    time_zone: str = "Europe/London",
    name: str = "Test Person",
    skills: tuple[str, ...] = ("coaching",),
) -> Person:
    email = f"{uuid.uuid4().hex[:12]}@example.com"
    user_input: dict[str, Any] = {"name": name, "email": email, "timeZone": time_zone}
    if expert:
        user_input["expert"] = {"headline": "Expert", "skills": list(skills)}
    created = (await api.query(CREATE_USER, {"input": user_input}, admin_token))["createUser"]
    assert created["__typename"] == "User", created
    issued = await api.query(ISSUE_TOKEN, {"input": {"userId": created["id"]}}, admin_token)
    token = issued["issueToken"]["token"]
    if expert:
        # Test experts take bookings round the clock, with no notice, unless a test says otherwise.
        done = await api.query(SET_WEEKLY, {"input": ROUND_THE_CLOCK}, token)
        assert done["setWeeklyAvailability"]["__typename"] == "Availability", done
    if credits:
        granted = await api.query(GRANT, {"input": {"userId": created["id"], "amount": credits}}, admin_token)
        assert granted["grantCredits"]["__typename"] == "CreditGrant"
    return Person(id=created["id"], token=token, email=email)


async def make_service(
    api: Api,
    expert: Person,
    *,
    price: int = 50,
    duration: int = 60,
    modes: tuple[str, ...] = ("VIDEO",),
    location: str | None = None,
    per_minute: dict[str, int] | None = None,
) -> str:
    """`per_minute`: {"rateCredits", "minimumMinutes", "capMinutes"} for a per-minute service."""
    created = await api.query(
        CREATE_SERVICE,
        {
            "input": {
                "title": "Coaching",
                "offerings": [{"durationMinutes": duration, "priceCredits": price}],
                "modes": list(modes),
                "location": location,
                "perMinute": per_minute,
            }
        },
        expert.token,
    )
    service = created["createService"]
    assert service["__typename"] == "Service", service
    return str(service["id"])


async def book(
    api: Api, client: Person, service_id: str, starts_at: str, *, duration: int = 60, mode: str = "VIDEO"
) -> dict[str, Any]:
    data = await api.query(
        BOOK,
        {"input": {"serviceId": service_id, "startsAt": starts_at, "durationMinutes": duration, "mode": mode}},
        client.token,
    )
    result: dict[str, Any] = data["bookMeeting"]
    return result


async def act(api: Api, mutation: str, person: Person, **input: Any) -> dict[str, Any]:
    data = await api.query(mutation, {"input": input}, person.token)
    result: dict[str, Any] = next(iter(data.values()))
    return result


async def balance(api: Api, person: Person) -> dict[str, int]:
    data = await api.query(BALANCE, token=person.token)
    result: dict[str, int] = data["creditBalance"]
    return result


async def earnings(api: Api, person: Person) -> dict[str, int]:
    """An expert's earnings: pending, payable and paid out."""
    data = await api.query(EARNINGS, token=person.token)
    result: dict[str, int] = data["creditBalance"]
    return result


OFFER_FIELDS = "id purpose madeBy status times mode location expiresAt holdsTimes pickedStartsAt"
OFFERED_MEETING = f"{MEETING_FIELDS} location roomUrl offers {{ {OFFER_FIELDS} }}"
RESCHEDULE = f"""
mutation($input: RescheduleMeetingInput!) {{
  rescheduleMeeting(input: $input) {{ __typename
    ... on Meeting {{ {OFFERED_MEETING} }} ... on Problem {{ code message }} }}
}}"""
RESPOND = f"""
mutation($input: RespondToOfferInput!) {{
  respondToOffer(input: $input) {{ __typename
    ... on Meeting {{ {OFFERED_MEETING} }} ... on Problem {{ code message }} }}
}}"""
WITHDRAW = f"""
mutation($input: WithdrawOfferInput!) {{
  withdrawOffer(input: $input) {{ __typename
    ... on Meeting {{ {OFFERED_MEETING} }} ... on Problem {{ code message }} }}
}}"""
CHANGE_LOCATION = f"""
mutation($input: ChangeMeetingLocationInput!) {{
  changeMeetingLocation(input: $input) {{ __typename
    ... on Meeting {{ {OFFERED_MEETING} }} ... on Problem {{ code message }} }}
}}"""
SET_PROGRAMME = """
mutation($input: SetClientProgrammeInput!) {
  setClientProgramme(input: $input) { __typename
    ... on ClientProgrammeSetting { programme } ... on Problem { code message } }
}"""
