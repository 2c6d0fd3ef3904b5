"""Refusals: the expected, typed answers to an action whose conditions do not hold.

Each reason is its own exception class so the GraphQL layer can map it to its
own union member; the message is safe to show to the caller.
"""

from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, TypeVar


class ProblemCode(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    NOT_ALLOWED = "NOT_ALLOWED"
    INVALID_STATE = "INVALID_STATE"
    TOO_LATE = "TOO_LATE"
    SLOT_TAKEN = "SLOT_TAKEN"
    OUTSIDE_AVAILABILITY = "OUTSIDE_AVAILABILITY"
    TOO_SOON = "TOO_SOON"
    TOO_FAR_AHEAD = "TOO_FAR_AHEAD"
    NOT_OFFERED = "NOT_OFFERED"
    INSUFFICIENT_CREDITS = "INSUFFICIENT_CREDITS"
    CONFLICT_NOT_ACKNOWLEDGED = "CONFLICT_NOT_ACKNOWLEDGED"
    LATE_NOTICE_NOT_ACKNOWLEDGED = "LATE_NOTICE_NOT_ACKNOWLEDGED"
    ALREADY_TAKEN = "ALREADY_TAKEN"
    INVALID_INPUT = "INVALID_INPUT"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"


class Refusal(Exception):
    code: ClassVar[ProblemCode]

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(Refusal):
    code = ProblemCode.NOT_FOUND


class NotAllowed(Refusal):
    code = ProblemCode.NOT_ALLOWED


class InvalidState(Refusal):
    code = ProblemCode.INVALID_STATE


class TooLate(Refusal):
    code = ProblemCode.TOO_LATE


class SlotTaken(Refusal):
    code = ProblemCode.SLOT_TAKEN


class OutsideAvailability(Refusal):
    code = ProblemCode.OUTSIDE_AVAILABILITY


class TooSoon(Refusal):
    code = ProblemCode.TOO_SOON


class TooFarAhead(Refusal):
    code = ProblemCode.TOO_FAR_AHEAD


class NotOffered(Refusal):
    code = ProblemCode.NOT_OFFERED


class InsufficientCredits(Refusal):
    code = ProblemCode.INSUFFICIENT_CREDITS


class ConflictNotAcknowledged(Refusal):
    code = ProblemCode.CONFLICT_NOT_ACKNOWLEDGED


class LateNoticeNotAcknowledged(Refusal):
    code = ProblemCode.LATE_NOTICE_NOT_ACKNOWLEDGED


class AlreadyTaken(Refusal):
    code = ProblemCode.ALREADY_TAKEN


class InvalidInput(Refusal):
    code = ProblemCode.INVALID_INPUT


class LimitExceeded(Refusal):
    code = ProblemCode.LIMIT_EXCEEDED


ALL_REFUSALS: tuple[type[Refusal], ...] = tuple(Refusal.__subclasses__())


UseCase = TypeVar("UseCase", bound=Callable[..., Any])
_DECLARED = "__refusals__"


def refuses(*refusals: type[Refusal]) -> Callable[[UseCase], UseCase]:
    """Declares every refusal a use case can answer with. Its GraphQL result union is made
    from these (app/schema/results.py), and tests/test_problem_unions.py reads the code it
    runs to prove it can raise no other."""

    def declare(use_case: UseCase) -> UseCase:
        setattr(use_case, _DECLARED, frozenset(refusals))
        return use_case

    return declare


def declared_refusals(use_case: Callable[..., Any]) -> frozenset[type[Refusal]] | None:
    """None for a function that declares nothing (not a use case)."""
    declared: frozenset[type[Refusal]] | None = getattr(use_case, _DECLARED, None)
    return declared
