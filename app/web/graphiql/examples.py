"""The tabs GraphiQL opens with: what a new developer tries first, in this API's words."""

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ExampleTab:
    query: str
    variables: str = ""


HEADERS_TEMPLATE = """{
  "Authorization": "",
  "X-How-To-Sign-In": "Set Authorization to 'Bearer ' + the output of: python -m app token sam@example.com (a demo client), maya@example.com (a demo expert) or python -m app admin-token"
}"""
"""Empty until a token is pasted, so the schema loads for the docs panel meanwhile (a
placeholder token would be refused). The same header signs in subscriptions."""

MY_MEETINGS = """# Your meetings. First put a token in the Headers tab below:
#   python -m app token sam@example.com    (a demo client; maya@example.com is an expert)
query MyMeetings {
  viewer { id name }
  meetings(first: 10) {
    edges {
      node { id status startsAt mode canJoin service { title } expert { name } }
    }
  }
}
"""

BOOK = """# Book a slot as a client: find one with availableSlots, then book it.
mutation Book($input: BookMeetingInput!) {
  bookMeeting(input: $input) {
    __typename
    ... on Meeting { id status startsAt priceCredits creditStatus }
    ... on Problem { code message }
  }
}
"""

BOOK_VARIABLES = """{
  "input": {
    "serviceId": "a service id from experts { edges { node { services { id } } } }",
    "startsAt": "2030-01-07T10:00:00Z",
    "durationMinutes": 60,
    "mode": "VIDEO"
  }
}"""

CONFIRM = """# Confirm a meeting that waits for your side (the expert's, after a client books).
mutation Confirm($meetingId: ID!) {
  confirmMeeting(input: {meetingId: $meetingId}) {
    __typename
    ... on Meeting { id status clientApproved expertApproved }
    ... on Problem { code message }
  }
}
"""

LIVE = """# Every change to your meetings, as it happens (over the WebSocket; the
# Authorization header above signs it in). Leave it running and confirm or
# cancel a meeting in another tab.
subscription Live {
  meetingUpdated {
    id
    status
    version
    updatedAt
  }
}
"""

TABS = (
    ExampleTab(MY_MEETINGS),
    ExampleTab(BOOK, BOOK_VARIABLES),
    ExampleTab(CONFIRM, '{\n  "meetingId": "a meeting id from MyMeetings"\n}'),
    ExampleTab(LIVE),
)


def tabs_json() -> list[dict[str, str]]:
    return [{**asdict(tab), "headers": HEADERS_TEMPLATE} for tab in TABS]
