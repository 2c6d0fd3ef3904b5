from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from app.domain.errors import InvalidInput, InvalidState, LimitExceeded, NotAllowed, TooLate
from app.domain.messages import (
    EDIT_WINDOW,
    MAX_BODY_LENGTH,
    SENDS_PER_MINUTE,
    ConversationKind,
    MessageState,
    check_body,
    conversation_key,
    may_send,
    read_mark,
    require_deletable,
    require_editable,
    unread_after,
)
from app.domain.people import Actor

SENT = datetime(2026, 12, 7, 12, tzinfo=UTC)
SENDER = Actor(uuid4())


def test_a_body_keeps_line_breaks_tabs_and_markup_as_text() -> None:
    body = "Line one\n\tindented <b>not bold</b> ünïcode ✓"
    assert check_body(body) == body
    assert check_body("x" * MAX_BODY_LENGTH)


@pytest.mark.parametrize(
    "body", ["", " \n\t", "x" * (MAX_BODY_LENGTH + 1), "a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\ud800b"]
)
def test_a_body_is_refused(body: str) -> None:
    with pytest.raises(InvalidInput):
        check_body(body)


def test_a_sender_has_a_rate_limit() -> None:
    may_send(SENDS_PER_MINUTE - 1)
    with pytest.raises(LimitExceeded):
        may_send(SENDS_PER_MINUTE)


def test_a_conversation_is_found_again_by_its_key() -> None:
    client, expert, subject = uuid4(), uuid4(), uuid4()
    assert conversation_key(ConversationKind.MEETING, subject, client, expert) == f"meeting:{subject}"
    assert conversation_key(ConversationKind.DIRECT, None, client, expert) == f"direct:{client}:{expert}"
    instant = conversation_key(ConversationKind.INSTANT_REQUEST, subject, client, expert)
    assert (
        instant
        == f"instant:{subject}:{expert}"
        != conversation_key(ConversationKind.INSTANT_REQUEST, subject, client, uuid4())
    )


def test_the_sender_edits_within_the_window_only() -> None:
    message = MessageState(SENDER.user_id, SENT, deleted=False)
    require_editable(message, SENDER, SENT + EDIT_WINDOW)
    with pytest.raises(TooLate):
        require_editable(message, SENDER, SENT + EDIT_WINDOW + timedelta(seconds=1))
    with pytest.raises(NotAllowed):
        require_editable(message, Actor(uuid4()), SENT)
    with pytest.raises(NotAllowed):
        require_editable(message, Actor(uuid4(), is_admin=True), SENT)
    with pytest.raises(InvalidState):
        require_editable(MessageState(SENDER.user_id, SENT, deleted=True), SENDER, SENT)


def test_the_sender_deletes_once() -> None:
    require_deletable(MessageState(SENDER.user_id, SENT, deleted=False), SENDER)
    with pytest.raises(InvalidState):
        require_deletable(MessageState(SENDER.user_id, SENT, deleted=True), SENDER)
    with pytest.raises(NotAllowed):
        require_deletable(MessageState(SENDER.user_id, SENT, deleted=False), Actor(uuid4()))


def test_read_marks_move_forward_within_the_thread() -> None:
    assert read_mark(current=2, up_to=5, last_sequence=4) == 4
    assert read_mark(current=3, up_to=1, last_sequence=4) == 3
    with pytest.raises(InvalidInput):
        read_mark(current=0, up_to=-1, last_sequence=4)
    assert unread_after(read_up_to=3, last_sequence=5) == 2
    assert unread_after(read_up_to=5, last_sequence=5) == 0
