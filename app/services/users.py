"""Accounts, expert profiles, credits granted by admins, and tokens."""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID, uuid4

from tortoise.exceptions import IntegrityError

from app.domain.access import require_admin
from app.domain.accounts import check_account, validate_memo
from app.domain.errors import InvalidInput, NotAllowed, NotFound, refuses
from app.domain.ledger import Balances, LedgerKind, validate_grant
from app.domain.people import Actor
from app.models import ExpertProfile, ExpertSkill, LedgerEntry, User
from app.services.ledger import balances_of
from app.services.runtime import Runtime
from app.services.tokens import GET_ONE, TokenClaims, UnknownUser, issue_token, read_token
from app.services.unit_of_work import unit_of_work

ADMIN_EMAIL = "admin@platform.localhost"


@dataclass(frozen=True)
class NewUser:
    name: str
    email: str
    time_zone: str
    is_admin: bool = False
    expert_headline: str | None = None
    expert_skills: Sequence[str] | None = None
    """Given (even empty) to make the user an expert."""


@refuses(InvalidInput, NotAllowed)
async def create_user(runtime: Runtime, actor: Actor, new: NewUser) -> User:
    require_admin(actor)
    return await _create_user(runtime, new)


async def _create_user(runtime: Runtime, new: NewUser) -> User:
    account = check_account(new.name, new.email, new.time_zone, new.expert_headline, new.expert_skills)
    now = runtime.clock.now()
    async with unit_of_work(runtime) as uow:
        if await User.filter(email=account.email).exists():
            raise InvalidInput("a user with this email exists")
        try:
            user = await User.create(
                id=uuid4(),
                name=account.name,
                email=account.email,
                time_zone=account.time_zone,
                is_admin=new.is_admin,
                created_at=now,
            )
        except IntegrityError as exc:
            raise InvalidInput("a user with this email exists") from exc
        if account.is_expert:
            uow.changed_expert(user.id)
            await ExpertProfile.create(user=user, headline=account.headline, skills=account.skills, created_at=now)
            await ExpertSkill.bulk_create(
                [ExpertSkill(expert_id=user.id, skill=skill) for skill in sorted(set(account.skills))]
            )
    return user


@refuses(InvalidInput, NotAllowed, NotFound)
async def grant_credits(runtime: Runtime, actor: Actor, user_id: UUID, amount: int, memo: str) -> Balances:
    require_admin(actor)
    validate_grant(amount)
    memo = validate_memo(memo)
    async with unit_of_work(runtime):
        if not await User.filter(id=user_id).exists():
            raise NotFound("no such user")
        await LedgerEntry.create(
            user_id=user_id,
            kind=LedgerKind.GRANT,
            amount=amount,
            memo=memo,
            created_at=runtime.clock.now(),
        )
        return await balances_of(user_id)


async def actor_for(user_id: UUID) -> Actor | None:
    row = await User.filter(id=user_id).only("id", "is_admin").first()
    return Actor(user_id=row.id, is_admin=row.is_admin) if row else None


async def signed_in(runtime: Runtime, token: str) -> tuple[Actor, TokenClaims]:
    """Who a bearer token signs in, on the service clock; InvalidToken says why not."""
    claims = read_token(runtime.settings.resolved_jwt_secret, token, runtime.clock.now())
    actor = runtime.recent_sign_ins.get(claims.user_id)
    if actor is None:
        actor = await actor_for(claims.user_id)
        if actor is None:
            raise UnknownUser(f"the token's user no longer exists; {GET_ONE}")
        runtime.recent_sign_ins.put(actor)
    return actor, claims


def token_for(runtime: Runtime, user_id: UUID) -> str:
    settings = runtime.settings
    return issue_token(settings.resolved_jwt_secret, user_id, runtime.clock.now(), settings.jwt_ttl_seconds)


@refuses(NotAllowed, NotFound)
async def issue_user_token(runtime: Runtime, actor: Actor, user_id: UUID) -> str:
    require_admin(actor)
    if not await User.filter(id=user_id).exists():
        raise NotFound("no such user")
    return token_for(runtime, user_id)


async def token_for_email(runtime: Runtime, email: str) -> str:
    user = await User.filter(email=email.strip().lower()).first()
    if user is None:
        raise NotFound(f"no user with email {email!r}")
    return token_for(runtime, user.id)


async def ensure_admin(runtime: Runtime) -> User:
    """The built-in admin account, created on first use."""
    existing = await User.filter(email=ADMIN_EMAIL).first()
    if existing is not None:
        return existing
    return await _create_user(runtime, NewUser(name="Admin", email=ADMIN_EMAIL, time_zone="UTC", is_admin=True))
