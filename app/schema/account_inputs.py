"""Inputs of the account, credit, service and notification mutations."""

import strawberry

from app.schema.enums import MeetingMode


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


@strawberry.input(description="Narrows the public list of experts; every given condition must hold.")
class ExpertFilterInput:
    skill: str | None = strawberry.field(default=None, description="A skill the expert lists, exactly.")
    mode: MeetingMode | None = strawberry.field(default=None, description="One of their services offers it.")
    min_price_credits: int | None = None
    max_price_credits: int | None = strawberry.field(
        default=None, description="A service offers a duration priced within [min, max] (with the mode, if given)."
    )
