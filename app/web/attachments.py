"""Attachments over HTTP: `POST /attachments` uploads one file (the raw bytes as the body,
its type as Content-Type, its name as `?filename=`; signed in with the Authorization header),
and `GET /attachments/<id>/<name>?expires=…&signature=…` serves it from a signed link
(Attachment.url). A file is served as a download that a browser neither runs nor sniffs."""

from collections.abc import Awaitable, Callable
from urllib.parse import quote
from uuid import UUID

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.domain.attachments import MAX_BYTES
from app.domain.errors import LimitExceeded, Refusal
from app.http_errors import error_response
from app.services import attachments, users
from app.services.runtime import Runtime
from app.services.tokens import InvalidToken, bearer_token

UPLOADS = "/attachments"
NOT_A_LINK = "no such file (the link is not valid, or has expired: ask for the message again)"


async def _body_within(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise LimitExceeded(f"a file is at most {limit // (1024 * 1024)} MB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise LimitExceeded(f"a file is at most {limit // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def upload_route(runtime: Runtime) -> Callable[[Request], Awaitable[Response]]:
    async def upload(request: Request) -> Response:
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is None:
                return error_response(401, "sign in to upload: send 'Authorization: Bearer <token>'")
            actor, _claims = await users.signed_in(runtime, token)
        except InvalidToken as exc:
            return error_response(401, str(exc))
        try:
            data = await _body_within(request, MAX_BYTES)
        except LimitExceeded as refusal:
            return error_response(413, refusal.message)
        try:
            row = await attachments.upload(
                runtime,
                actor,
                data,
                request.headers.get("content-type", ""),
                request.query_params.get("filename", "file"),
            )
        except LimitExceeded as refusal:
            return error_response(429, refusal.message)  # uploads an hour, or files waiting to be sent
        except Refusal as refusal:
            return error_response(400, refusal.message)
        body = {"id": str(row.id), "filename": row.filename, "contentType": row.content_type, "size": row.size}
        return JSONResponse(body, status_code=201)

    return upload


def download_route(runtime: Runtime) -> Callable[[Request], Awaitable[Response]]:
    async def download(request: Request) -> Response:
        try:
            attachment_id = UUID(request.path_params["id"])
            expires = int(request.query_params.get("expires", ""))
        except ValueError:
            return error_response(404, NOT_A_LINK)
        found = await attachments.open_download(
            runtime, attachment_id, expires, request.query_params.get("signature", "")[:100]
        )
        if found is None:
            return error_response(404, NOT_A_LINK)
        name = found.attachment.filename
        headers = {
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
        }
        return Response(found.data, media_type=found.attachment.content_type, headers=headers)

    return download
