"""The yardstick: raw Starlette answering POST /graphql with fixed bytes: BENCH_BODY_FILE for
every request, or with BENCH_BODY_MAP (a JSON file: request body's SHA-256 → answer) the bytes
recorded for that very request, BENCH_BODY_FILE for any other."""

import hashlib
import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = Path(os.environ["BENCH_BODY_FILE"]).read_bytes()
BODIES: dict[str, bytes] = {
    digest: answer.encode()
    for digest, answer in json.loads(Path(os.environ.get("BENCH_BODY_MAP") or os.devnull).read_text() or "{}").items()
}


async def answer(request: Request) -> Response:
    sent = await request.body()
    body = BODIES.get(hashlib.sha256(sent).hexdigest(), BODY) if BODIES else BODY
    return Response(body, media_type="application/json")


app = Starlette(routes=[Route("/graphql", answer, methods=["POST"]), Route("/healthz", answer)])
