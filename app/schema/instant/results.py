"""Result unions of the instant-request mutations."""

from app.schema.instant.types import InstantRequest
from app.schema.meetings.types import Meeting
from app.schema.results import result_of
from app.services import instant

PostInstantRequestResult = result_of("PostInstantRequestResult", InstantRequest, instant.post_instant_request)
TakeInstantRequestResult = result_of("TakeInstantRequestResult", Meeting, instant.take_instant_request)
WithdrawInstantRequestResult = result_of(
    "WithdrawInstantRequestResult", InstantRequest, instant.withdraw_instant_request
)
