"""The command line of API.md: serve, token, admin-token, seed-demo, run-payouts, export-schema."""

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import IO, Annotated, TypeVar

import typer
import uvicorn
from pydantic import ValidationError
from tortoise import Tortoise

from app.db import apply_migrations, tortoise_config
from app.domain.errors import NotFound
from app.logs import log_config
from app.services import demo, payouts, users
from app.services.runtime import Runtime, build_runtime
from app.settings import Settings

POSSIBLE_TYPES_FILE = "possible-types.json"
cli = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_show_locals=False)
T = TypeVar("T")


@asynccontextmanager
async def _orm(settings: Settings) -> AsyncIterator[Runtime]:
    await apply_migrations(settings)
    await Tortoise.init(config=tortoise_config(settings.resolved_database_url))
    try:
        yield build_runtime(settings)
    finally:
        await Tortoise.close_connections()


def _settings_or_exit() -> Settings:
    """The settings, or a clear message and exit status 2 for values this build cannot honour."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]).upper() or "settings"
            typer.echo(f"{where}: {error['msg'].removeprefix('Value error, ')}", err=True)
        raise typer.Exit(2) from None


_held_locks: list[IO[str]] = []


def _sole_server_of_sqlite(settings: Settings) -> None:
    """SQLite is for one serving process: a second one on the same file would meet "database
    is locked" now and then, and hand it to a caller. It stops at start-up instead, saying
    what to use (the lock goes with the process; one-off commands do not take it)."""
    url = settings.resolved_database_url
    path = url.removeprefix("sqlite://").split("?")[0]
    if not url.startswith("sqlite://") or path == ":memory:":
        return
    lock = open(f"{path}.serving", "a")  # noqa: SIM115 - held open for the life of the process
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        typer.echo(
            "DATABASE_URL: another server process already serves this SQLite file, and SQLite is "
            "for one; for several processes set DATABASE_URL=postgres://… and REDIS_URL=redis://…",
            err=True,
        )
        raise typer.Exit(2) from None
    _held_locks.append(lock)


def _run(job: Callable[[Runtime], Awaitable[T]]) -> T:
    async def main() -> T:
        async with _orm(_settings_or_exit()) as runtime:
            return await job(runtime)

    return asyncio.run(main())


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: $HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default: $PORT or 8000")] = None,
) -> None:
    """Run the API (migrations are applied at start-up)."""
    # The app reads its settings from the environment: what is served is what links name.
    if host is not None:
        os.environ["HOST"] = host
    if port is not None:
        os.environ["PORT"] = str(port)
    settings = _settings_or_exit()
    _sole_server_of_sqlite(settings)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        lifespan="on",
        ws_max_size=settings.max_body_bytes,  # a frame is refused (1009) before anything reads it
        log_config=log_config(settings.log_format),
    )


@cli.command("admin-token")
def admin_token() -> None:
    """Print a bearer token for the built-in admin (created if missing)."""

    async def job(runtime: Runtime) -> str:
        admin = await users.ensure_admin(runtime)
        return users.token_for(runtime, admin.id)

    typer.echo(_run(job))


@cli.command()
def token(email: str) -> None:
    """Print a bearer token for an existing user."""

    async def job(runtime: Runtime) -> str:
        return await users.token_for_email(runtime, email)

    try:
        typer.echo(_run(job))
    except NotFound as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from None


@cli.command("seed-demo")
def seed_demo() -> None:
    """Fill an empty database with demo experts, clients and meetings."""

    async def job(runtime: Runtime) -> list[str] | None:
        if not await demo.database_is_empty():
            return None
        return await demo.seed_demo(runtime)

    emails = _run(job)
    if emails is None:
        typer.echo("The database already holds data; demo data not loaded.")
        return
    typer.echo("Demo data loaded. Tokens: `python -m app token EMAIL` for one of:")
    for email in emails:
        typer.echo(f"  {email}")


@cli.command("run-payouts")
def run_payouts() -> None:
    """Pay out now every expert whose payable earnings reach PAYOUT_MINIMUM_CREDITS (as the weekly
    cycle does); prints one line per payout made."""

    async def job(runtime: Runtime) -> list[str]:
        made = await payouts.pay_out_all(runtime, runtime.clock.now())
        return [f"{payout.id} {payout.expert_id} {payout.amount}" for payout in made]

    for line in _run(job):
        typer.echo(line)


@cli.command("export-schema")
def export_schema(
    path: Annotated[Path, typer.Option(help="Where to write the SDL")] = Path("schema.graphql"),
    possible_types: Annotated[
        bool, typer.Option("--possible-types", help="Print only the possibleTypes map (JSON) for Apollo Client")
    ] = False,
) -> None:
    """Write the GraphQL schema (SDL) to schema.graphql and its possibleTypes map beside it."""
    from app.api import possible_types_json, schema_sdl

    if possible_types:
        typer.echo(possible_types_json(), nl=False)
        return
    path.write_text(schema_sdl())
    types_path = path.with_name(POSSIBLE_TYPES_FILE)
    types_path.write_text(possible_types_json())
    typer.echo(f"Wrote {path} and {types_path}")


def main() -> None:
    cli()
