from datetime import UTC, datetime

from app.domain.meetings import TimelineEventType
from app.domain.notifications import MeetingSummary, plan_notifications
from app.domain.people import Side

SUMMARY = MeetingSummary(
    service_title="Career session",
    starts_at=datetime(2026, 3, 29, 16, 0, tzinfo=UTC),
    price_credits=40,
    client_name="Sam",
    expert_name="Maya",
)
ZONES = {Side.CLIENT: "America/Los_Angeles", Side.EXPERT: "Europe/London"}


def test_the_other_side_hears_of_a_change_in_its_own_time_zone() -> None:
    [planned] = plan_notifications(
        TimelineEventType.BOOKED_BY_CLIENT, Side.CLIENT, False, SUMMARY, ZONES
    )
    assert planned.recipient is Side.EXPERT
    # 16:00 UTC on the day London moved to summer time is 17:00 BST.
    assert "Sun 29 Mar 2026, 17:00 BST (Europe/London)" in planned.text


def test_both_sides_hear_of_an_admins_change() -> None:
    planned = plan_notifications(
        TimelineEventType.CANCELLED_BY_EXPERT, Side.EXPERT, True, SUMMARY, ZONES
    )
    assert [p.recipient for p in planned] == [Side.CLIENT, Side.EXPERT]
    assert "09:00 PDT (America/Los_Angeles)" in planned[0].text


def test_every_timeline_event_has_words() -> None:
    for event in TimelineEventType:
        assert plan_notifications(event, Side.CLIENT, False, SUMMARY, ZONES)[0].text
