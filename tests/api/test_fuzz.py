"""Random bodies, frames and calendars thrown at the real server: never a 500, never a socket
dropped without a close code (1006), whatever arrives."""

import json
import uuid
from functools import cache
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets import Subprotocol
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.api.test_availability import IMPORT
from tests.support.factories import CREATE_USER, ISSUE_TOKEN
from tests.support.server import RunningServer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
requests = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "query": st.text(max_size=60)
            | st.sampled_from(["{ __typename }", "{ viewer { id } }", "subscription { notificationAdded { id } }"])
        },
        optional={"variables": json_values, "operationName": json_values, "extensions": json_values},
    ),
)
frame_types = st.sampled_from(["connection_init", "subscribe", "complete", "ping", "pong", "next", "error"])
frames = st.one_of(
    json_values,
    st.fixed_dictionaries({"type": frame_types | json_values}, optional={"id": json_values, "payload": json_values}),
)
ics_lines = st.sampled_from(
    [
        "BEGIN:VCALENDAR",
        "END:VCALENDAR",
        "BEGIN:VEVENT",
        "END:VEVENT",
        "VERSION:2.0",
        "DTSTART:20270105T100000Z",
        "DTEND:20270105T110000Z",
        "DTSTART;VALUE=DATE:20270105",
        "DURATION:PT30M",
        "DURATION:-PT1H",
        "RRULE:FREQ=DAILY;COUNT=3",
        "RRULE:FREQ=WEEKLY;INTERVAL=2",
        "RRULE:FREQ=DAILY;UNTIL=19000101T000000Z",
        "RRULE:FREQ=YEARLY;BYMONTH=13",
        "EXDATE:20270106T100000Z",
        "TRANSP:TRANSPARENT",
        "STATUS:CANCELLED",
        "DTSTART:99991231T235959Z",
        "UID:x",
        "garbage",
    ]
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@cache
def token_for(base_url: str, admin_token: str, expert: bool) -> str:
    """One person per server for all examples (made over HTTP: the examples run synchronously)."""

    def call(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(
            f"{base_url}/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {admin_token}"},
            timeout=10,
        )
        data: dict[str, Any] = response.json()["data"]
        return data

    person: dict[str, Any] = {"name": "Fuzz", "email": f"{uuid.uuid4().hex[:12]}@example.com", "timeZone": "UTC"}
    if expert:
        person["expert"] = {"headline": "Fuzz", "skills": ["fuzz"]}
    user_id = call(CREATE_USER, {"input": person})["createUser"]["id"]
    return str(call(ISSUE_TOKEN, {"input": {"userId": user_id}})["issueToken"]["token"])


def _no_fault(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    body: Any = response.json()
    assert isinstance(body, dict)


@FUZZ
@given(body=requests)
def test_random_request_bodies_are_answered_not_faulted(server: RunningServer, body: object) -> None:
    response = httpx.post(
        f"{server.base_url}/graphql",
        content=json.dumps(body),
        headers={"content-type": "application/json"},
        timeout=10,
    )
    _no_fault(response)


@FUZZ
@given(sequence=st.lists(frames, min_size=1, max_size=4))
def test_random_frames_never_drop_a_socket_without_a_close_code(server: RunningServer, sequence: list[object]) -> None:
    token = token_for(server.base_url, server.admin_token, False)
    with connect(server.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=10) as socket:
        socket.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        try:
            for frame in sequence:
                socket.send(json.dumps(frame))
            socket.send(json.dumps({"type": "ping"}))  # answered after everything before it
            while json.loads(socket.recv(timeout=10)).get("type") != "pong":
                pass
            return  # still open and answering: fine
        except ConnectionClosed:
            assert socket.close_code is not None and socket.close_code != 1006, socket.close_code


@settings(FUZZ, max_examples=12)
@given(lines=st.lists(ics_lines, max_size=14))
def test_random_calendars_are_a_problem_or_an_import(server: RunningServer, lines: list[str]) -> None:
    token = token_for(server.base_url, server.admin_token, True)
    response = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": IMPORT, "variables": {"input": {"ics": "\n".join(lines)}}},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    _no_fault(response)
    result = response.json()["data"]["importBusyCalendar"]
    assert result["__typename"] == "BusyCalendarImported" or result["code"] in ("INVALID_INPUT", "LIMIT_EXCEEDED")
