"""Builds the schema from the root types and the extensions the settings ask for."""

from collections.abc import Callable

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from app.schema.extensions import (
    LoadersPerOperation,
    StatementCounter,
    install_statement_counting,
    should_mask_error,
)
from app.schema.problems import refusal_handlers
from app.schema.root import Mutation, Query, Subscription
from app.settings import Settings


def build_schema(settings: Settings) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_query_aliases),
        lambda: MaskErrors(should_mask_error=should_mask_error),
        LoadersPerOperation,
    ]
    if settings.expose_query_count:
        install_statement_counting()
        extensions.append(StatementCounter)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        exception_handlers=refusal_handlers(),
    )


def schema_sdl() -> str:
    return str(build_schema(Settings())) + "\n"
