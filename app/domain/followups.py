"""What a completed session leaves behind: the expert's notes and the client's review."""

from datetime import datetime

from app.domain.errors import InvalidInput, InvalidState, NotAllowed, TooLate
from app.domain.meetings import MeetingState, MeetingStatus
from app.domain.people import Side
from app.domain.policy import ExpertPolicy
from app.domain.text import validate_text

MAX_NOTE_LENGTH = 5000
MAX_REVIEW_LENGTH = 2000


def check_note(state: MeetingState, side: Side, policy: ExpertPolicy, now: datetime, text: str) -> str:
    """The meeting's expert writes notes within the notes window after completion."""
    if side is not Side.EXPERT:
        raise NotAllowed("only the meeting's expert writes session notes")
    if state.status is not MeetingStatus.COMPLETED or state.completed_at is None:
        raise InvalidState("notes are written after the session is completed")
    if now > state.completed_at + policy.notes_window:
        raise TooLate("the window for session notes has closed")
    return validate_text("text", text, max_length=MAX_NOTE_LENGTH)


def check_review(state: MeetingState, side: Side, rating: int, text: str, already_reviewed: bool) -> str:
    """The client reviews a completed session once, 1 to 5 stars."""
    if side is not Side.CLIENT:
        raise NotAllowed("only the meeting's client reviews it")
    if state.status is not MeetingStatus.COMPLETED:
        raise InvalidState("only a completed session can be reviewed")
    if already_reviewed:
        raise InvalidState("this session has already been reviewed")
    if not 1 <= rating <= 5:
        raise InvalidInput("rating must be from 1 to 5")
    return validate_text("text", text, max_length=MAX_REVIEW_LENGTH, required=False)


def notes_due_at(state: MeetingState, policy: ExpertPolicy) -> datetime | None:
    """When a completed session's notes are due, for an expert who keeps notes of every one."""
    if not policy.notes_required or state.status is not MeetingStatus.COMPLETED or state.completed_at is None:
        return None
    return state.completed_at + policy.notes_window


def notes_reminder_at(state: MeetingState, policy: ExpertPolicy) -> datetime | None:
    """Halfway through the notes window: one reminder, if the notes are still missing then."""
    due = notes_due_at(state, policy)
    return due - policy.notes_window / 2 if due is not None else None
