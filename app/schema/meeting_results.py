"""Result unions of the meeting queries and mutations."""

from typing import Annotated

import strawberry

from app.schema.meetings import CancellationQuote, ClientProgrammeSetting, Meeting, Note, Review
from app.schema.problems import AnyProblem

BookMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("BookMeetingResult")]
ProposeMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("ProposeMeetingResult")]
ConfirmMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("ConfirmMeetingResult")]
DeclineMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("DeclineMeetingResult")]
CancelMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("CancelMeetingResult")]
SettleChargeResult = Annotated[Meeting | AnyProblem, strawberry.union("SettleChargeResult")]
MeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("MeetingResult")]
JoinMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("JoinMeetingResult")]
EndMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("EndMeetingResult")]
AddNoteResult = Annotated[Note | AnyProblem, strawberry.union("AddNoteResult")]
ReviewMeetingResult = Annotated[Review | AnyProblem, strawberry.union("ReviewMeetingResult")]
RescheduleMeetingResult = Annotated[Meeting | AnyProblem, strawberry.union("RescheduleMeetingResult")]
RespondToOfferResult = Annotated[Meeting | AnyProblem, strawberry.union("RespondToOfferResult")]
WithdrawOfferResult = Annotated[Meeting | AnyProblem, strawberry.union("WithdrawOfferResult")]
ChangeMeetingLocationResult = Annotated[Meeting | AnyProblem, strawberry.union("ChangeMeetingLocationResult")]
SetClientProgrammeResult = Annotated[ClientProgrammeSetting | AnyProblem, strawberry.union("SetClientProgrammeResult")]
CancellationQuoteResult = Annotated[CancellationQuote | AnyProblem, strawberry.union("CancellationQuoteResult")]
RequestSessionResult = Annotated[Meeting | AnyProblem, strawberry.union("RequestSessionResult")]
