"""Expected failures as union members: one type per reason, all implementing Problem."""

from typing import Any

import strawberry
from strawberry.types.field import StrawberryField

from app.domain import errors
from app.schema.enums import DESCRIPTIONS, ProblemCode


def _described(code: ProblemCode) -> str:
    return DESCRIPTIONS[ProblemCode][1][code.name]


@strawberry.interface(description="A refused action: nothing was changed.")
class Problem:
    code: ProblemCode = strawberry.field(description="Why, as a code to branch on.")
    message: str = strawberry.field(description="Why, in a sentence to show a person (English).")


@strawberry.type(description=_described(ProblemCode.NOT_FOUND))
class NotFound(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.NOT_ALLOWED))
class NotAllowed(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.INVALID_STATE))
class InvalidState(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.TOO_LATE))
class TooLate(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.SLOT_TAKEN))
class SlotTaken(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.OUTSIDE_AVAILABILITY))
class OutsideAvailability(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.TOO_SOON))
class TooSoon(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.TOO_FAR_AHEAD))
class TooFarAhead(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.NOT_OFFERED))
class NotOffered(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.INSUFFICIENT_CREDITS))
class InsufficientCredits(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.CONFLICT_NOT_ACKNOWLEDGED))
class ConflictNotAcknowledged(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.LATE_NOTICE_NOT_ACKNOWLEDGED))
class LateNoticeNotAcknowledged(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.ALREADY_TAKEN))
class AlreadyTaken(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.INVALID_INPUT))
class InvalidInput(Problem):
    pass


@strawberry.type(description=_described(ProblemCode.LIMIT_EXCEEDED))
class LimitExceeded(Problem):
    pass


PROBLEM_TYPES: dict[type[errors.Refusal], type[Problem]] = {
    errors.NotFound: NotFound,
    errors.NotAllowed: NotAllowed,
    errors.InvalidState: InvalidState,
    errors.TooLate: TooLate,
    errors.SlotTaken: SlotTaken,
    errors.OutsideAvailability: OutsideAvailability,
    errors.TooSoon: TooSoon,
    errors.TooFarAhead: TooFarAhead,
    errors.NotOffered: NotOffered,
    errors.InsufficientCredits: InsufficientCredits,
    errors.ConflictNotAcknowledged: ConflictNotAcknowledged,
    errors.LateNoticeNotAcknowledged: LateNoticeNotAcknowledged,
    errors.AlreadyTaken: AlreadyTaken,
    errors.InvalidInput: InvalidInput,
    errors.LimitExceeded: LimitExceeded,
}


def problem_for(refusal: errors.Refusal) -> Problem:
    """A refusal as its union member, where a result reports one without being refused."""
    return PROBLEM_TYPES[type(refusal)](code=refusal.code, message=refusal.message)


class RefusalHandler:
    """Turns one kind of domain refusal into its union member."""

    def __init__(self, refusal: type[errors.Refusal], problem: type[Problem]) -> None:
        self.exception_type = refusal
        self.error_type = problem

    def handle(self, exception: errors.Refusal, *, field: StrawberryField, info: Any) -> Problem:
        return problem_for(exception)


def refusal_handlers() -> list[RefusalHandler]:
    missing = set(errors.ALL_REFUSALS) - set(PROBLEM_TYPES)
    if missing:
        raise RuntimeError(f"refusals without a GraphQL type: {sorted(m.__name__ for m in missing)}")
    return [RefusalHandler(refusal, problem) for refusal, problem in PROBLEM_TYPES.items()]
