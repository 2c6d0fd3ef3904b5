"""A group writes each frame to its members in turn: a member whose socket stops taking
frames is dropped alone (SLOW_CONSUMER), and the others hear every frame, in order, once."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any, cast
from uuid import uuid4

import pytest
from starlette.websockets import WebSocket
from strawberry.types import ExecutionResult

from app.domain.people import Actor
from app.web import frame_groups
from app.web.frame_groups import FrameGroup, Member

FRAMES = 40


class ReadingSocket:
    def __init__(self) -> None:
        self.versions: list[int] = []

    async def send_text(self, text: str) -> None:
        self.versions.append(json.loads(text)["payload"]["data"]["version"])


class StuckSocket:
    """A client that stopped reading: once its buffer is full, a write waits for ever."""

    async def send_text(self, text: str) -> None:
        await asyncio.Event().wait()


def member(socket: object, operation_id: str) -> Member:
    joined = Member(cast(WebSocket, socket), operation_id, lambda: False)
    joined.ready = True  # its first frames are sent
    return joined


async def changes(group: FrameGroup) -> AsyncIterator[Any]:
    for version in range(1, FRAMES + 1):
        group.next_frame_is_about(("meeting", version))
        yield ExecutionResult(data={"version": version}, errors=None)


async def test_a_member_whose_socket_stops_taking_frames_ends_alone_and_the_others_hear_every_frame(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(frame_groups, "WRITE_PATIENCE_SECONDS", 0.2)
    group = FrameGroup((Actor(uuid4()), "subscription", None, "{}"))
    before, stuck, after = ReadingSocket(), StuckSocket(), ReadingSocket()
    members = [member(before, "1"), member(stuck, "2"), member(after, "3")]
    group.members |= set(members)

    await asyncio.wait_for(group.run(changes(group)), timeout=10)

    ended = [await member.ended for member in members]
    assert ended[1] is not None and ended[1].extensions == {"code": "SLOW_CONSUMER"}
    assert ended[0] is None and ended[2] is None
    assert before.versions == after.versions == list(range(1, FRAMES + 1))


async def test_a_member_is_not_sent_a_version_it_already_has() -> None:
    reading = ReadingSocket()
    joined = member(reading, "1")
    joined.note_sent(("meeting", 2))  # its own first frame was version 2
    for version in (1, 2, 3):
        await joined.write(("meeting", version), json.dumps({"data": {"version": version}}))
    assert reading.versions == [3]
