"""The yardstick: raw Starlette answering POST /graphql with fixed bytes (BENCH_BODY_FILE)."""

import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()


async def answer(request: Request) -> Response:
    await request.body()
    return Response(BODY, media_type="application/json")


app = Starlette(routes=[Route("/graphql", answer, methods=["POST"]), Route("/healthz", answer)])
