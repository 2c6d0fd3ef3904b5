"""A live dashboard a person can use as it is: a static page with no build step, served by
this server like GraphiQL (its one script, graphql-ws, is GraphiQL's pinned copy), so it works
offline. It signs in by e-mail code (or a pasted token) and shows the viewer's meetings as they
change, a Join button that lights up when the room opens, its conversations (write from a
meeting's row; replies arrive live), notifications as they arrive and, for experts, instant
requests to take. It is also the smallest complete client of the API."""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse

PAGE = Path(__file__).with_name("page.html")


async def page(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE.read_text(), headers={"Cache-Control": "no-store"})
