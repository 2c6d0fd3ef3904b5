from dataclasses import replace
from datetime import UTC, datetime

from app.domain.meetings import (
    CancelReason,
    CreditStatus,
    DeclineReason,
    MeetingMode,
    MeetingStatus,
    TimelineEventType,
)
from app.domain.notifications import QUOTED_MESSAGE_LENGTH, REASON_WORDS, MeetingSummary, plan_notifications
from app.domain.people import Side
from app.domain.rescheduling import RescheduleReason

SUMMARY = MeetingSummary(
    service_title="Career session",
    starts_at=datetime(2026, 3, 29, 16, 0, tzinfo=UTC),
    price_credits=40,
    client_name="Sam",
    expert_name="Maya",
)
ZONES = {Side.CLIENT: "America/Los_Angeles", Side.EXPERT: "Europe/London"}


def test_the_other_side_hears_of_a_change_in_its_own_time_zone() -> None:
    [planned] = plan_notifications(TimelineEventType.BOOKED_BY_CLIENT, Side.CLIENT, False, SUMMARY, ZONES)
    assert planned.recipient is Side.EXPERT
    # 16:00 UTC on the day London moved to summer time is 17:00 BST.
    assert "Sun 29 Mar 2026, 17:00 BST (Europe/London)" in planned.text


def test_both_sides_hear_of_an_admins_change() -> None:
    planned = plan_notifications(TimelineEventType.CANCELLED_BY_EXPERT, Side.EXPERT, True, SUMMARY, ZONES)
    assert [p.recipient for p in planned] == [Side.CLIENT, Side.EXPERT]
    assert "09:00 PDT (America/Los_Angeles)" in planned[0].text


def test_every_timeline_event_has_words() -> None:
    for event in TimelineEventType:
        assert plan_notifications(event, Side.CLIENT, False, SUMMARY, ZONES)[0].text


def test_offered_times_and_moves_are_worded_in_each_recipients_zone() -> None:
    offered = replace(
        SUMMARY,
        offered_times=(datetime(2026, 3, 30, 8, 0, tzinfo=UTC), datetime(2026, 3, 30, 9, 0, tzinfo=UTC)),
    )
    [to_client] = plan_notifications(TimelineEventType.TIMES_OFFERED, Side.EXPERT, False, offered, ZONES)
    assert to_client.text.startswith("Maya proposes other times for Career session")
    # 08:00 and 09:00 UTC on 30 March 2026 are 01:00 and 02:00 PDT in Los Angeles.
    assert "Mon 30 Mar 2026, 01:00 PDT (America/Los_Angeles); Mon 30 Mar 2026, 02:00 PDT" in to_client.text

    moved = replace(SUMMARY, previous_starts_at=datetime(2026, 3, 28, 16, 0, tzinfo=UTC))
    [to_expert] = plan_notifications(TimelineEventType.RESCHEDULED, Side.CLIENT, False, moved, ZONES)
    # London is on GMT on the 28th and on BST from the 29th.
    assert "to Sun 29 Mar 2026, 17:00 BST (Europe/London) (it was Sat 28 Mar 2026, 16:00 GMT" in to_expert.text


def test_what_an_answered_offer_did_is_said_and_only_that() -> None:
    cancelled = replace(SUMMARY, status=MeetingStatus.CANCELLED, credit_status=CreditStatus.RETURNED)
    [text] = plan_notifications(TimelineEventType.OFFER_REJECTED, Side.CLIENT, False, cancelled, ZONES)
    assert text.text.endswith("The meeting is cancelled and the credits are returned.")
    free = replace(SUMMARY, status=MeetingStatus.CANCELLED, credit_status=CreditStatus.NONE)
    [text] = plan_notifications(TimelineEventType.OFFER_REJECTED, Side.CLIENT, False, free, ZONES)
    assert text.text.endswith("The meeting is cancelled.")
    both = plan_notifications(TimelineEventType.OFFER_EXPIRED, None, False, SUMMARY, ZONES)
    assert [p.recipient for p in both] == [Side.CLIENT, Side.EXPERT]
    assert all(p.text.endswith("The meeting stays as it was.") for p in both)


def test_returned_credits_are_mentioned_only_when_some_were_returned() -> None:
    returned = replace(SUMMARY, status=MeetingStatus.CANCELLED, credit_status=CreditStatus.RETURNED)
    [paid] = plan_notifications(TimelineEventType.CANCELLED_BY_EXPERT, Side.EXPERT, False, returned, ZONES)
    assert paid.text.endswith("40 credits are returned to the client.")
    for nothing_blocked in (
        replace(returned, credit_status=CreditStatus.NONE),
        replace(returned, price_credits=0),
    ):
        for event in (
            TimelineEventType.CANCELLED_BY_EXPERT,
            TimelineEventType.REJECTED_BY_EXPERT,
            TimelineEventType.EXPIRED,
        ):
            for planned in plan_notifications(event, Side.EXPERT, False, nothing_blocked, ZONES):
                assert "credits" not in planned.text, planned.text


def test_a_confirmation_says_where() -> None:
    in_person = replace(SUMMARY, mode=MeetingMode.IN_PERSON, location="12 Harbour Street")
    [to_client] = plan_notifications(TimelineEventType.APPROVED_BY_EXPERT, Side.EXPERT, False, in_person, ZONES)
    assert to_client.text.endswith(", at 12 Harbour Street.")
    [online] = plan_notifications(TimelineEventType.APPROVED_BY_EXPERT, Side.EXPERT, False, SUMMARY, ZONES)
    assert online.text.endswith(", online (video).")


def test_a_client_who_rebooks_keeps_a_confirmation_and_the_expert_is_told() -> None:
    moved = replace(SUMMARY, previous_starts_at=datetime(2026, 3, 28, 16, 0, tzinfo=UTC))
    told, confirmed = plan_notifications(TimelineEventType.REBOOKED_BY_CLIENT, Side.CLIENT, False, moved, ZONES)
    assert (told.recipient, confirmed.recipient) == (Side.EXPERT, Side.CLIENT)
    assert told.text.startswith("Sam rebooked") and confirmed.text.startswith("You rebooked Career session with Maya")
    assert "it was Sat 28 Mar 2026, 09:00 PDT" in confirmed.text  # in the client's own zone


def test_the_other_side_reads_the_reason_in_words_and_the_message_quoted_on_one_line() -> None:
    declined = replace(SUMMARY, reason=DeclineReason.SCHEDULE_CONFLICT.value, message="So sorry.\nNext week?")
    [planned] = plan_notifications(TimelineEventType.REJECTED_BY_EXPERT, Side.EXPERT, False, declined, ZONES)
    assert planned.recipient is Side.CLIENT
    assert planned.text.endswith(" Reason: a schedule conflict. Message: “So sorry. Next week?”")
    long = replace(SUMMARY, message="x" * 1000)
    [planned] = plan_notifications(TimelineEventType.CANCELLED_BY_CLIENT, Side.CLIENT, False, long, ZONES)
    assert planned.text.endswith("x" * (QUOTED_MESSAGE_LENGTH - 1) + "…”")


def test_every_reason_has_words() -> None:
    reasons = {*DeclineReason, *CancelReason, *RescheduleReason}
    assert sorted(reason.value for reason in reasons if reason.value not in REASON_WORDS) == []
