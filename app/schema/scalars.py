"""DateTime and Date as the GraphQL Scalars project specifies them, with @specifiedBy."""

import datetime as dt

from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition, wrap_parser
from strawberry.types.scalar import ScalarDefinition


def _date_time(text: str) -> dt.datetime:
    """ISO 8601 as Python reads it, with a message that says what is expected instead of Python's."""
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("Expected RFC 3339 text with an offset, e.g. 2030-01-07T10:00:00Z.") from None
    return parsed


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("Expected a day as YYYY-MM-DD, e.g. 2030-01-07.") from None


DATE_TIME = ScalarDefinition(
    name="DateTime",
    description=(
        "An instant as RFC 3339 text with its offset, e.g. 2026-03-02T09:00:00+01:00 or "
        "2026-03-02T08:00:00Z. Inputs without an offset are refused; outputs are in UTC."
    ),
    specified_by_url="https://scalars.graphql.org/andimarek/date-time",
    serialize=DateTimeDefinition.serialize,
    parse_value=wrap_parser(_date_time, "DateTime"),
    parse_literal=None,
    origin=dt.datetime,
)

DATE = ScalarDefinition(
    name="Date",
    description="A calendar day as ISO 8601 text (YYYY-MM-DD), read in the zone the field names.",
    specified_by_url="https://scalars.graphql.org/andimarek/local-date",
    serialize=DateDefinition.serialize,
    parse_value=wrap_parser(_date, "Date"),
    parse_literal=None,
    origin=dt.date,
)

SCALARS: dict[object, ScalarDefinition] = {dt.datetime: DATE_TIME, dt.date: DATE}
