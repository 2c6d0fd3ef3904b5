"""What the account, credit and service operations take and answer."""

from datetime import datetime

import strawberry

from app.domain.billing import PerMinute
from app.schema.accounts.experts import Service
from app.schema.accounts.users import CreditBalance, User
from app.schema.enums import MeetingMode
from app.schema.results import result_of
from app.services import catalog, sign_in, users


@strawberry.input(description="What makes a user an expert.")
class ExpertProfileInput:
    headline: str = strawberry.field(default="", description="One line about them.")
    skills: list[str] = strawberry.field(default_factory=list, description="What they can help with (at most 20).")


@strawberry.input(description="Admins: a new account.")
class CreateUserInput:
    name: str = strawberry.field(description="Display name.")
    email: str = strawberry.field(description="Sign-in address; unique.")
    time_zone: str = strawberry.field(description="IANA time zone, e.g. Europe/Berlin.")
    is_admin: bool = strawberry.field(default=False, description="May act on any meeting on a side's behalf.")
    expert: ExpertProfileInput | None = strawberry.field(
        default=None, description="Give it to make the user an expert."
    )


@strawberry.input(description="Admins: add credits to a user's balance (a ledger entry).")
class GrantCreditsInput:
    user_id: strawberry.ID = strawberry.field(description="Who receives them.")
    amount: int = strawberry.field(description="Credits to add (positive).")
    memo: str = strawberry.field(default="", description="Why, for the ledger.")


@strawberry.input(description="Admins: a bearer token for a user.")
class IssueTokenInput:
    user_id: strawberry.ID = strawberry.field(description="Whose token.")


@strawberry.input(description="A duration a service offers and its price.")
class OfferingInput:
    duration_minutes: int = strawberry.field(description="Length in minutes.")
    price_credits: int = strawberry.field(description="Price in credits (0: free).")


@strawberry.input(description="Bill a service per minute of billable time (README: Money).")
class PerMinuteInput:
    rate_credits: int = strawberry.field(description="Credits per started minute (1-10,000).")
    minimum_minutes: int = strawberry.field(default=0, description="Charged at least this once billable time starts.")
    cap_minutes: int | None = strawberry.field(
        default=None,
        description="Charged at most this; booking blocks rate x cap, within the booked duration. Null: the "
        "booked duration.",
    )

    def to_domain(self) -> PerMinute:
        return PerMinute(self.rate_credits, self.minimum_minutes, self.cap_minutes)


@strawberry.input(description="An expert adds a service.")
class CreateServiceInput:
    title: str = strawberry.field(description="Its name.")
    offerings: list[OfferingInput] = strawberry.field(description="Durations with prices (at least one).")
    modes: list[MeetingMode] = strawberry.field(description="The modes it takes place in.")
    description: str = strawberry.field(default="", description="What it is about.")
    location: str | None = strawberry.field(default=None, description="The address, when IN_PERSON is offered.")
    expert_id: strawberry.ID | None = strawberry.field(
        default=None, description="Admins only: the expert the service belongs to."
    )
    per_minute: PerMinuteInput | None = strawberry.field(
        default=None, description="Bill it per minute of billable time instead of the offerings' prices."
    )


@strawberry.input(
    description="An expert (or an admin) changes one of their services; what is left out stays as it is. "
    "Prices and durations apply to new bookings only: a meeting keeps the price and length it was made with."
)
class UpdateServiceInput:
    service_id: strawberry.ID = strawberry.field(description="The service to change.")
    title: str | None = strawberry.field(default=None, description="Its new name.")
    description: str | None = strawberry.field(default=None, description="What it is about, anew.")
    offerings: list[OfferingInput] | None = strawberry.field(
        default=None, description="Durations with prices (at least one), replacing the old ones."
    )
    modes: list[MeetingMode] | None = strawberry.field(default=None, description="The modes, replacing the old ones.")
    location: str | None = strawberry.field(default=None, description="The address, when IN_PERSON is offered.")
    per_minute: PerMinuteInput | None = strawberry.field(default=None, description="Bill it per minute from now on.")
    fixed_price: bool = strawberry.field(default=False, description="Back to the offerings' fixed prices.")


@strawberry.input(
    description="An expert (or an admin) retires a service: it takes no new bookings; its meetings stand."
)
class RetireServiceInput:
    service_id: strawberry.ID = strawberry.field(description="The service to retire.")


@strawberry.input(description="Narrows the public list of experts; every given condition must hold.")
class ExpertFilterInput:
    skill: str | None = strawberry.field(default=None, description="A skill the expert lists, exactly.")
    mode: MeetingMode | None = strawberry.field(default=None, description="One of their services offers it.")
    min_price_credits: int | None = strawberry.field(
        default=None, description="A service offers a duration priced at least this (with the mode, if given)."
    )
    max_price_credits: int | None = strawberry.field(
        default=None, description="A service offers a duration priced within [min, max] (with the mode, if given)."
    )


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


CreateUserResult = result_of("CreateUserResult", User, users.create_user)


GrantCreditsResult = result_of("GrantCreditsResult", CreditGrant, users.grant_credits)


IssueTokenResult = result_of("IssueTokenResult", IssuedToken, users.issue_user_token)


CreateServiceResult = result_of("CreateServiceResult", Service, catalog.create_service)
UpdateServiceResult = result_of("UpdateServiceResult", Service, catalog.update_service)
RetireServiceResult = result_of("RetireServiceResult", Service, catalog.retire_service)


@strawberry.input(description="Anyone: ask for a sign-in code by e-mail.")
class RequestSignInCodeInput:
    email: str = strawberry.field(description="The account's address.")


@strawberry.input(description="Anyone: exchange the e-mailed code for a session.")
class SignInInput:
    email: str = strawberry.field(description="The address the code went to.")
    code: str = strawberry.field(description="The 6 digits from the mail.")


@strawberry.input(description="A signed-in frontend: a new access token before (or after) the old one expires.")
class RenewSessionInput:
    refresh_token: str = strawberry.field(description="The session's refresh token; it is used up.")


@strawberry.input(description="A signed-in frontend: end the session.")
class SignOutInput:
    refresh_token: str = strawberry.field(description="The session's refresh token.")


@strawberry.type(description="A code is on its way if the address has an account (the answer is the same either way).")
class SignInCodeSent:
    email: str = strawberry.field(description="The address, as it was read.")
    expires_at: datetime = strawberry.field(description="The code works until then (10 minutes), once.")


@strawberry.type(
    description="A signed-in session: send the access token as `Authorization: Bearer <token>` (and in "
    "connection_init on a socket); renew it with the refresh token before it expires."
)
class Session:
    access_token: str = strawberry.field(description="A bearer token, valid for minutes.")
    access_token_expires_at: datetime = strawberry.field(description="When the access token stops working.")
    refresh_token: str = strawberry.field(
        description="Keep it secret (an httpOnly cookie or secure storage); it renews the session once."
    )
    refresh_token_expires_at: datetime = strawberry.field(description="When the session ends unless renewed.")
    viewer: User = strawberry.field(description="Who signed in.")


@strawberry.type(description="The session is over: its refresh tokens no longer renew it.")
class SignedOut:
    signed_out: bool = strawberry.field(description="Always true.")


RequestSignInCodeResult = result_of("RequestSignInCodeResult", SignInCodeSent, sign_in.request_code)
SignInResult = result_of("SignInResult", Session, sign_in.sign_in)
RenewSessionResult = result_of("RenewSessionResult", Session, sign_in.renew)
SignOutResult = result_of("SignOutResult", SignedOut, sign_in.sign_out)
