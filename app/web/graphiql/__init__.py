"""GraphiQL served whole by this server: the page and its pinned assets, no CDN.

The assets come from `web/node_modules` (exact versions in web/package-lock.json,
installed by `make run` and `make test`). Without them the page says how to
install them instead of staying blank.
"""

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from app.http_errors import error_response
from app.services import demo
from app.services.runtime import Runtime
from app.web.graphiql.examples import tabs_json

NODE_MODULES = Path(__file__).resolve().parents[3] / "web" / "node_modules"

ASSETS: dict[str, tuple[str, str]] = {
    "react.js": ("react/umd/react.production.min.js", "text/javascript"),
    "react-dom.js": ("react-dom/umd/react-dom.production.min.js", "text/javascript"),
    "graphql-ws.js": ("graphql-ws/umd/graphql-ws.min.js", "text/javascript"),
    "graphiql.js": ("graphiql/graphiql.min.js", "text/javascript"),
    "graphiql.css": ("graphiql/graphiql.min.css", "text/css"),
}

MISSING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GraphiQL</title></head>
<body><div id="missing" style="font-family: system-ui; padding: 2rem; max-width: 40rem">
<h1>GraphiQL's files are not installed</h1>
<p>This server serves GraphiQL from its own pinned copy. Install it once with
<code>npm ci --prefix web</code> (or <code>make run</code>), then reload.
The API itself works meanwhile: POST to this address.</p></div></body></html>"""


def assets_installed() -> bool:
    return all((NODE_MODULES / path).is_file() for path, _ in ASSETS.values())


async def page_html(runtime: Runtime) -> str:
    if not assets_installed():
        return MISSING
    page = (Path(__file__).with_name("page.html")).read_text()
    walk = await demo.walkthrough(runtime) if runtime.settings.graphiql_demo_sign_in else None
    # The tabs sit inside a <script> element: "</" must not end it early.
    tabs = json.dumps(tabs_json(walk)).replace("</", "<\\/")
    return page.replace("__EXAMPLE_TABS__", tabs)


async def asset(request: Request) -> Response:
    found = ASSETS.get(request.path_params["name"])
    if found is None or not (NODE_MODULES / found[0]).is_file():
        return error_response(404, "no such GraphiQL asset")
    path, media_type = found
    return FileResponse(NODE_MODULES / path, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})


async def page_response(runtime: Runtime) -> HTMLResponse:
    return HTMLResponse(await page_html(runtime), headers={"Cache-Control": "no-store"})
