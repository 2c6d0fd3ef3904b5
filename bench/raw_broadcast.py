"""The fan-out yardstick: raw Starlette WebSockets; POST /publish sends its body to every socket."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

sockets: set[WebSocket] = set()


async def listen(socket: WebSocket) -> None:
    await socket.accept()
    sockets.add(socket)
    try:
        while True:
            await socket.receive_text()
    except WebSocketDisconnect:
        sockets.discard(socket)


async def publish(request: Request) -> Response:
    frame = (await request.body()).decode()
    for socket in list(sockets):
        await socket.send_text(frame)
    return Response(status_code=204)


async def healthz(request: Request) -> Response:
    return Response("ok")


app = Starlette(
    routes=[WebSocketRoute("/ws", listen), Route("/publish", publish, methods=["POST"]), Route("/healthz", healthz)]
)
