from typing import Annotated

import strawberry

from app.domain.catalog import Offering
from app.domain.errors import NotFound
from app.resolvers.arguments import AFTER, FIRST, INPUT
from app.resolvers.ids import parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.accounts.experts import Expert, Service
from app.schema.accounts.operations import (
    CreateServiceInput,
    CreateServiceResult,
    CreateUserInput,
    CreateUserResult,
    CreditGrant,
    ExpertFilterInput,
    GrantCreditsInput,
    GrantCreditsResult,
    IssuedToken,
    IssueTokenInput,
    IssueTokenResult,
    RenewSessionInput,
    RenewSessionResult,
    RequestSignInCodeInput,
    RequestSignInCodeResult,
    RetireServiceInput,
    RetireServiceResult,
    Session,
    SignedOut,
    SignInCodeSent,
    SignInInput,
    SignInResult,
    SignOutInput,
    SignOutResult,
    UpdateServiceInput,
    UpdateServiceResult,
)
from app.schema.accounts.users import CreditBalance, User
from app.schema.context import Info
from app.schema.pagination import Connection
from app.services import catalog, directory, ledger, sign_in, users
from app.services.response_cache import DIRECTORY, expert_tag


async def viewer(info: Info) -> User:
    actor = viewer_of(info)
    row = await info.context.loaders.user.load(actor.user_id)
    if row is None:
        raise NotFound("no such user")
    return User.from_model(row)


async def credit_balance(info: Info) -> CreditBalance:
    actor = viewer_of(info)
    return CreditBalance.from_domain(actor.user_id, await ledger.balances_of(actor.user_id))


async def expert(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The expert's user id.")]
) -> Expert | None:
    """Public. Null when there is no such expert."""
    try:
        expert_id = parse_id(id, "expert")
        info.context.answer_hints.read(expert_tag(expert_id))
        profile = await catalog.get_expert(expert_id)
    except NotFound:
        return None
    return Expert.from_models(profile.user, profile)


async def experts(
    info: Info,
    filter: Annotated[
        ExpertFilterInput | None, strawberry.argument(description="Only experts matching all of it.")
    ] = None,
    first: Annotated[int, FIRST] = 20,
    after: Annotated[str | None, AFTER] = None,
) -> Connection[Expert]:
    """Public list of experts in the recommended order (highest recommendationScore first)."""
    given = filter or ExpertFilterInput()
    info.context.answer_hints.read(DIRECTORY)
    with refusals_as_errors():
        page = await directory.list_experts(
            directory.ExpertFilter(given.skill, given.mode, given.min_price_credits, given.max_price_credits),
            first=first,
            after=after,
        )
    loaders = info.context.loaders

    def listed(ranked: directory.RankedExpert) -> Expert:
        loaders.measures.prime(ranked.profile.user_id, ranked.measures)
        return Expert.from_models(ranked.profile.user, ranked.profile)

    return Connection.from_page(page, listed)


async def create_user(info: Info, input: Annotated[CreateUserInput, INPUT]) -> User:
    actor = viewer_of(info)
    row = await users.create_user(
        info.context.runtime,
        actor,
        users.NewUser(
            name=input.name,
            email=input.email,
            time_zone=input.time_zone,
            is_admin=input.is_admin,
            expert_headline=input.expert.headline if input.expert else None,
            expert_skills=input.expert.skills if input.expert else None,
        ),
    )
    return User.from_model(row)


async def grant_credits(info: Info, input: Annotated[GrantCreditsInput, INPUT]) -> CreditGrant:
    actor = viewer_of(info)
    user_id = parse_id(input.user_id, "user")
    balances = await users.grant_credits(info.context.runtime, actor, user_id, input.amount, input.memo)
    return CreditGrant(user_id=input.user_id, balance=CreditBalance.from_domain(user_id, balances))


async def issue_token(info: Info, input: Annotated[IssueTokenInput, INPUT]) -> IssuedToken:
    actor = viewer_of(info)
    token = await users.issue_user_token(info.context.runtime, actor, parse_id(input.user_id, "user"))
    return IssuedToken(user_id=input.user_id, token=token)


async def update_service(info: Info, input: Annotated[UpdateServiceInput, INPUT]) -> Service:
    row = await catalog.update_service(
        info.context.runtime,
        viewer_of(info),
        parse_id(input.service_id, "service"),
        catalog.ServiceEdit(
            title=input.title,
            description=input.description,
            offerings=[Offering(o.duration_minutes, o.price_credits) for o in input.offerings]
            if input.offerings is not None
            else None,
            modes=input.modes,
            location=input.location,
            per_minute=input.per_minute.to_domain() if input.per_minute else None,
            fixed_price=input.fixed_price,
        ),
    )
    return Service.from_model(row)


