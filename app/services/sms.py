"""Text messages out: through a provider's REST API (Twilio's shape, which others copy), or
written to the log when none is configured (SMS_ACCOUNT, SMS_TOKEN, SMS_FROM)."""

import logging
from typing import Protocol

import httpx

from app.domain.schedule import TryAgain

log = logging.getLogger("app.sms")


class SmsRefused(TryAgain):
    """The provider did not take the message: the job tries again later."""


class SmsProvider(Protocol):
    logs_only: bool
    """True: nothing is sent (the message is logged)."""

    async def send(self, to: str, text: str) -> None: ...

    async def aclose(self) -> None: ...


class LoggedSms:
    logs_only = True

    async def send(self, to: str, text: str) -> None:
        log.info("text message to %s (SMS provider unset, not sent): %s", to, text)

    async def aclose(self) -> None:
        pass


class RestSms:
    """POST {api}/2010-04-01/Accounts/{account}/Messages.json, form fields To, From and Body,
    with the account and token as HTTP basic auth; 2xx is sent."""

    logs_only = False

    def __init__(self, api_url: str, account: str, token: str, sender: str, timeout_seconds: float = 10) -> None:
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
        self.sender = sender
        self._http = httpx.AsyncClient(
            auth=(account, token), timeout=timeout_seconds, follow_redirects=False, trust_env=False
        )

    async def send(self, to: str, text: str) -> None:
        try:
            response = await self._http.post(self.url, data={"To": to, "From": self.sender, "Body": text})
        except httpx.HTTPError as exc:
            raise SmsRefused(f"SMS provider unreachable: {type(exc).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise SmsRefused(f"SMS provider answered {response.status_code}: {response.text[:200]}")

    async def aclose(self) -> None:
        await self._http.aclose()
