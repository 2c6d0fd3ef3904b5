"""An expert's timing policy, with DOMAIN.md's defaults."""

from dataclasses import dataclass
from datetime import timedelta

from app.domain.errors import InvalidInput


@dataclass(frozen=True)
class ExpertPolicy:
    client_cancellation_window: timedelta = timedelta(hours=24)
    short_notice_window: timedelta = timedelta(hours=48)
    join_window: timedelta = timedelta(minutes=10)
    no_show_grace: timedelta = timedelta(minutes=10)
    notes_window: timedelta = timedelta(hours=48)
    notes_required: bool = False
    """The expert keeps notes of every session: one missing is due by the end of the notes
    window, and the expert is reminded once, halfway through it."""
    hub_client: bool = False
    """As it applies to one of the expert's HUB clients: the programme's fixed 24-hour
    cancellation window, whatever the expert's own (domain/rescheduling.policy_for)."""


SETTLEMENT_PERIOD = timedelta(hours=72)
"""How long an expert has to charge or waive before the charge is waived."""


MAX_POLICY_WINDOW_MINUTES = 30 * 24 * 60


def validate_policy_minutes(value: int | None) -> int | None:
    """A policy window an expert sets, in minutes (None: unchanged)."""
    if value is not None and not 0 <= value <= MAX_POLICY_WINDOW_MINUTES:
        raise InvalidInput(f"policy windows must be between 0 and {MAX_POLICY_WINDOW_MINUTES}")
    return value
