"""Inputs and result unions of accounts, credits, services and notifications."""

from typing import Annotated

import strawberry

from app.schema.catalog import Service
from app.schema.enums import MeetingMode
from app.schema.problems import AnyProblem
from app.schema.users import CreditBalance, User


@strawberry.input
class ExpertProfileInput:
    headline: str = ""
    skills: list[str] = strawberry.field(default_factory=list)


@strawberry.input
class CreateUserInput:
    name: str
    email: str
    time_zone: str
    is_admin: bool = False
    expert: ExpertProfileInput | None = strawberry.field(
        default=None, description="Give it to make the user an expert."
    )


@strawberry.input
class GrantCreditsInput:
    user_id: strawberry.ID
    amount: int
    memo: str = ""


@strawberry.input
class IssueTokenInput:
    user_id: strawberry.ID


@strawberry.input
class OfferingInput:
    duration_minutes: int
    price_credits: int


@strawberry.input
class CreateServiceInput:
    title: str
    offerings: list[OfferingInput]
    modes: list[MeetingMode]
    description: str = ""
    location: str | None = None
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins only: the expert the service belongs to."
    )


@strawberry.input
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Leave out to mark all of the viewer's notifications read."
    )


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


CreateUserResult = Annotated[User | AnyProblem, strawberry.union("CreateUserResult")]
GrantCreditsResult = Annotated[CreditGrant | AnyProblem, strawberry.union("GrantCreditsResult")]
IssueTokenResult = Annotated[IssuedToken | AnyProblem, strawberry.union("IssueTokenResult")]
CreateServiceResult = Annotated[Service | AnyProblem, strawberry.union("CreateServiceResult")]
MarkNotificationsReadResult = Annotated[
    NotificationsMarked | AnyProblem, strawberry.union("MarkNotificationsReadResult")
]
