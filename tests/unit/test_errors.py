"""Refusals: one class and one code per reason; use cases declare theirs."""

from app.domain.errors import ALL_REFUSALS, NotFound, ProblemCode, Refusal, TooLate, declared_refusals, refuses


def test_every_problem_code_has_exactly_one_refusal() -> None:
    assert sorted(refusal.code for refusal in ALL_REFUSALS) == sorted(ProblemCode)


def test_a_refusal_carries_its_message_for_the_caller() -> None:
    refusal = TooLate("the window has closed")
    assert (refusal.code, refusal.message, str(refusal)) == (
        ProblemCode.TOO_LATE,
        "the window has closed",
        "the window has closed",
    )
    assert isinstance(refusal, Refusal)


def test_a_use_case_declares_its_refusals_and_a_plain_function_declares_none() -> None:
    @refuses(NotFound, TooLate)
    def use_case() -> None:
        """A stand-in."""

    def helper() -> None:
        """Not a use case."""

    assert declared_refusals(use_case) == frozenset({NotFound, TooLate})
    assert declared_refusals(helper) is None
