"""Browsers on other origins: a refusal that says which variable to set, on the preflight and on
the WebSocket, and one log line per refused origin naming it (Starlette answers a preflight
"Disallowed CORS origin" and Strawberry closes a socket 403, both without a word on the cure)."""

import logging

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from app.http_errors import error_response

log = logging.getLogger("app")

MAX_ORIGINS_LOGGED = 100
"""Refused origins logged once each, at most this many per process (a scanner cannot fill the log)."""
_logged: set[str] = set()


def refusal(origin: str, allowed: tuple[str, ...], what: str) -> str:
    """The sentence for a refused origin, logged once per origin."""
    now = ", ".join(allowed) if allowed else "none"
    message = f"{what} from browser origin {origin} refused: add it to ALLOWED_ORIGINS (allowed now: {now})"
    if origin not in _logged and len(_logged) < MAX_ORIGINS_LOGGED:
        _logged.add(origin)
        log.warning("%s", message)
    return message


class BrowserOrigins(CORSMiddleware):
    """Starlette's CORS, with a JSON refusal naming ALLOWED_ORIGINS when the origin is the cause."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        origin = request_headers["origin"]
        if response.status_code != 400 or self.is_allowed_origin(origin=origin):
            return response
        message = refusal(origin, tuple(self.allow_origins), "a request")
        cors = {name: value for name, value in response.headers.items() if name.startswith("access-control-")}
        return error_response(400, message, headers=cors)
