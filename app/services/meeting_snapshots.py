"""Each announced version of a meeting, as that version left it, shared by every subscriber
that hears of it.

A change's event carries the meeting's row as the change wrote it (`row_payload`), so a
subscriber shows that version, never a later one read from the table: a burst of changes
reaches every subscriber as each of its versions. Snapshots are keyed by (meeting,
version), kept for the last few hundred events, and never changed by a reader. Each
snapshot also keeps what it looks like to each viewer, decided and built once per viewer:
the subscribers of one viewer receive the very same object (which lets them share its
execution).
"""

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypeVar
from uuid import UUID

from app.domain.access import can_see_meeting
from app.domain.people import Actor, Parties
from app.models import Meeting

KEPT_EVENTS = 512
View = TypeVar("View")


def row_payload(row: Meeting) -> str:
    """The row's columns as JSON, for the event that announces this version."""
    values = {name: getattr(row, name) for name in Meeting._meta.fields_db_projection}
    return json.dumps({name: _plain(value) for name, value in values.items()})


def _plain(value: object) -> object:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _row(payload: str) -> Meeting:
    fields = Meeting._meta.fields_map
    values: Mapping[str, object] = json.loads(payload)
    return Meeting(**{name: fields[name].to_python_value(value) for name, value in values.items()})


class MeetingSnapshot:
    def __init__(self, row: Meeting) -> None:
        self.row = row
        self._views: dict[Actor, object] = {}

    def view_for(self, viewer: Actor, build: Callable[[Meeting, Actor], View]) -> View | None:
        """What `viewer` is shown of this version, or None when they may not see it; built on
        the first call for each viewer (`build` makes the same kind of view every time)."""
        if viewer not in self._views:
            visible = can_see_meeting(viewer, Parties(self.row.client_id, self.row.expert_id))
            self._views[viewer] = build(self.row, viewer) if visible else None
        return self._views[viewer]  # type: ignore[return-value]


class MeetingSnapshots:
    def __init__(self, kept: int = KEPT_EVENTS) -> None:
        self._kept = kept
        self._snapshots: OrderedDict[tuple[UUID, int], MeetingSnapshot] = OrderedDict()
        self.decoded = 0
        """How many rows were decoded from events (the bench prints it per event)."""

    def snapshot(self, meeting_id: UUID, version: int, row: str) -> MeetingSnapshot:
        """The snapshot of `version`, decoded from its event's `row` the first time it is asked for."""
        key = (meeting_id, version)
        snapshot = self._snapshots.get(key)
        if snapshot is None:
            self.decoded += 1
            snapshot = self._snapshots[key] = MeetingSnapshot(_row(row))
            while len(self._snapshots) > self._kept:
                self._snapshots.popitem(last=False)
        return snapshot
