"""Result types and unions of the account, credit, service and notification mutations."""

from typing import Annotated

import strawberry

from app.schema.experts import Service
from app.schema.problems import InvalidInput, NotAllowed, NotFound
from app.schema.users import CreditBalance, User


@strawberry.type(description="Credits an admin granted.")
class CreditGrant:
    user_id: strawberry.ID = strawberry.field(description="Who received them.")
    balance: CreditBalance = strawberry.field(description="Their balance after the grant.")


@strawberry.type(description="A bearer token an admin issued for a user.")
class IssuedToken:
    user_id: strawberry.ID = strawberry.field(description="Whose token it is.")
    token: str = strawberry.field(
        description="Send as `Authorization: Bearer <token>` (and in connection_init on a socket)."
    )


@strawberry.type(description="Notifications marked read.")
class NotificationsMarked:
    marked_count: int = strawberry.field(description="How many changed from unread to read.")
    unread_count: int = strawberry.field(description="Your unread notifications left.")


CreateUserResult = Annotated[
    User | InvalidInput | NotAllowed,
    strawberry.union(
        "CreateUserResult",
        description="What createUser answers: the User, or the Problem saying why nothing changed.",
    ),
]
GrantCreditsResult = Annotated[
    CreditGrant | InvalidInput | NotAllowed | NotFound,
    strawberry.union(
        "GrantCreditsResult",
        description="What grantCredits answers: the CreditGrant, or the Problem saying why nothing changed.",
    ),
]
IssueTokenResult = Annotated[
    IssuedToken | NotAllowed | NotFound,
    strawberry.union(
        "IssueTokenResult",
        description="What issueToken answers: the IssuedToken, or the Problem saying why nothing changed.",
    ),
]
CreateServiceResult = Annotated[
    Service | InvalidInput | NotAllowed | NotFound,
    strawberry.union(
        "CreateServiceResult",
        description="What createService answers: the Service, or the Problem saying why nothing changed.",
    ),
]
MarkNotificationsReadResult = Annotated[
    NotificationsMarked | InvalidInput | NotFound,
    strawberry.union(
        "MarkNotificationsReadResult",
        description="What markNotificationsRead answers: the NotificationsMarked, "
        "or the Problem saying why nothing changed.",
    ),
]
