"""create_app(): routes, middleware and lifespan, from plain lists."""

import asyncio
import gc
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from prometheus_client import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from tortoise.connection import get_connection
from tortoise.contrib.starlette import RegisterTortoise

from app import http_errors, request_ids
from app.api import build_schema
from app.clock import Clock
from app.db import apply_migrations, tortoise_config
from app.events.broker import Broker
from app.http_errors import error_response
from app.jobs.runner import JobRunner
from app.outages import OutageAnswers, outage_cause
from app.request_ids import RequestIds
from app.services import calendar_feed
from app.services.action_links import LINK_PATH
from app.services.payouts import plan_payout_cycle
from app.services.runtime import build_runtime
from app.services.unit_of_work import hear_invalidations, track_written_tables
from app.services.webhook_directory import keep_current
from app.settings import Settings
from app.web import dashboard, graphiql
from app.web.action_page import action_page
from app.web.attachments import UPLOADS, download_route, upload_route
from app.web.body_shape import GraphQLBodyShape
from app.web.endpoint import IDEMPOTENCY_KEY, SUBSCRIPTION_PROTOCOLS, GraphQLView
from app.web.ledger_csv import LEDGER_CSV, ledger_csv_route
from app.web.limits import BodySizeLimit
from app.web.origins import BrowserOrigins
from app.web.room_page import room_page

MAX_FEED_TOKEN_LENGTH = 64
log = logging.getLogger("app")


def _settle_garbage_collection(settings: Settings) -> None:
    """What start-up made (modules, the schema, the ORM's models) lives as long as the process:
    frozen out of the collector's way, so that a full collection no longer walks it while
    every request in flight waits; and young collections run less often."""
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(settings.gc_young_threshold, middle, old)


def create_app(settings: Settings | None = None, clock: Clock | None = None, broker: Broker | None = None) -> Starlette:
    settings = settings or Settings()
    runtime = build_runtime(settings, clock, broker)
    settings.resolved_jwt_secret  # noqa: B018 - fail at start-up, not on the first request
    graphql = GraphQLView(
        runtime,
        schema=build_schema(settings),
        graphql_ide="graphiql" if settings.graphiql else None,
        allowed_origins=settings.allowed_origins,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
        subscription_protocols=SUBSCRIPTION_PROTOCOLS,
    )

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        checks = {"database": False, "broker": False}
        try:
            await get_connection("default").execute_query("SELECT 1")
            checks["database"] = True
            runtime.outages.reached()
        except Exception as exc:
            runtime.outages.out_of_reach(outage_cause(exc) or f"{type(exc).__name__}: {exc}")
        checks["broker"] = await runtime.broker.ping()
        if runtime.mailer is not None:
            checks["smtp"] = await runtime.mailer.ping()
        ready = all(checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503)

    async def calendar(request: Request) -> Response:
        token = request.path_params["token"]
        feed = await calendar_feed.feed_for_token(token) if len(token) <= MAX_FEED_TOKEN_LENGTH else None
        if feed is None:
            return error_response(404, "no such calendar feed (rotated, or never made)")
        return Response(feed, media_type="text/calendar; charset=utf-8")

    async def metrics(request: Request) -> Response:
        """For a scraper with the METRICS_TOKEN (route present only when it is set)."""
        expected = f"Bearer {settings.metrics_token}"
        if not hmac.compare_digest(request.headers.get("authorization", "").encode(), expected.encode()):
            return error_response(401, "send METRICS_TOKEN as 'Authorization: Bearer <token>'")
        runtime.metrics.subscriptions.set(runtime.subscriptions.total)
        await runtime.metrics.read_database(runtime.clock.now())
        return Response(runtime.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        origins = ", ".join(settings.allowed_origins) or "none besides this server's own (set ALLOWED_ORIGINS)"
        log.info("browser origins allowed: %s", origins)
        pages = [f"GraphiQL {settings.resolved_public_url}/graphql"] if settings.graphiql else []
        pages += [f"dashboard {settings.resolved_public_url}/dashboard"] if settings.dashboard else []
        if pages:
            log.info("open %s", " · ".join(pages))
        await apply_migrations(settings)
        async with RegisterTortoise(app, config=tortoise_config(settings.resolved_database_url)):
            _settle_garbage_collection(settings)
            track_written_tables(runtime, strict=settings.testing)
            tasks = []
            if settings.run_jobs and settings.payout_cycle:
                await plan_payout_cycle(runtime)
            if settings.run_jobs:
                tasks.append(asyncio.create_task(JobRunner(runtime).run_forever()))
            if settings.redis_url:
                tasks.append(asyncio.create_task(hear_invalidations(runtime)))
            await runtime.webhooks.reload()
            tasks.append(
                asyncio.create_task(keep_current(runtime.webhooks, runtime.broker, settings.webhook_refresh_seconds))
            )
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                    with suppress(asyncio.CancelledError):
                        await task
                await runtime.broker.close()
                await runtime.webhook_caller.aclose()
                await runtime.sms.aclose()
                await runtime.presence.close()
                await runtime.readers.close()

    return Starlette(
        routes=[
            Route("/graphql", graphql),  # the view answers other methods with a JSON 405
            WebSocketRoute("/graphql", graphql),
            Route("/graphiql/assets/{name}", graphiql.asset),
            *([Route("/dashboard", dashboard.page)] if settings.dashboard else []),
            *([Route("/metrics", metrics)] if settings.metrics_token else []),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/calendar/{token}.ics", calendar),
            Route(LEDGER_CSV, ledger_csv_route(runtime)),
            Route(f"{LINK_PATH}{{token}}", action_page(runtime), methods=["GET", "POST"]),
            Route("/rooms/{token}", room_page(runtime)),
            Route(UPLOADS, upload_route(runtime), methods=["POST"]),
            Route("/attachments/{id}/{name}", download_route(runtime), methods=["GET"]),
        ],
        middleware=[
            Middleware(RequestIds),
            Middleware(
                BrowserOrigins,
                allow_origins=settings.allowed_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", IDEMPOTENCY_KEY],
                expose_headers=[request_ids.HEADER, "Idempotent-Replayed", "Retry-After"],
                max_age=600,
            ),
            Middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes, own_limit=(UPLOADS,)),
            Middleware(GraphQLBodyShape),
            Middleware(OutageAnswers, outages=runtime.outages),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_errors.http_exception},
    )
