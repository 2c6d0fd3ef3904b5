"""A group writes each frame into every member's own queue: a member whose socket cannot keep
up ends alone (SLOW_CONSUMER), and the others hear every frame, in order, once."""

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any, cast
from uuid import uuid4

from starlette.websockets import WebSocket
from strawberry.types import ExecutionResult

from app.domain.people import Actor
from app.schema.frame_groups import QUEUED_FRAMES, FrameGroup, Member
from tests.support.waiting import eventually

FRAMES = QUEUED_FRAMES + 20


class ReadingSocket:
    def __init__(self) -> None:
        self.versions: list[int] = []

    async def send_text(self, text: str) -> None:
        self.versions.append(json.loads(text)["payload"]["data"]["version"])


class StuckSocket:
    """A client that stopped reading: a write waits for ever."""

    async def send_text(self, text: str) -> None:
        await asyncio.Event().wait()


def member(socket: object, operation_id: str) -> Member:
    return Member(cast(WebSocket, socket), operation_id, lambda: False)


async def changes(group: FrameGroup, released: asyncio.Event) -> AsyncIterator[Any]:
    for version in range(1, FRAMES + 1):
        if version == 2:
            await released.wait()  # the stuck member has begun its first write by then
        group.next_frame_is_about(("meeting", version))
        yield ExecutionResult(data={"version": version}, errors=None)


async def test_a_member_that_cannot_keep_up_ends_alone_and_the_others_hear_every_frame() -> None:
    group = FrameGroup((Actor(uuid4()), "subscription", None, "{}"))
    reading, stuck = ReadingSocket(), StuckSocket()
    fast, slow = member(reading, "fast"), member(stuck, "slow")
    group.members |= {fast, slow}
    serving = [asyncio.create_task(fast.serve(5)), asyncio.create_task(slow.serve(5))]
    released = asyncio.Event()
    stream = asyncio.create_task(group.run(changes(group, released)))

    async def slow_is_writing() -> bool:
        return slow._writing is not None

    await eventually(slow_is_writing)
    released.set()
    fast_ended, slow_ended = await asyncio.wait_for(asyncio.gather(*serving), timeout=10)
    await stream

    assert slow_ended is not None and slow_ended.extensions == {"code": "SLOW_CONSUMER"}
    assert fast_ended is None
    assert reading.versions == list(range(1, FRAMES + 1))


async def test_a_member_already_sent_a_version_is_not_sent_it_again() -> None:
    reading = ReadingSocket()
    fast = member(reading, "fast")
    fast.note_sent(("meeting", 2))  # its first frames went out while the group's were queued
    for version in (1, 2, 3):
        fast.write(("meeting", version), json.dumps({"data": {"version": version}}))
    fast.end(None)
    assert await fast.serve(5) is None
    assert reading.versions == [3]
