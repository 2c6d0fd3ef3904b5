"""The tabs GraphiQL opens with: a walk from a free slot to a live frame, in this API's words.

On the demo data with GRAPHIQL_DEMO_SIGN_IN (what `make run` serves) each tab is filled in and
signed in as the person who acts in it, so running the tabs in order works as shipped. Elsewhere
the tabs carry no token: the token box above GraphiQL signs in every tab.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from app.services.demo import WALKTHROUGH_MINUTES, Walkthrough


@dataclass(frozen=True)
class ExampleTab:
    query: str
    variables: dict[str, object]
    token: str | None = None

    def as_graphiql_tab(self) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {
            "query": self.query,
            "variables": json.dumps(self.variables, indent=2) if self.variables else "",
            "headers": json.dumps(headers, indent=2) if headers else "",
        }


SLOTS = """# 1. Free times of an expert's service (public: no
#    token needed). Book has the first one already;
#    copy another startsAt there if it is taken.
query Slots($expertId: ID!, $serviceId: ID!, $from: DateTime!, $to: DateTime!) {
  availableSlots(expertId: $expertId, serviceId: $serviceId, durationMinutes: 60, from: $from, to: $to) {
    startsAt
    expertLocalStart
  }
}
"""

BOOK = """# 2. Book it as the client{as_client}. The answer
#    is a Meeting, or a Problem that says why not
#    (SLOT_TAKEN: take another startsAt from Slots).
mutation Book($input: BookMeetingInput!) {{
  bookMeeting(input: $input) {{
    __typename
    ... on Meeting {{ id status startsAt priceCredits creditStatus }}
    ... on Problem {{ code message }}
  }}
}}
"""

LIVE = """# 3. Your meetings{as_client} as they change, over
#    the WebSocket. Run it and leave it running.
#    GraphiQL runs one operation at a time: open this
#    page in a second browser tab and run Confirm
#    there. The frame shows up here.
subscription Live {{
  meetingUpdated {{
    id
    status
    version
    updatedAt
  }}
}}
"""

CONFIRM = """# 4. Confirm it as the expert{as_expert}: paste
#    the id that Book answered into the variables.
mutation Confirm($meetingId: ID!) {{
  confirmMeeting(input: {{meetingId: $meetingId}}) {{
    __typename
    ... on Meeting {{ id status clientApproved expertApproved }}
    ... on Problem {{ code message }}
  }}
}}
"""

MY_MEETINGS = """# Your meetings, earliest first.
query MyMeetings {
  viewer { id name }
  meetings(first: 10) {
    edges {
      node { id status startsAt mode canJoin service { title } expert { name } }
    }
  }
}
"""

PASTE_MEETING_ID = "paste the id that Book answered"


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def example_tabs(walk: Walkthrough | None) -> list[ExampleTab]:
    if walk is None:
        return [
            ExampleTab(SLOTS, {"expertId": "an expert's id", "serviceId": "one of their services' id"}),
            ExampleTab(BOOK.format(as_client=""), {"input": {"serviceId": "…", "startsAt": "…"}}),
            ExampleTab(LIVE.format(as_client=""), {}),
            ExampleTab(CONFIRM.format(as_expert=""), {"meetingId": PASTE_MEETING_ID}),
            ExampleTab(MY_MEETINGS, {}),
        ]
    starts_at = _iso(walk.first_slot) if walk.first_slot else "a startsAt from Slots"
    booking = {"serviceId": str(walk.service_id), "startsAt": starts_at, "durationMinutes": WALKTHROUGH_MINUTES}
    as_client, as_expert = f" ({walk.client_name})", f" ({walk.expert_name})"
    return [
        ExampleTab(
            SLOTS,
            {
                "expertId": str(walk.expert_id),
                "serviceId": str(walk.service_id),
                "from": _iso(walk.slots_from),
                "to": _iso(walk.slots_to),
            },
        ),
        ExampleTab(BOOK.format(as_client=as_client), {"input": {**booking, "mode": "VIDEO"}}, walk.client_token),
        ExampleTab(LIVE.format(as_client=as_client), {}, walk.client_token),
        ExampleTab(CONFIRM.format(as_expert=as_expert), {"meetingId": PASTE_MEETING_ID}, walk.expert_token),
        ExampleTab(MY_MEETINGS, {}, walk.client_token),
    ]


def tabs_json(walk: Walkthrough | None) -> list[dict[str, str]]:
    return [tab.as_graphiql_tab() for tab in example_tabs(walk)]
