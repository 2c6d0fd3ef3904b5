"""Result unions of the meeting queries and mutations."""

from typing import Annotated

import strawberry

from app.schema.meetings import CancellationQuote, ClientProgrammeSetting, Meeting, Note, Review
from app.schema.problems import ConflictNotAcknowledged, InsufficientCredits, InvalidInput, InvalidState, LateNoticeNotAcknowledged, LimitExceeded, NotAllowed, NotFound, NotOffered, OutsideAvailability, SlotTaken, TooFarAhead, TooLate, TooSoon

BookMeetingResult = Annotated[
    Meeting
    | InsufficientCredits
    | InvalidInput
    | NotFound
    | NotOffered
    | OutsideAvailability
    | SlotTaken
    | TooFarAhead
    | TooSoon,
    strawberry.union("BookMeetingResult"),
]
ProposeMeetingResult = Annotated[
    Meeting
    | ConflictNotAcknowledged
    | InvalidInput
    | NotAllowed
    | NotFound
    | NotOffered
    | SlotTaken,
    strawberry.union("ProposeMeetingResult"),
]
ConfirmMeetingResult = Annotated[
    Meeting
    | ConflictNotAcknowledged
    | InsufficientCredits
    | InvalidState
    | NotAllowed
    | NotFound
    | SlotTaken
    | TooLate,
    strawberry.union("ConfirmMeetingResult"),
]
DeclineMeetingResult = Annotated[
    Meeting
    | InvalidInput
    | InvalidState
    | NotAllowed
    | NotFound
    | TooLate,
    strawberry.union("DeclineMeetingResult"),
]
CancelMeetingResult = Annotated[
    Meeting
    | InvalidInput
    | InvalidState
    | LateNoticeNotAcknowledged
    | NotAllowed
    | NotFound
    | TooLate,
    strawberry.union("CancelMeetingResult"),
]
SettleChargeResult = Annotated[
    Meeting
    | InvalidState
    | NotAllowed
    | NotFound
    | TooLate,
    strawberry.union("SettleChargeResult"),
]
MeetingResult = Annotated[
    Meeting
    | NotFound,
    strawberry.union("MeetingResult"),
]
JoinMeetingResult = Annotated[
    Meeting
    | InvalidState
    | NotAllowed
    | NotFound
    | TooLate
    | TooSoon,
    strawberry.union("JoinMeetingResult"),
]
EndMeetingResult = Annotated[
    Meeting
    | InvalidState
    | NotAllowed
    | NotFound,
    strawberry.union("EndMeetingResult"),
]
AddNoteResult = Annotated[
    Note
    | InvalidInput
    | InvalidState
    | NotAllowed
    | NotFound
    | TooLate,
    strawberry.union("AddNoteResult"),
]
ReviewMeetingResult = Annotated[
    Review
    | InvalidInput
    | InvalidState
    | NotAllowed
    | NotFound,
    strawberry.union("ReviewMeetingResult"),
]
RescheduleMeetingResult = Annotated[
    Meeting
    | ConflictNotAcknowledged
    | InsufficientCredits
    | InvalidInput
    | InvalidState
    | LateNoticeNotAcknowledged
    | LimitExceeded
    | NotAllowed
    | NotFound
    | OutsideAvailability
    | SlotTaken
    | TooFarAhead
    | TooLate
    | TooSoon,
    strawberry.union("RescheduleMeetingResult"),
]
RespondToOfferResult = Annotated[
    Meeting
    | ConflictNotAcknowledged
    | InsufficientCredits
    | InvalidInput
    | InvalidState
    | NotAllowed
    | NotFound
    | SlotTaken
    | TooLate,
    strawberry.union("RespondToOfferResult"),
]
WithdrawOfferResult = Annotated[
    Meeting
    | InvalidInput
    | InvalidState
    | NotAllowed
    | NotFound,
    strawberry.union("WithdrawOfferResult"),
]
ChangeMeetingLocationResult = Annotated[
    Meeting
    | InvalidInput
    | InvalidState
    | NotAllowed
    | NotFound
    | NotOffered
    | SlotTaken
    | TooLate,
    strawberry.union("ChangeMeetingLocationResult"),
]
SetClientProgrammeResult = Annotated[
    ClientProgrammeSetting
    | NotAllowed
    | NotFound,
    strawberry.union("SetClientProgrammeResult"),
]
CancellationQuoteResult = Annotated[
    CancellationQuote
    | InvalidInput
    | InvalidState
    | LateNoticeNotAcknowledged
    | NotAllowed
    | NotFound
    | TooLate,
    strawberry.union("CancellationQuoteResult"),
]
RequestSessionResult = Annotated[
    Meeting
    | InsufficientCredits
    | InvalidInput
    | InvalidState
    | LimitExceeded
    | NotFound
    | NotOffered
    | SlotTaken,
    strawberry.union("RequestSessionResult"),
]
