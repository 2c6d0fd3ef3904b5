from dataclasses import dataclass

from app.clock import Clock
from app.events.broker import Broker
from app.settings import Settings


@dataclass(frozen=True)
class Runtime:
    """What every use case may need from the outside world."""

    settings: Settings
    clock: Clock
    broker: Broker
