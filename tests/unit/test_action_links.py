from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from app.domain.action_links import LinkAction, LinkClaims, actions_for, require_current
from app.domain.errors import TooLate
from app.domain.people import Side

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
CLAIMS = LinkClaims(UUID(int=1), 3, UUID(int=2), LinkAction.CONFIRM, NOW + timedelta(days=7))


def test_a_mail_that_asks_for_an_answer_carries_confirm_and_decline_for_the_side_asked() -> None:
    assert actions_for("BOOKED_BY_CLIENT", Side.EXPERT) == (LinkAction.CONFIRM, LinkAction.DECLINE)
    assert actions_for("PROPOSED_BY_EXPERT", Side.CLIENT) == (LinkAction.CONFIRM, LinkAction.DECLINE)
    assert actions_for("BOOKED_BY_CLIENT", Side.CLIENT) == ()  # the client's own booking asks nothing of them
    assert actions_for("CANCELLED_BY_CLIENT", Side.EXPERT) == ()
    assert actions_for("REMINDER_24H", Side.CLIENT) == ()  # not a meeting event


def test_a_link_works_on_its_version_until_it_expires() -> None:
    require_current(CLAIMS, 3, NOW)
    with pytest.raises(TooLate, match="out of date"):
        require_current(CLAIMS, 4, NOW)
    with pytest.raises(TooLate, match="expired"):
        require_current(CLAIMS, 3, NOW + timedelta(days=7))
