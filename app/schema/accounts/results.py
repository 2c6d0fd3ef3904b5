"""Result types and unions of the account, credit and service mutations."""

import strawberry

from app.schema.accounts.experts import Service
from app.schema.accounts.users import CreditBalance, User
from app.schema.results import result_of
from app.services import catalog, users


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
