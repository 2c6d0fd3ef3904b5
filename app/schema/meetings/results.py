"""Result unions of the meeting queries and mutations."""

from app.schema.meetings.types import Meeting
from app.schema.results import result_of
from app.services import answering, booking, cancelling, meeting_queries

MeetingResult = result_of("MeetingResult", Meeting, meeting_queries.get_meeting)
BookMeetingResult = result_of("BookMeetingResult", Meeting, booking.book_meeting)
ProposeMeetingResult = result_of("ProposeMeetingResult", Meeting, booking.propose_meeting)
RequestSessionResult = result_of("RequestSessionResult", Meeting, booking.request_session)
ConfirmMeetingResult = result_of("ConfirmMeetingResult", Meeting, answering.confirm_meeting)
DeclineMeetingResult = result_of("DeclineMeetingResult", Meeting, answering.decline_meeting)
CancelMeetingResult = result_of("CancelMeetingResult", Meeting, cancelling.cancel_meeting)
SettleChargeResult = result_of("SettleChargeResult", Meeting, cancelling.settle_charge)
