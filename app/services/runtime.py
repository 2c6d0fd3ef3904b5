from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from app.clock import Clock, clock_from
from app.domain.schedule import ReminderOffsets
from app.events.broker import Broker, InProcessBroker
from app.events.gate import SubscriptionGate
from app.events.presence import Presence, RedisPresence
from app.events.redis_broker import RedisBroker
from app.metrics import Metrics
from app.outages import Outages
from app.services.files import FileStore, LocalFiles, S3Files
from app.services.mailer import Mailer, SmtpMailer
from app.services.meeting_snapshots import MeetingSnapshots
from app.services.payout_provider import AdminPays, PayoutProvider
from app.services.recent_sign_ins import RecentSignIns
from app.services.response_cache import ResponseCache
from app.services.rooms import JitsiRooms, RoomProvider, UnguessableRooms
from app.services.sms import LoggedSms, RestSms, SmsProvider
from app.services.webhook_caller import WebhookCaller
from app.services.webhook_directory import WebhookDirectory
from app.settings import Settings


@dataclass(frozen=True)
class Runtime:
    """What every use case may need from the outside world."""

    settings: Settings
    clock: Clock
    broker: Broker
    rooms: RoomProvider
    mailer: Mailer | None = None
    """None: SMTP_URL is unset, and mail is written to the log."""
    subscriptions: SubscriptionGate = field(default_factory=lambda: SubscriptionGate(100))
    snapshots: MeetingSnapshots = field(default_factory=MeetingSnapshots)
    presence: Presence = field(default_factory=lambda: Presence(EXPERTS_ONLINE))
    """Experts online for instant requests."""
    readers: Presence = field(default_factory=lambda: Presence(READERS))
    """People subscribed to their messages: a message to them needs no notification."""
    outages: Outages = field(default_factory=Outages)
    files: FileStore = field(default_factory=lambda: LocalFiles(Path("data") / "attachments"))
    """Attachment bytes (services/files.py)."""
    metrics: Metrics = field(default_factory=Metrics)
    """Counted whether or not /metrics is served (the counting is cheap)."""
    response_cache: ResponseCache = field(default_factory=lambda: ResponseCache(2_000, timedelta(seconds=30)))
    payout_provider: PayoutProvider = field(default_factory=AdminPays)
    """Who pays payouts out (services/payout_provider.py); by default an admin, by hand."""
    recent_sign_ins: RecentSignIns = field(default_factory=lambda: RecentSignIns(0))
    sms: SmsProvider = field(default_factory=LoggedSms)
    """Text messages out (services/sms.py); by default written to the log."""
    webhooks: WebhookDirectory = field(default_factory=WebhookDirectory)
    """The active webhook endpoints, in memory (services/webhook_directory.py)."""
    webhook_caller: WebhookCaller = field(default_factory=lambda: WebhookCaller((), 10))

    @property
    def reminder_offsets(self) -> ReminderOffsets:
        s = self.settings
        return ReminderOffsets(
            client_day_before=timedelta(minutes=s.reminder_client_minutes),
            expert_room_link=timedelta(minutes=s.reminder_room_link_minutes),
            both_first=timedelta(minutes=s.reminder_first_minutes),
            both_second=timedelta(minutes=s.reminder_second_minutes),
        )


def file_store(settings: Settings) -> FileStore:
    if settings.attachments_bucket:
        return S3Files(settings.attachments_bucket, settings.s3_endpoint_url or None, settings.s3_region)
    return LocalFiles(settings.data_dir / "attachments")


EXPERTS_ONLINE = "expert"
READERS = "reader"


def room_provider(settings: Settings, clock: Clock) -> RoomProvider:
    if settings.room_provider == "jitsi":
        return JitsiRooms(
            settings.resolved_public_url,
            settings.resolved_jwt_secret,
            settings.jitsi_url,
            clock.now,
            app_id=settings.jitsi_app_id,
            app_secret=settings.jitsi_app_secret,
            token_lifetime=timedelta(hours=settings.jitsi_token_hours),
        )
    return UnguessableRooms(settings.resolved_public_url, settings.resolved_jwt_secret)


def sms_provider(settings: Settings) -> SmsProvider:
    if settings.sms_account and settings.sms_token and settings.sms_from:
        return RestSms(settings.sms_api_url, settings.sms_account, settings.sms_token, settings.sms_from)
    return LoggedSms()


def build_runtime(settings: Settings, clock: Clock | None = None, broker: Broker | None = None) -> Runtime:
    """The runtime the settings describe; tests may pass their own clock or broker."""
    clock = clock or clock_from(settings)
    presence, readers = Presence(EXPERTS_ONLINE), Presence(READERS)
    if settings.redis_url:
        presence, readers = (
            RedisPresence(EXPERTS_ONLINE, settings.redis_url),
            RedisPresence(READERS, settings.redis_url),
        )
        if broker is None:
            broker = RedisBroker(settings.redis_url, clock.now, settings.subscriber_queue_size)
    return Runtime(
        settings=settings,
        clock=clock,
        broker=broker or InProcessBroker(settings.subscriber_queue_size),
        rooms=room_provider(settings, clock),
        mailer=SmtpMailer(settings.smtp_url) if settings.smtp_url else None,
        subscriptions=SubscriptionGate(settings.max_subscriptions_per_user),
        presence=presence,
        readers=readers,
        files=file_store(settings),
        recent_sign_ins=RecentSignIns(settings.token_user_cache_seconds),
        sms=sms_provider(settings),
        webhook_caller=WebhookCaller(settings.webhook_networks, settings.webhook_timeout_seconds),
        response_cache=ResponseCache(
            settings.response_cache_entries, timedelta(seconds=settings.response_cache_max_age_seconds)
        ),
    )
