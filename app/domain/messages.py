"""Messages between a client and an expert: what a conversation is, what a message may hold,
who may change one and until when. Plain rules; services/messages.py stores and delivers.

- One conversation per meeting; one per client–expert pair before any booking (the client
  starts it); one per instant request and expert, for a question before it is taken.
- Its two participants write and read; admins read (for support) and write nothing
  (domain/access.py).
- A body is 1 to 4,000 characters of text (it may be empty when files are attached): no NUL, no control characters but line breaks
  and tabs. A sender writes at most 30 messages a minute.
- The sender may edit a message for 10 minutes, and delete it any time; a deleted message
  stays in the thread as "message deleted".
- A participant who is not connected when a message arrives gets a notification and, if it
  is still unread 10 minutes later, one e-mail with everything unread by then.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from app.domain.errors import InvalidInput, InvalidState, LimitExceeded, NotAllowed, TooLate
from app.domain.people import Actor
from app.domain.text import storable

MAX_BODY_LENGTH = 4000
SENDS_PER_MINUTE = 30
EDIT_WINDOW = timedelta(minutes=10)
EMAIL_DELAY = timedelta(minutes=10)
DELETED_TEXT = "message deleted"
ALLOWED_CONTROLS = frozenset("\n\r\t")


class ConversationKind(StrEnum):
    MEETING = "MEETING"
    """About one meeting."""
    DIRECT = "DIRECT"
    """A client and an expert, before or beside any booking."""
    INSTANT_REQUEST = "INSTANT_REQUEST"
    """An expert's question about an instant request before taking it."""


def conversation_key(kind: ConversationKind, subject: UUID | None, client_id: UUID, expert_id: UUID) -> str:
    """What makes a conversation the one of its kind: found again rather than made twice."""
    if kind is ConversationKind.MEETING:
        return f"meeting:{subject}"
    if kind is ConversationKind.INSTANT_REQUEST:
        return f"instant:{subject}:{expert_id}"
    return f"direct:{client_id}:{expert_id}"


def check_body(body: str, *, with_files: bool = False) -> str:
    """A message with files may have no words; one without needs some."""
    if not body.strip() and not with_files:
        raise InvalidInput("a message needs some text")
    if len(body) > MAX_BODY_LENGTH:
        raise InvalidInput(f"a message is at most {MAX_BODY_LENGTH} characters")
    storable("a message", body)
    if any((ord(c) < 32 or ord(c) == 127) and c not in ALLOWED_CONTROLS for c in body):
        raise InvalidInput("a message may not hold control characters (line breaks and tabs are fine)")
    return body


def may_send(sent_in_the_last_minute: int) -> None:
    if sent_in_the_last_minute >= SENDS_PER_MINUTE:
        raise LimitExceeded(f"at most {SENDS_PER_MINUTE} messages a minute; wait a moment")


@dataclass(frozen=True)
class MessageState:
    sender_id: UUID
    created_at: datetime
    deleted: bool


def require_editable(message: MessageState, actor: Actor, now: datetime) -> None:
    if message.sender_id != actor.user_id:
        raise NotAllowed("only its sender edits a message")
    if message.deleted:
        raise InvalidState("the message was deleted")
    if now > message.created_at + EDIT_WINDOW:
        raise TooLate(f"a message can be edited for {int(EDIT_WINDOW.total_seconds() // 60)} minutes after it is sent")


def require_deletable(message: MessageState, actor: Actor) -> None:
    if message.sender_id != actor.user_id:
        raise NotAllowed("only its sender deletes a message")
    if message.deleted:
        raise InvalidState("the message was already deleted")


def unread_after(read_up_to: int, last_sequence: int) -> int:
    """Messages are numbered 1, 2, … in their conversation; read marks only move forward."""
    return max(0, last_sequence - read_up_to)


def read_mark(current: int, up_to: int, last_sequence: int) -> int:
    if up_to < 0:
        raise InvalidInput("upTo is a message's sequence number (0 or more)")
    return max(current, min(up_to, last_sequence))
