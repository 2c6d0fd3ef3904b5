"""Argument descriptions shared by many resolvers (`Annotated[T, FIRST]`)."""

import strawberry

INPUT = strawberry.argument(description="What to do; every field is described on the input type.")
FIRST = strawberry.argument(description="Page size, 1 to 100.")
AFTER = strawberry.argument(description="The previous page's pageInfo.endCursor; omit for the first page.")
MEETING_ID = strawberry.argument(description="The meeting's id.")
