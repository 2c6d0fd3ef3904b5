"""The page a self-service link in an e-mail opens (`/act/<token>`): GET shows the meeting and
a button for the link's one action; POST (the button) performs it. No sign-in: the link is
the recipient's credential (services/action_links.py)."""

from collections.abc import Awaitable, Callable
from enum import StrEnum
from html import escape
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from app.domain.action_links import LinkAction
from app.domain.errors import NotFound, Refusal, TooLate
from app.domain.meetings import CancelReason, DeclineReason
from app.services.action_links import act, page
from app.services.runtime import Runtime

MAX_FORM_BYTES = 1024
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>{title}</h1>
{body}
</body></html>
"""
VERBS = {
    LinkAction.CONFIRM: "Confirm",
    LinkAction.DECLINE: "Decline",
    LinkAction.CANCEL: "Cancel the meeting",
    LinkAction.PICK_TIME: "Pick this time",
}
DONE = {
    LinkAction.CONFIRM: "Confirmed: the meeting is agreed.",
    LinkAction.DECLINE: "Declined.",
    LinkAction.CANCEL: "Cancelled.",
    LinkAction.PICK_TIME: "Agreed: the meeting is at the time you picked.",
}
REASONS: dict[LinkAction, type[StrEnum]] = {LinkAction.DECLINE: DeclineReason, LinkAction.CANCEL: CancelReason}
"""Actions whose page asks why, from the API's own list."""


def _html(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(PAGE.format(title=escape(title), body=body), status_code=status_code, headers=headers)


def _refused(refusal: Refusal) -> HTMLResponse:
    status_code = 404 if isinstance(refusal, NotFound) else 410 if isinstance(refusal, TooLate) else 409
    return _html("This link cannot be used", f'<p id="problem">{escape(refusal.message)}</p>', status_code)


def action_page(runtime: Runtime) -> Callable[[Request], Awaitable[Response]]:
    async def answer(request: Request) -> Response:
        token = request.path_params["token"]
        try:
            if request.method == "POST":
                posted = parse_qs((await request.body())[:MAX_FORM_BYTES].decode("utf-8", "replace"))
                claims_page = await page(runtime, token)
                await act(runtime, token, posted.get("reason", [""])[0])
                return _html(claims_page.service_title, f'<p id="done">{escape(DONE[claims_page.action])}</p>')
            shown = await page(runtime, token)
        except Refusal as refusal:
            return _refused(refusal)
        details = (
            f"<p>{escape(shown.service_title)} with {escape(shown.with_name)}, {escape(shown.when)}; "
            f"{shown.price_credits} credits.</p>"
        )
        if shown.problem is not None:
            return _html(shown.service_title, details + f'<p id="problem">{escape(shown.problem)}</p>', 410)
        if shown.consequence is not None:
            details += f'<p id="consequence">{escape(shown.consequence)}</p>'
        reasons = ""
        if (listed := REASONS.get(shown.action)) is not None:
            options = "".join(f'<option value="{r.value}">{r.value.replace("_", " ").lower()}</option>' for r in listed)
            reasons = f'<label>Why: <select name="reason">{options}</select></label> '
        form = f'<form method="post">{reasons}<button type="submit">{VERBS[shown.action]}</button></form>'
        return _html(shown.service_title, details + form)

    return answer
