"""The one place the service layer asks what time it is; tests swap it."""

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.settings import Settings


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FileClock:
    """Test-only: the instant written in a file, so tests can move time for a real
    server process, across restarts and across processes. An empty file means real time.

    Accepted only when the TESTING setting is on; production refuses it at start-up.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def now(self) -> datetime:
        try:
            text = self.path.read_text().strip()
        except FileNotFoundError:
            text = ""
        if not text:
            return datetime.now(UTC)
        return datetime.fromisoformat(text).astimezone(UTC)


def clock_from(settings: "Settings") -> Clock:
    if settings.test_clock_file is not None:
        return FileClock(settings.test_clock_file)
    return SystemClock()
