"""An expert's timing policy: DOMAIN.md's defaults, and the bounds an expert may set."""

from datetime import timedelta

import pytest

from app.domain.errors import InvalidInput
from app.domain.policy import MAX_POLICY_WINDOW_MINUTES, SETTLEMENT_PERIOD, ExpertPolicy, validate_policy_minutes


def test_the_defaults_are_domain_mds() -> None:
    policy = ExpertPolicy()
    assert policy.client_cancellation_window == timedelta(hours=24)
    assert policy.short_notice_window == timedelta(hours=48)
    assert policy.join_window == timedelta(minutes=10)
    assert policy.no_show_grace == timedelta(minutes=10)
    assert policy.notes_window == timedelta(hours=48)
    assert timedelta(hours=72) == SETTLEMENT_PERIOD


@pytest.mark.parametrize("minutes", [None, 0, 90, MAX_POLICY_WINDOW_MINUTES])
def test_windows_from_zero_to_thirty_days_are_accepted(minutes: int | None) -> None:
    assert validate_policy_minutes(minutes) == minutes


@pytest.mark.parametrize("minutes", [-1, MAX_POLICY_WINDOW_MINUTES + 1])
def test_windows_beyond_are_refused(minutes: int) -> None:
    with pytest.raises(InvalidInput, match="between 0 and 43200"):
        validate_policy_minutes(minutes)
