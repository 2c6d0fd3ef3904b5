"""Configuration from the environment, with embedded defaults; bad values fail at start-up."""

import json
import secrets
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.domain.errors import InvalidInput
from app.domain.phone_numbers import to_e164
from app.domain.webhooks import parse_networks
from app.logs import LogFormat


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    data_dir: Path = Path("data")
    database_url: str = ""
    """Empty: a SQLite file under data_dir. `postgres://…` for PostgreSQL."""
    redis_url: str | None = None
    jwt_secret: str = ""
    """Empty: generated once and kept under data_dir."""
    jwt_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=60)
    """Tokens the CLI and admins issue (`token`, `admin-token`, issueToken)."""
    access_token_ttl_seconds: int = Field(default=15 * 60, ge=60, le=24 * 3600)
    """Access tokens from signIn and renewSession: short, since only their expiry ends them."""
    refresh_token_ttl_seconds: int = Field(default=30 * 24 * 3600, ge=3600)
    smtp_url: str | None = None
    """`smtp://[user:password@]host[:port]` or `smtps://…`; unset: mail is written to the log."""
    mail_from: str = "Consult booking <bookings@localhost>"
    public_url: str = ""
    """Where clients reach this server (for feed links). Empty: http://HOST:PORT."""
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    graphiql: bool = True
    dashboard: bool = True
    """Serve the live dashboard page at /dashboard (app/web/dashboard)."""
    graphiql_demo_sign_in: bool = False
    """GraphiQL's example tabs carry tokens of the demo people (`make run` sets it): anyone who
    opens the page acts as them. Refused in production."""
    attachments_bucket: str | None = None
    """Unset: attachment files under DATA_DIR/attachments. Set: that S3-compatible bucket
    (S3_ENDPOINT_URL, S3_REGION; credentials as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)."""
    s3_endpoint_url: str | None = None
    """Unset: AWS itself. E.g. http://minio:9000 for another S3-compatible store."""
    s3_region: str = "us-east-1"
    allowed_origins: Annotated[tuple[str, ...], NoDecode] = ()
    """Origins whose browsers may call the API (CORS) and open the GraphQL WebSocket: a JSON
    list, or origins separated by commas (`http://localhost:5173,https://app.example`)."""
    log_format: LogFormat = "text"
    """`json`: one JSON object per log line, for log collectors."""
    max_query_depth: int = Field(default=12, ge=2)
    max_query_tokens: int = Field(default=2000, ge=100)
    max_query_aliases: int = Field(default=30, ge=1)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    max_subscriptions_per_connection: int = Field(default=50, ge=1)
    max_subscriptions_per_user: int = Field(default=100, ge=1)
    """Across all of a user's sockets to this process."""
    token_check_seconds: float = Field(default=30, gt=0, le=3600)
    """How often an idle subscription looks whether its token has expired."""
    subscriber_queue_size: int = Field(default=256, ge=1)
    """Events a subscriber may fall behind before it is dropped (SLOW_CONSUMER)."""
    environment: str = "development"
    testing: bool = False
    test_clock_file: Path | None = None
    """Test-only clock (see clock.FileClock); needs TESTING=true, refused in production."""
    run_jobs: bool = True
    """Poll the job table in this process (every process may; each job runs once)."""
    job_poll_interval_seconds: float = Field(default=0.2, gt=0, le=60)
    job_batch_size: int = Field(default=100, ge=1, le=1000)
    job_stale_after_seconds: int = Field(default=60, ge=5)
    job_calls_at_once: int = Field(default=8, ge=1, le=100)
    """Jobs that call out (e-mail, webhooks, text messages) running at once in each process,
    beside the poller."""
    instant_request_minutes: int = Field(default=15, ge=1, le=24 * 60)
    platform_fee_percent: int = Field(default=15, ge=0, le=100)
    """The platform's share of every charge (an admin may set another per expert)."""
    settlement_delay_hours: int = Field(default=72, ge=0, le=90 * 24)
    """From a charge until the expert's earnings from it are payable."""
    payout_minimum_credits: int = Field(default=100, ge=1)
    """The least a payout pays: the weekly cycle leaves smaller payable earnings for next week."""
    payout_cycle: bool = True
    """Pay out weekly (Mondays 00:00 UTC); false: only `run-payouts` and early requests pay out."""
    """How long an instant request waits for a taker before it expires."""
    reminder_client_minutes: int = Field(default=24 * 60, ge=1)
    reminder_room_link_minutes: int = Field(default=60, ge=1)
    room_provider: Literal["local", "jitsi"] = "local"
    """`local`: rooms are a page of this server; `jitsi`: rooms on JITSI_URL (services/rooms.py)."""
    jitsi_url: str = "https://meet.jit.si"
    jitsi_app_id: str | None = None
    jitsi_app_secret: str | None = None
    """Both set: every room link carries a Jitsi JWT for its participant (token authentication)."""
    jitsi_token_hours: int = Field(default=24, ge=1, le=24 * 30)
    sms_account: str | None = None
    sms_token: str | None = None
    sms_from: str | None = None
    """All three set: text messages go through the provider at SMS_API_URL (services/sms.py);
    none: they are written to the log."""
    sms_api_url: str = "https://api.twilio.com"
    """The provider's REST API (Twilio's shape: /2010-04-01/Accounts/{account}/Messages.json)."""
    webhook_allowed_networks: str = ""
    """Networks webhooks may call though not public, separated by commas (`10.0.0.0/8`);
    empty: public addresses only (domain/webhooks.py)."""
    webhook_timeout_seconds: float = Field(default=10, gt=0, le=60)
    """A delivery's whole exchange (connect, send, answer) within this, or it failed."""
    webhooks_per_owner: int = Field(default=10, ge=1, le=1000)
    """Active endpoints one admin or expert may have."""
    webhook_refresh_seconds: float = Field(default=30, gt=0, le=3600)
    """Each process reloads the active endpoints at least this often (besides when told of a
    change through the broker)."""
    reminder_first_minutes: int = Field(default=30, ge=1)
    reminder_second_minutes: int = Field(default=10, ge=1)
    gc_young_threshold: int = Field(default=50_000, ge=700, le=1_000_000)
    """Allocations between young-generation collections (Python's default: 700). With the
    objects of start-up frozen (gc.freeze), collections are rarer and shorter; 700 restores
    Python's behaviour."""
    token_user_cache_seconds: float = Field(default=5, ge=0, le=300)
    """How long a process remembers who a token's user is (their admin right, that they exist),
    so a signed-in request reads no user row; removing a user or an admin right takes effect
    within it. 0: read every time."""
    response_cache: bool = True
    """Public answers the same for every viewer (the experts list, an expert, their free slots)
    are kept until what they read changes (services/response_cache.py); false turns it off."""
    response_cache_entries: int = Field(default=2_000, ge=1, le=1_000_000)
    response_cache_max_age_seconds: float = Field(default=30, gt=0, le=3600)
    """At most this old, whatever else: bounds what another process's writes leave behind when
    no broker (Redis) carries its invalidations, such as a command run beside the server."""
    metrics_token: str | None = None
    """Set: GET /metrics answers a scraper sending `Authorization: Bearer <this>` (app/metrics.py);
    it also turns on counting SQL statements. Unset: no /metrics."""
    expose_query_count: bool = False
    """Adds the number of SQL statements to each response's `extensions` (tests, bench)."""

    @model_validator(mode="after")
    def _test_clock_only_in_tests(self) -> "Settings":
        if self.test_clock_file is not None:
            if self.environment == "production":
                raise ValueError("TEST_CLOCK_FILE is refused in production")
            if not self.testing:
                raise ValueError("TEST_CLOCK_FILE needs TESTING=true")
        return self

    @model_validator(mode="after")
    def _jitsi_server(self) -> "Settings":
        if urlsplit(self.jitsi_url).scheme not in ("http", "https") or not urlsplit(self.jitsi_url).hostname:
            raise ValueError("JITSI_URL must be an http(s) address, e.g. https://meet.example.org")
        if bool(self.jitsi_app_id) != bool(self.jitsi_app_secret):
            raise ValueError("JITSI_APP_ID and JITSI_APP_SECRET go together (Jitsi token authentication)")
        if self.jitsi_app_secret is not None and len(self.jitsi_app_secret) < 32:
            raise ValueError("JITSI_APP_SECRET must be at least 32 characters")
        return self

    @model_validator(mode="after")
    def _sms_provider(self) -> "Settings":
        given = [self.sms_account, self.sms_token, self.sms_from]
        if any(given) and not all(given):
            raise ValueError("SMS_ACCOUNT, SMS_TOKEN and SMS_FROM go together (or none: text messages are logged)")
        if self.sms_from:
            try:
                to_e164(self.sms_from)
            except InvalidInput as exc:
                raise ValueError(f"SMS_FROM: {exc.message}") from None
        if urlsplit(self.sms_api_url).scheme not in ("http", "https"):
            raise ValueError("SMS_API_URL must be an http(s) address")
        return self

    @model_validator(mode="after")
    def _demo_sign_in_not_in_production(self) -> "Settings":
        if self.graphiql_demo_sign_in and self.environment == "production":
            raise ValueError("GRAPHIQL_DEMO_SIGN_IN is refused in production")
        return self

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        """A JSON list, or plain origins separated by commas; each a scheme and a host."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"not a JSON list ({exc.msg}); or give origins separated by commas") from None
            return tuple(parsed) if isinstance(parsed, list) else parsed
        origins = tuple(origin.strip().rstrip("/") for origin in text.split(",") if origin.strip())
        for origin in origins:
            if "://" not in origin:
                raise ValueError(f"{origin!r} is not an origin (e.g. http://localhost:5173)")
        return origins

    @field_validator("webhook_allowed_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        try:
            parse_networks(value)
        except ValueError as exc:
            raise ValueError(f"WEBHOOK_ALLOWED_NETWORKS: {exc}") from None
        return value

    @cached_property
    def webhook_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        return parse_networks(self.webhook_allowed_networks)

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token_long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 16:
            raise ValueError("METRICS_TOKEN must be at least 16 characters")
        return value or None

    @field_validator("jwt_secret")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("JWT_SECRET must be at least 32 characters")
        return value

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if value.startswith("postgresql://"):
            return "postgres://" + value.removeprefix("postgresql://")  # Tortoise's name for asyncpg
        if value and not value.startswith(("sqlite://", "postgres://")):
            raise ValueError("DATABASE_URL must start with sqlite:// or postgres://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://")):
            raise ValueError("REDIS_URL must start with redis:// or rediss://")
        return value or None

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("smtp://", "smtps://")):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        return value or None

    @property
    def resolved_public_url(self) -> str:
        """PUBLIC_URL, else the address served (`serve --host/--port` included); a wildcard
        host means this machine to a browser on it. Behind a proxy, set PUBLIC_URL."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::", "") else self.host
        return (self.public_url or f"http://{host}:{self.port}").rstrip("/")

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite://{self.data_dir / 'booking.sqlite3'}"

    @cached_property
    def resolved_jwt_secret(self) -> str:
        if self.jwt_secret:
            return self.jwt_secret
        path = self.data_dir / "jwt_secret"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()
