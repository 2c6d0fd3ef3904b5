"""Result unions of the meeting queries and mutations."""

from typing import Annotated

import strawberry

from app.schema.meetings import CancellationQuote, ClientProgrammeSetting, Meeting, Note, Review
from app.schema.problems import (
    ConflictNotAcknowledged,
    InsufficientCredits,
    InvalidInput,
    InvalidState,
    LateNoticeNotAcknowledged,
    LimitExceeded,
    NotAllowed,
    NotFound,
    NotOffered,
    OutsideAvailability,
    SlotTaken,
    TooFarAhead,
    TooLate,
    TooSoon,
)

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
    strawberry.union(
        "BookMeetingResult",
        description="What bookMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
ProposeMeetingResult = Annotated[
    Meeting | ConflictNotAcknowledged | InvalidInput | NotAllowed | NotFound | NotOffered | SlotTaken,
    strawberry.union(
        "ProposeMeetingResult",
        description="What proposeMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
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
    strawberry.union(
        "ConfirmMeetingResult",
        description="What confirmMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
DeclineMeetingResult = Annotated[
    Meeting | InvalidInput | InvalidState | NotAllowed | NotFound | TooLate,
    strawberry.union(
        "DeclineMeetingResult",
        description="What declineMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
CancelMeetingResult = Annotated[
    Meeting | InvalidInput | InvalidState | LateNoticeNotAcknowledged | NotAllowed | NotFound | TooLate,
    strawberry.union(
        "CancelMeetingResult",
        description="What cancelMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
SettleChargeResult = Annotated[
    Meeting | InvalidState | NotAllowed | NotFound | TooLate,
    strawberry.union(
        "SettleChargeResult",
        description="What settleCharge answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
MeetingResult = Annotated[
    Meeting | NotFound,
    strawberry.union(
        "MeetingResult",
        description="What meeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
JoinMeetingResult = Annotated[
    Meeting | InvalidState | NotAllowed | NotFound | TooLate | TooSoon,
    strawberry.union(
        "JoinMeetingResult",
        description="What joinMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
EndMeetingResult = Annotated[
    Meeting | InvalidState | NotAllowed | NotFound,
    strawberry.union(
        "EndMeetingResult",
        description="What endMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
AddNoteResult = Annotated[
    Note | InvalidInput | InvalidState | NotAllowed | NotFound | TooLate,
    strawberry.union(
        "AddNoteResult",
        description="What addNote answers: the Note, or the Problem saying why nothing changed.",
    ),
]
ReviewMeetingResult = Annotated[
    Review | InvalidInput | InvalidState | NotAllowed | NotFound,
    strawberry.union(
        "ReviewMeetingResult",
        description="What reviewMeeting answers: the Review, or the Problem saying why nothing changed.",
    ),
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
    strawberry.union(
        "RescheduleMeetingResult",
        description="What rescheduleMeeting answers: the Meeting, or the Problem saying why nothing changed.",
    ),
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
    strawberry.union(
        "RespondToOfferResult",
        description="What respondToOffer answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
WithdrawOfferResult = Annotated[
    Meeting | InvalidInput | InvalidState | NotAllowed | NotFound,
    strawberry.union(
        "WithdrawOfferResult",
        description="What withdrawOffer answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
ChangeMeetingLocationResult = Annotated[
    Meeting | InvalidInput | InvalidState | NotAllowed | NotFound | NotOffered | SlotTaken | TooLate,
    strawberry.union(
        "ChangeMeetingLocationResult",
        description="What changeMeetingLocation answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
SetClientProgrammeResult = Annotated[
    ClientProgrammeSetting | NotAllowed | NotFound,
    strawberry.union(
        "SetClientProgrammeResult",
        description="What setClientProgramme answers: the ClientProgrammeSetting, "
        "or the Problem saying why nothing changed.",
    ),
]
CancellationQuoteResult = Annotated[
    CancellationQuote | InvalidInput | InvalidState | LateNoticeNotAcknowledged | NotAllowed | NotFound | TooLate,
    strawberry.union(
        "CancellationQuoteResult",
        description="What cancellationQuote answers: the CancellationQuote, or the Problem saying why nothing changed.",
    ),
]
RequestSessionResult = Annotated[
    Meeting | InsufficientCredits | InvalidInput | InvalidState | LimitExceeded | NotFound | NotOffered | SlotTaken,
    strawberry.union(
        "RequestSessionResult",
        description="What requestSession answers: the Meeting, or the Problem saying why nothing changed.",
    ),
]
