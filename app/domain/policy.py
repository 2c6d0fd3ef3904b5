"""An expert's timing policy, with DOMAIN.md's defaults."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ExpertPolicy:
    client_cancellation_window: timedelta = timedelta(hours=24)
    short_notice_window: timedelta = timedelta(hours=48)
    join_window: timedelta = timedelta(minutes=10)
    no_show_grace: timedelta = timedelta(minutes=10)
    notes_window: timedelta = timedelta(hours=48)


SETTLEMENT_PERIOD = timedelta(hours=72)
"""How long an expert has to charge or waive before the charge is waived."""