async def retire_service(info: Info, input: Annotated[RetireServiceInput, INPUT]) -> Service:
    row = await catalog.retire_service(info.context.runtime, viewer_of(info), parse_id(input.service_id, "service"))
    return Service.from_model(row)


async def create_service(info: Info, input: Annotated[CreateServiceInput, INPUT]) -> Service:
    actor = viewer_of(info)
    row = await catalog.create_service(
        info.context.runtime,
        actor,
        catalog.NewService(
            title=input.title,
            description=input.description,
            offerings=[Offering(o.duration_minutes, o.price_credits) for o in input.offerings],
            modes=input.modes,
            location=input.location,
            expert_id=parse_id(input.expert_id, "expert") if input.expert_id else None,
            per_minute=input.per_minute.to_domain() if input.per_minute else None,
        ),
    )
    return Service.from_model(row)


async def request_sign_in_code(info: Info, input: Annotated[RequestSignInCodeInput, INPUT]) -> SignInCodeSent:
    sent = await sign_in.request_code(info.context.runtime, input.email)
    return SignInCodeSent(email=sent.email, expires_at=sent.expires_at)


async def _session(info: Info, session: sign_in.Session) -> Session:
    row = await info.context.loaders.user.load(session.user_id)
    assert row is not None, "a session's user exists: its refresh token row refers to it"
    return Session(
        access_token=session.access_token,
        access_token_expires_at=session.access_token_expires_at,
        refresh_token=session.refresh_token,
        refresh_token_expires_at=session.refresh_token_expires_at,
        viewer=User.from_model(row),
    )


async def sign_in_with_code(info: Info, input: Annotated[SignInInput, INPUT]) -> Session:
    return await _session(info, await sign_in.sign_in(info.context.runtime, input.email, input.code))


async def renew_session(info: Info, input: Annotated[RenewSessionInput, INPUT]) -> Session:
    return await _session(info, await sign_in.renew(info.context.runtime, input.refresh_token))


async def sign_out(info: Info, input: Annotated[SignOutInput, INPUT]) -> SignedOut:
    await sign_in.sign_out(info.context.runtime, input.refresh_token)
    return SignedOut(signed_out=True)


@strawberry.type
class AccountQueries:
    viewer = strawberry.field(
        resolver=viewer,
        description="You: the user the bearer token belongs to.",
    )
    credit_balance = strawberry.field(
        resolver=credit_balance,
        description="Your credits: available, blocked for meetings, and an expert's pending earnings.",
    )
    expert = strawberry.field(
        resolver=expert,
        description="One expert's public profile; null when there is no such expert.",
    )
    experts = strawberry.field(
        resolver=experts,
        description="The public list of experts, in the recommended order (highest recommendationScore first).",
    )


@strawberry.type
class AccountMutations:
    request_sign_in_code = strawberry.mutation(
        resolver=request_sign_in_code,
        graphql_type=RequestSignInCodeResult,
        description="Anyone: e-mail a one-time sign-in code to an account's address (at most 5 an hour).",
    )
    sign_in = strawberry.mutation(
        resolver=sign_in_with_code,
        graphql_type=SignInResult,
        description="Anyone: the e-mailed code for a session (an access token and a refresh token).",
    )
    renew_session = strawberry.mutation(
        resolver=renew_session,
        graphql_type=RenewSessionResult,
        description="A new access token and refresh token for a refresh token, which is used up; "
        "a used one presented again ends its session.",
    )
    sign_out = strawberry.mutation(
        resolver=sign_out,
        graphql_type=SignOutResult,
        description="End a session: its refresh token no longer renews it.",
    )
    create_user = strawberry.mutation(
        resolver=create_user,
        graphql_type=CreateUserResult,
        description="Admins: create an account, optionally as an expert.",
    )
    grant_credits = strawberry.mutation(
        resolver=grant_credits,
        graphql_type=GrantCreditsResult,
        description="Admins: add credits to a user's balance.",
    )
    issue_token = strawberry.mutation(
        resolver=issue_token,
        graphql_type=IssueTokenResult,
        description="Admins: a bearer token for a user.",
    )
    create_service = strawberry.mutation(
        resolver=create_service,
        graphql_type=CreateServiceResult,
        description="Expert: add a service (durations with prices, modes).",
    )
    update_service = strawberry.mutation(
        resolver=update_service,
        graphql_type=UpdateServiceResult,
        description="Expert: change a service (new bookings get the new terms; meetings keep theirs).",
    )
    retire_service = strawberry.mutation(
        resolver=retire_service,
        graphql_type=RetireServiceResult,
        description="Expert: retire a service; it takes no new bookings and its meetings stand.",
    )
