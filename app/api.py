"""The API: root types composed from each area's operations (app/resolvers/<area>.py), built
into one schema with the extensions the settings ask for. Every public operation name of
API.md is a field of an area's Query, Mutation or Subscription type."""

import json
import logging
from collections.abc import Callable

import strawberry
from graphql import GraphQLError, GraphQLInterfaceType, GraphQLUnionType
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from app.outages import SERVICE_UNAVAILABLE, outage_cause
from app.resolvers.accounts import AccountMutations, AccountQueries
from app.resolvers.availability import AvailabilityMutations, AvailabilityQueries
from app.resolvers.instant import InstantMutations, InstantQueries, InstantSubscriptions
from app.resolvers.meetings import MeetingMutations, MeetingQueries, MeetingSubscriptions
from app.resolvers.messages import MessageMutations, MessageQueries, MessageSubscriptions
from app.resolvers.money import MoneyMutations, MoneyQueries
from app.resolvers.notifications import NotificationMutations, NotificationQueries, NotificationSubscriptions
from app.resolvers.offers import OfferMutations, OfferQueries
from app.resolvers.sessions import SessionMutations
from app.resolvers.webhooks import WebhookMutations, WebhookQueries
from app.schema.context import Context
from app.schema.cost import CostLimit
from app.schema.error_codes import add_code
from app.schema.execution import LeafFastPath
from app.schema.extensions import (
    LoadersPerOperation,
    MaskFaults,
    OperationMetrics,
    OperationNameRequired,
    SilentStatementCounter,
    StatementCounter,
    install_statement_counting,
    should_mask_error,
)
from app.schema.problems import refusal_handlers
from app.schema.scalars import SCALARS
from app.settings import Settings

logger = logging.getLogger("app.graphql")


@strawberry.type(description="Reads. Public ones need no token; the rest answer only about you.")
class Query(
    AccountQueries,
    AvailabilityQueries,
    MeetingQueries,
    NotificationQueries,
    OfferQueries,
    InstantQueries,
    MessageQueries,
    MoneyQueries,
    WebhookQueries,
):
    pass


@strawberry.type(description="Actions. Each answers its result or a Problem, and a Problem changes nothing.")
class Mutation(
    AccountMutations,
    MeetingMutations,
    OfferMutations,
    NotificationMutations,
    AvailabilityMutations,
    InstantMutations,
    SessionMutations,
    MessageMutations,
    MoneyMutations,
    WebhookMutations,
):
    pass


@strawberry.type(
    description="Live updates at /graphql: over the WebSocket (graphql-transport-ws; sign in with connection_init), "
    "or over HTTP as server-sent events (graphql-sse) or multipart (Apollo), signed in with the Authorization header."
)
class Subscription(MeetingSubscriptions, NotificationSubscriptions, InstantSubscriptions, MessageSubscriptions):
    pass


class BookingSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """A client's mistake (syntax, validation, sign-in, a coded refusal) is one line;
        only a server fault is logged with its traceback."""
        operation = (execution_context.operation_name if execution_context else None) or "an operation"
        context = execution_context.context if execution_context else None
        for error in errors:
            is_fault = should_mask_error(error)
            if is_fault and (cause := outage_cause(error.original_error)) is not None:
                error.extensions = {**(error.extensions or {}), "code": SERVICE_UNAVAILABLE}
                if isinstance(context, Context):
                    context.runtime.outages.out_of_reach(cause)
                continue
            code = add_code(error, is_fault)
            if is_fault:
                logger.error("fault in %s: %s", operation, error.message, exc_info=error.original_error)
            else:
                logger.info("refused %s: %s %s", operation, code, error.message.splitlines()[0][:200])


CACHED_DOCUMENTS = 256
"""Parsed and validated documents kept per process: clients send the same few queries."""


def build_schema(settings: Settings) -> strawberry.Schema:
    # The limits' validation rules are made once, so that a document validated once stays
    # valid in the cache (a rule class made per request would never hit it).
    rules = [
        *QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=settings.max_query_aliases).validation_rules,
        CostLimit,
    ]
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: ParserCache(maxsize=CACHED_DOCUMENTS),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
        MaskFaults,
        LoadersPerOperation,
        OperationNameRequired,
    ]
    if settings.expose_query_count or settings.metrics_token:
        install_statement_counting()
        extensions.append(StatementCounter if settings.expose_query_count else SilentStatementCounter)
    extensions.append(OperationMetrics)
    return BookingSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        exception_handlers=refusal_handlers(),
        config=StrawberryConfig(scalar_map=SCALARS),
        execution_context_class=LeafFastPath,
    )


def schema_sdl() -> str:
    return str(build_schema(Settings())) + "\n"


def possible_types_json() -> str:
    """Each interface and union with the object types it may be: the `possibleTypes` map
    Apollo Client needs to match `... on Problem` (without it, it drops those fields)."""
    graphql_schema = build_schema(Settings())._schema
    possible = {
        name: sorted(member.name for member in graphql_schema.get_possible_types(abstract))
        for name, abstract in sorted(graphql_schema.type_map.items())
        if isinstance(abstract, (GraphQLInterfaceType, GraphQLUnionType)) and not name.startswith("__")
    }
    return json.dumps(possible, indent=2) + "\n"
