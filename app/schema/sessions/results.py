"""Result unions of the session mutations."""

from app.schema.meetings.types import Meeting, Note, Review
from app.schema.results import result_of
from app.services import sessions

JoinMeetingResult = result_of("JoinMeetingResult", Meeting, sessions.join_meeting)
EndMeetingResult = result_of("EndMeetingResult", Meeting, sessions.end_meeting)
AddNoteResult = result_of("AddNoteResult", Note, sessions.add_note)
ReviewMeetingResult = result_of("ReviewMeetingResult", Review, sessions.review_meeting)
