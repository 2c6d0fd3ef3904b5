"""Every top-level error carries `extensions.code`, so clients branch on a code, not on prose.

Refusals inside a result union are Problems and never reach here; these are the
errors of requests that could not run (syntax, validation, a limit), of
sign-in, of lists and subscriptions that refuse, and of server faults.
"""

import ast
import json
import re

from graphql import GraphQLError, GraphQLSyntaxError

from app.domain.errors import Refusal

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"

_LIMIT_MESSAGES = {
    "exceeds maximum operation depth": QUERY_TOO_DEEP,
    "aliases found. Allowed": TOO_MANY_ALIASES,
}


def _code_for(error: GraphQLError, is_fault: bool) -> str:
    original = error.original_error
    if isinstance(error, GraphQLSyntaxError):
        return TOO_MANY_TOKENS if "Document contains more than" in error.message else PARSE_FAILED
    if isinstance(original, Refusal):
        return original.code.value
    if is_fault or error.path is not None:
        return INTERNAL_SERVER_ERROR  # a raised fault, or a null where the schema promised a value
    for fragment, code in _LIMIT_MESSAGES.items():
        if fragment in error.message:
            return code
    if error.message.startswith("Variable '$"):
        return BAD_USER_INPUT
    return VALIDATION_FAILED


_ECHOED = re.compile(r"^(?P<head>.*(?:, found| value)): (?P<value>.*?)(?P<end>\.?)$", re.S)
"""The last `found: …` or `value: …` of a message: the echoed variable, which ends it."""


def readable_input_error(message: str) -> str:
    """graphql-core echoes a bad variable as Python (`found: {'serviceId': 'x'}`, `value: 'sixty'`);
    a client sent JSON and reads JSON. What cannot be read back (graphql-core shortens deep
    values to `{...}`) is left out: the client has what it sent."""
    echo = _ECHOED.search(message)
    if echo is None:
        return message
    try:
        value = json.dumps(ast.literal_eval(echo.group("value")))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        if "..." not in echo.group("value"):
            return message  # not an echoed value after all
        return echo.group("head").removesuffix(", found").removesuffix(" value") + "."
    return f"{echo.group('head')}: {value}{echo.group('end')}"


def add_code(error: GraphQLError, is_fault: bool) -> str:
    """Gives the error its code unless it already has one; returns the code."""
    extensions = dict(error.extensions or {})
    code = extensions.get("code")
    if not isinstance(code, str):
        code = _code_for(error, is_fault)
        extensions["code"] = code
        error.extensions = extensions
    if code == BAD_USER_INPUT:
        error.message = readable_input_error(error.message)
    return code
