"""Result types and unions of the account, credit, service and notification mutations."""

from typing import Annotated

import strawberry

from app.schema.experts import Service
from app.schema.problems import InvalidInput, NotAllowed, NotFound
from app.schema.users import CreditBalance, User


@strawberry.type
class CreditGrant:
    user_id: strawberry.ID
    balance: CreditBalance


@strawberry.type
class IssuedToken:
    user_id: strawberry.ID
    token: str


@strawberry.type
class NotificationsMarked:
    marked_count: int
    unread_count: int


CreateUserResult = Annotated[
    User
    | InvalidInput
    | NotAllowed,
    strawberry.union("CreateUserResult"),
]
GrantCreditsResult = Annotated[
    CreditGrant
    | InvalidInput
    | NotAllowed
    | NotFound,
    strawberry.union("GrantCreditsResult"),
]
IssueTokenResult = Annotated[
    IssuedToken
    | NotAllowed
    | NotFound,
    strawberry.union("IssueTokenResult"),
]
CreateServiceResult = Annotated[
    Service
    | InvalidInput
    | NotAllowed
    | NotFound,
    strawberry.union("CreateServiceResult"),
]
MarkNotificationsReadResult = Annotated[
    NotificationsMarked
    | InvalidInput
    | NotFound,
    strawberry.union("MarkNotificationsReadResult"),
]
