"""DateTime and Date as the GraphQL Scalars project specifies them, with @specifiedBy."""

import datetime as dt

from strawberry.schema.types.base_scalars import DateDefinition, DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition

DATE_TIME = ScalarDefinition(
    name="DateTime",
    description=(
        "An instant as RFC 3339 text with its offset, e.g. 2026-03-02T09:00:00+01:00 or "
        "2026-03-02T08:00:00Z. Inputs without an offset are refused; outputs are in UTC."
    ),
    specified_by_url="https://scalars.graphql.org/andimarek/date-time",
    serialize=DateTimeDefinition.serialize,
    parse_value=DateTimeDefinition.parse_value,
    parse_literal=None,
    origin=dt.datetime,
)

DATE = ScalarDefinition(
    name="Date",
    description="A calendar day as ISO 8601 text (YYYY-MM-DD), read in the zone the field names.",
    specified_by_url="https://scalars.graphql.org/andimarek/local-date",
    serialize=DateDefinition.serialize,
    parse_value=DateDefinition.parse_value,
    parse_literal=None,
    origin=dt.date,
)

SCALARS: dict[object, ScalarDefinition] = {dt.datetime: DATE_TIME, dt.date: DATE}
