"""Demo data for a fresh database, made through the same use cases as real data."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from app.domain.availability import Weekday, WeeklyRule, Window
from app.domain.billing import PerMinute
from app.domain.booking import Choice
from app.domain.catalog import Offering
from app.domain.coupons import CouponTerms
from app.domain.meetings import MeetingMode
from app.domain.people import Actor
from app.domain.rescheduling import RescheduleReason
from app.models import Service, User
from app.services import answering, availability, booking, catalog, coupons, rescheduling, users
from app.services.runtime import Runtime

EXPERTS = [
    ("Maya Okafor", "maya@example.com", "Europe/London", "Career coach", ["career", "leadership"]),
    ("Arjun Mehta", "arjun@example.com", "Asia/Kolkata", "Backend engineer", ["python", "databases"]),
    ("Lena Hoffmann", "lena@example.com", "Europe/Berlin", "Therapist", ["stress", "sleep"]),
]
CLIENTS = [
    ("Sam Rivera", "sam@example.com", "America/Los_Angeles"),
    ("Ines Duarte", "ines@example.com", "America/New_York"),
]


async def database_is_empty() -> bool:
    return not await User.exclude(email=users.ADMIN_EMAIL).exists()


WORKING_WEEK = [
    WeeklyRule(day, Window(9 * 60, 17 * 60))
    for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
]


async def _free_slot(runtime: Runtime, expert_id: UUID, service_id: UUID, minutes: int, days_ahead: int) -> datetime:
    """The first free slot at least `days_ahead` days from now."""
    start = runtime.clock.now() + timedelta(days=days_ahead)
    slots = await availability.available_slots(
        runtime, expert_id, service_id, minutes, start, start + timedelta(days=14)
    )
    return slots.starts[0]


async def seed_demo(runtime: Runtime) -> list[str]:
    """Creates the demo people, services and meetings; returns the emails made."""
    admin_row = await users.ensure_admin(runtime)
    admin = Actor(admin_row.id, is_admin=True)
    service_ids = []
    for name, email, zone, headline, skills in EXPERTS:
        expert = await users.create_user(
            runtime,
            admin,
            users.NewUser(name, email, zone, expert_headline=headline, expert_skills=skills),
        )
        service = await catalog.create_service(
            runtime,
            Actor(expert.id),
            catalog.NewService(
                title=f"{headline} session",
                description=f"A focused session with {name}.",
                offerings=[Offering(30, 40), Offering(60, 75)],
                modes=[MeetingMode.VIDEO, MeetingMode.AUDIO, MeetingMode.CHAT],
            ),
        )
        await availability.set_weekly_availability(
            runtime, admin, expert.id, availability.AvailabilityChange(rules=WORKING_WEEK)
        )
        service_ids.append((expert.id, service.id))
    clients = []
    for name, email, zone in CLIENTS:
        client = await users.create_user(runtime, admin, users.NewUser(name, email, zone))
        await users.grant_credits(runtime, admin, client.id, 500, "demo credits")
        clients.append(client)

    (maya_id, maya_service), (arjun_id, arjun_service), (_lena_id, lena_service) = service_ids
    booked = await booking.book_meeting(
        runtime,
        Actor(clients[0].id),
        maya_service,
        Choice(await _free_slot(runtime, maya_id, maya_service, 60, 3), 60, MeetingMode.VIDEO),
    )
    await answering.confirm_meeting(runtime, Actor(maya_id), booked.id, acknowledge_overlap=False)
    # Maya's own schedule changed: two other times, held for Sam until he picks one.
    other_times = (
        await _free_slot(runtime, maya_id, maya_service, 60, 5),
        await _free_slot(runtime, maya_id, maya_service, 60, 7),
    )
    await rescheduling.reschedule_meeting(
        runtime,
        Actor(maya_id),
        booked.id,
        rescheduling.RescheduleRequest(times=other_times, reason=RescheduleReason.EXPERT_SCHEDULE),
    )
    # Ines asks Lena for a session at one of three times; Lena has not picked yet.
    morning = (runtime.clock.now() + timedelta(days=8)).replace(hour=9, minute=0, second=0, microsecond=0)
    await booking.request_session(
        runtime,
        Actor(clients[1].id),
        booking.SessionRequest(
            lena_service,
            tuple(morning + timedelta(days=d) for d in range(3)),
            60,
            MeetingMode.VIDEO,
            message="Any of these mornings works for me.",
        ),
    )
    await booking.book_meeting(
        runtime,
        Actor(clients[1].id),
        arjun_service,
        Choice(await _free_slot(runtime, arjun_id, arjun_service, 30, 4), 30, MeetingMode.CHAT),
    )
    await booking.propose_meeting(
        runtime,
        Actor(arjun_id),
        booking.Proposal(
            client_id=clients[0].id,
            service_id=arjun_service,
            choice=Choice(await _free_slot(runtime, arjun_id, arjun_service, 60, 6), 60, MeetingMode.VIDEO),
            price_credits=60,
        ),
    )
    # Money to try: Arjun also helps per minute, and new clients have a coupon (README: Money).
    await catalog.create_service(
        runtime,
        Actor(arjun_id),
        catalog.NewService(
            title="Live debugging, per minute",
            description="Billed for the minutes Arjun works on your problem (at least 15, at most 60).",
            offerings=[Offering(60, 0)],
            modes=[MeetingMode.VIDEO, MeetingMode.CHAT],
            per_minute=PerMinute(rate_credits=2, minimum_minutes=15, cap_minutes=60),
        ),
    )
    welcome = CouponTerms(
        percent=10,
        credits=None,
        expires_at=runtime.clock.now() + timedelta(days=365),
        uses_per_client=1,
        total_uses=None,
    )
    await coupons.create_coupon(runtime, admin, "WELCOME-10", welcome)
    return [email for _, email, *_ in EXPERTS] + [email for _, email, _ in CLIENTS]


@dataclass(frozen=True)
class Walkthrough:
    """What GraphiQL's example tabs need to run in order on the demo data: Sam (a client) finds
    a slot of Maya's (an expert) and books it, and Maya confirms it while Sam watches."""

    client_name: str
    client_token: str
    expert_name: str
    expert_token: str
    expert_id: UUID
    service_id: UUID
    slots_from: datetime
    slots_to: datetime
    first_slot: datetime | None
    """Free when the page was made; the Slots tab lists the others."""


WALKTHROUGH_MINUTES = 60
WALKTHROUGH_DAYS = 7


async def walkthrough(runtime: Runtime) -> Walkthrough | None:
    """None when the demo people are not in this database."""
    (client_name, client_email, _), (expert_name, expert_email, *_) = CLIENTS[0], EXPERTS[0]
    client = await User.filter(email=client_email).first()
    expert = await User.filter(email=expert_email).first()
    service = None if expert is None else await Service.filter(expert_id=expert.id, is_active=True).first()
    if client is None or expert is None or service is None:
        return None
    now = runtime.clock.now().replace(second=0, microsecond=0)
    until = now + timedelta(days=WALKTHROUGH_DAYS)
    slots = (await availability.available_slots(runtime, expert.id, service.id, WALKTHROUGH_MINUTES, now, until)).starts
    return Walkthrough(
        client_name=client_name,
        client_token=users.token_for(runtime, client.id),
        expert_name=expert_name,
        expert_token=users.token_for(runtime, expert.id),
        expert_id=expert.id,
        service_id=service.id,
        slots_from=now,
        slots_to=until,
        first_slot=slots[0] if slots else None,
    )
