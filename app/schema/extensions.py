"""Schema extensions: fresh loaders per operation, masked faults, SQL counting."""

import logging
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from graphql import GraphQLError, OperationDefinitionNode
from strawberry.extensions import MaskErrors, SchemaExtension

from app.domain.errors import Refusal
from app.outages import MESSAGE as OUTAGE_MESSAGE
from app.outages import SERVICE_UNAVAILABLE, outage_cause
from app.request_ids import current_request_id
from app.schema.error_codes import INTERNAL_SERVER_ERROR
from app.schema.loaders import fresh_loaders


class LoadersPerOperation(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        fresh_loaders()
        yield


def should_mask_error(error: GraphQLError) -> bool:
    """Show validation, auth and refusal messages; hide every other fault's details."""
    original = error.original_error
    return not (original is None or isinstance(original, (GraphQLError, Refusal)))


class MaskFaults(MaskErrors):
    """A fault says only that it happened, its code, and the request id that finds it in the log."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask_error)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        if outage_cause(error.original_error) is not None:
            masked.message = OUTAGE_MESSAGE
            masked.extensions = {"code": SERVICE_UNAVAILABLE, "requestId": current_request_id()}
        else:
            masked.extensions = {"code": INTERNAL_SERVER_ERROR, "requestId": current_request_id()}
        return masked

    def _process_result(self, result: object) -> None:
        """As MaskErrors' own, without its runtime-Protocol `isinstance` (which costs more than
        the rest of a subscription frame's bookkeeping, and runs for every frame)."""
        errors = getattr(result, "errors", None)
        if errors:
            setattr(result, "errors", self._process_errors(errors))  # noqa: B010 - any result type


class OperationNameRequired(SchemaExtension):
    """A document with several operations must say which to run (the spec's rule), rather
    than have the first run silently."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if context._provided_operation_name is None and document is not None:
            operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
            if len(operations) > 1:
                raise GraphQLError(
                    "this document has several operations: say which to run (operationName)",
                    extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
                )
        yield


class _StatementCount:
    def __init__(self) -> None:
        self.statements = 0


_statement_count: ContextVar[_StatementCount | None] = ContextVar("statement_count", default=None)


class _CountingHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        counter = _statement_count.get()
        if (
            counter is not None
            and isinstance(record.msg, str)
            and not record.msg.startswith(("Created connection", "Closed connection"))
        ):
            counter.statements += 1


_handler: _CountingHandler | None = None


def install_statement_counting() -> None:
    """Tortoise logs every statement at DEBUG on `tortoise.db_client`; count those."""
    global _handler
    if _handler is None:
        _handler = _CountingHandler()
        db_logger = logging.getLogger("tortoise.db_client")
        db_logger.addHandler(_handler)
        db_logger.setLevel(logging.DEBUG)


class StatementCounter(SchemaExtension):
    """Counts each operation's SQL statements (for /metrics); with `report`, also answers them
    as `extensions.sqlStatements` (tests and benchmarks only)."""

    report = True

    def on_operation(self) -> Iterator[None]:
        self._counter = _StatementCount()
        _statement_count.set(self._counter)
        yield

    def get_results(self) -> dict[str, Any]:
        return {"sqlStatements": self._counter.statements} if self.report else {}


class SilentStatementCounter(StatementCounter):
    report = False


class OperationMetrics(SchemaExtension):
    """Each operation's time and SQL statements into the runtime's metrics (app/metrics.py)."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        runtime = getattr(context.context, "runtime", None)
        if runtime is None:
            return
        metrics = runtime.metrics
        name = metrics.operation(context.operation_name)
        kind = context.operation_type.value if context.operation_type else "unknown"
        metrics.operation_seconds.labels(name, kind).observe(time.perf_counter() - started)
        counter = _statement_count.get()
        if counter is not None:
            metrics.sql_statements.labels(name).observe(counter.statements)
