"""`GET /ledger-report.csv?from=…&to=…`: the admins' ledger report (ledgerReport) as CSV, for a
spreadsheet; signed in with an admin's Authorization header. Every cell is the server's own
(kinds, numbers, account ids), never text a user wrote."""

import csv
import io
from collections.abc import Awaitable, Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from app.domain.errors import InvalidInput, NotAllowed
from app.http_errors import error_response
from app.services import users
from app.services.ledger_report import CSV_HEADER, ledger_report, report_rows
from app.services.runtime import Runtime
from app.services.tokens import InvalidToken, bearer_token

LEDGER_CSV = "/ledger-report.csv"


def ledger_csv_route(runtime: Runtime) -> Callable[[Request], Awaitable[Response]]:
    async def ledger_csv(request: Request) -> Response:
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is None:
                return error_response(401, "sign in as an admin: send 'Authorization: Bearer <token>'")
            actor, _claims = await users.signed_in(runtime, token)
        except InvalidToken as exc:
            return error_response(401, str(exc))
        try:
            start, end = (_instant(request, name) for name in ("from", "to"))
            report = await ledger_report(actor, start, end)
        except InvalidInput as refusal:
            return error_response(400, refusal.message)
        except NotAllowed as refusal:
            return error_response(403, refusal.message)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        writer.writerows(report_rows(report))
        name = f"ledger-{start.date()}-{end.date()}.csv"
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)

    return ledger_csv


def _instant(request: Request, name: str) -> datetime:
    text = request.query_params.get(name, "")[:64]
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO 8601 date-time with an offset") from None
