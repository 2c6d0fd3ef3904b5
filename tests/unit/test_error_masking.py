from graphql import GraphQLError

from app.domain.errors import InvalidInput
from app.schema.extensions import should_mask_error


def test_unexpected_faults_are_masked() -> None:
    fault = GraphQLError("boom", original_error=RuntimeError("SELECT * FROM secret"))
    assert should_mask_error(fault)


def test_validation_auth_and_refusal_messages_are_shown() -> None:
    assert not should_mask_error(GraphQLError("Syntax Error"))
    assert not should_mask_error(GraphQLError("x", original_error=GraphQLError("sign in")))
    assert not should_mask_error(GraphQLError("x", original_error=InvalidInput("first must be 1..100")))
