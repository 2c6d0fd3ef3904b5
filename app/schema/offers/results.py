"""Result unions of rescheduling, offers, locations, client programmes and the cancellation quote."""

from app.schema.meetings.types import CancellationQuote, ClientProgrammeSetting, Meeting
from app.schema.results import result_of
from app.services import cancelling, offers, programmes, rescheduling

RescheduleMeetingResult = result_of("RescheduleMeetingResult", Meeting, rescheduling.reschedule_meeting)
RespondToOfferResult = result_of("RespondToOfferResult", Meeting, offers.respond_to_offer)
WithdrawOfferResult = result_of("WithdrawOfferResult", Meeting, offers.withdraw_offer)
ChangeMeetingLocationResult = result_of("ChangeMeetingLocationResult", Meeting, offers.change_meeting_location)
SetClientProgrammeResult = result_of(
    "SetClientProgrammeResult", ClientProgrammeSetting, programmes.set_client_programme
)
CancellationQuoteResult = result_of("CancellationQuoteResult", CancellationQuote, cancelling.cancellation_quote)
