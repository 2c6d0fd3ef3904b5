"""The default room provider's page: whose room it is and when it opens, for its two
sides only. (A real video provider replaces the page; the links stay per participant.)"""

from collections.abc import Awaitable, Callable
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from app.domain.errors import NotAllowed, NotFound
from app.domain.notifications import format_when
from app.http_errors import error_response
from app.services.room_entry import RoomView, enter_room
from app.services.runtime import Runtime

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>{title}</h1>
<p>{client} with {expert}. You are {viewer}.</p>
<p id="state">{state}</p>
<p>Opens {opens}; closes {closes}.</p>
</body></html>
"""


def _render(room: RoomView) -> str:
    zone = room.viewer_time_zone
    state = "The room is open." if room.open_now else "The room is not open now."
    return PAGE.format(
        title=escape(f"Room: {room.service_title}"),
        client=escape(room.client_name),
        expert=escape(room.expert_name),
        viewer=escape(room.viewer_name),
        state=state,
        opens=escape(format_when(room.opens_at, zone)),
        closes=escape(format_when(room.closes_at, zone)),
    )


def room_page(runtime: Runtime) -> Callable[[Request], Awaitable[Response]]:
    async def page(request: Request) -> Response:
        try:
            room = await enter_room(runtime, request.path_params["token"], request.query_params.get("as", ""))
        except NotFound as refusal:
            return error_response(404, refusal.message)
        except NotAllowed as refusal:
            return error_response(403, refusal.message)
        return HTMLResponse(_render(room), headers={"Cache-Control": "no-store"})

    return page
