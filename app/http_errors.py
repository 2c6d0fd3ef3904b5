"""Every error this server answers over HTTP is JSON with a code, GraphQL-shaped:
`{"errors": [{"message": ..., "extensions": {"code": ...}}]}`, whichever layer refuses."""

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Send

from app.web.media import JSON

CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "NOT_ALLOWED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "IDEMPOTENCY_KEY_IN_USE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "IDEMPOTENCY_KEY_REUSED",
    429: "LIMIT_EXCEEDED",
    503: "SERVICE_UNAVAILABLE",
}


def error_response(
    status_code: int, message: str, media_type: str = JSON, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": CODES.get(status_code, "BAD_REQUEST")}}]}
    return JSONResponse(body, status_code=status_code, media_type=media_type, headers=headers)


async def send_error(send: Send, status_code: int, message: str, media_type: str = JSON) -> None:
    """For middleware that answers before any app runs (no scope to hand a Response)."""
    response = error_response(status_code, message, media_type)
    await send({"type": "http.response.start", "status": status_code, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (an unknown path, a method a route does not take)."""
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, exc.detail, headers=dict(exc.headers or {}))
