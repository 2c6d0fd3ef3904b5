"""An expert's availability, their imported busy times, and the free slots they give."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from app.domain.access import managed_user
from app.domain.availability import (
    BUFFER_MINUTES,
    HORIZON_DAYS,
    NOTICE_MINUTES,
    STEP_MINUTES,
    AvailabilitySettings,
    BusyTimes,
    Weekday,
    WeeklyRule,
    Window,
    check_bookable,
    free_slots,
    free_slots_change_at,
    validate_override_day,
    validate_range,
    validate_rules,
    validate_windows,
)
from app.domain.catalog import price_for
from app.domain.errors import InvalidInput, LimitExceeded, NotAllowed, NotFound, refuses
from app.domain.people import Actor
from app.domain.policy import validate_policy_minutes
from app.models import DateOverride, ExpertProfile, Service, User
from app.services.busy import busy_times
from app.services.catalog import offerings_of
from app.services.runtime import Runtime
from app.services.unit_of_work import unit_of_work


@dataclass(frozen=True)
class AvailabilityChange:
    rules: Sequence[WeeklyRule]
    buffer_before_minutes: int | None = None
    buffer_after_minutes: int | None = None
    minimum_notice_minutes: int | None = None
    horizon_days: int | None = None
    slot_step_minutes: int | None = None


@dataclass(frozen=True)
class PolicyChange:
    client_cancellation_window_minutes: int | None = None
    short_notice_window_minutes: int | None = None
    join_window_minutes: int | None = None
    no_show_grace_minutes: int | None = None
    notes_window_minutes: int | None = None
    notes_required: bool | None = None


async def managed_profile(actor: Actor, expert_id: UUID | None) -> ExpertProfile:
    """The expert the actor may manage: themself, or anyone for an admin."""
    target = managed_user(actor, expert_id, "availability")
    profile = await ExpertProfile.filter(user_id=target).select_for_update().first()
    if profile is None:
        if target == actor.user_id:
            raise NotAllowed("only experts keep availability")
        raise NotFound("no such expert")
    return profile


def rules_of(profile: ExpertProfile) -> tuple[WeeklyRule, ...]:
    return tuple(
        WeeklyRule(Weekday(r["weekday"]), Window(r["start_minute"], r["end_minute"])) for r in profile.weekly_rules
    )


@refuses(InvalidInput, LimitExceeded, NotAllowed, NotFound)
async def set_weekly_availability(
    runtime: Runtime, actor: Actor, expert_id: UUID | None, change: AvailabilityChange
) -> ExpertProfile:
    rules = validate_rules(change.rules)
    BUFFER_MINUTES.check(change.buffer_before_minutes)
    BUFFER_MINUTES.check(change.buffer_after_minutes)
    NOTICE_MINUTES.check(change.minimum_notice_minutes)
    HORIZON_DAYS.check(change.horizon_days)
    STEP_MINUTES.check(change.slot_step_minutes)
    async with unit_of_work(runtime) as uow:
        profile = await managed_profile(actor, expert_id)
        uow.changed_expert(profile.user_id)
        fields: dict[str, object] = {
            "weekly_rules": [
                {
                    "weekday": int(r.weekday),
                    "start_minute": r.window.start_minute,
                    "end_minute": r.window.end_minute,
                }
                for r in rules
            ]
        }
        for name in (
            "buffer_before_minutes",
            "buffer_after_minutes",
            "minimum_notice_minutes",
            "horizon_days",
            "slot_step_minutes",
        ):
            if getattr(change, name) is not None:
                fields[name] = getattr(change, name)
        return await _update_profile(profile, fields)


async def _update_profile(profile: ExpertProfile, fields: dict[str, object]) -> ExpertProfile:
    # `profile.save()` cannot bind the one-to-one UUID key on SQLite; a filtered update can.
    if fields:
        await ExpertProfile.filter(user_id=profile.user_id).update(**fields)
    return await ExpertProfile.get(user_id=profile.user_id)


@refuses(InvalidInput, LimitExceeded, NotAllowed, NotFound)
async def set_date_override(
    runtime: Runtime,
    actor: Actor,
    expert_id: UUID | None,
    day: date,
    windows: Sequence[Window] | None,
) -> ExpertProfile:
    """Windows replace the weekly rules that day ([] is a day off); None removes the override."""
    checked = validate_windows(windows) if windows is not None else None
    validate_override_day(day, runtime.clock.now().date())
    async with unit_of_work(runtime) as uow:
        profile = await managed_profile(actor, expert_id)
        uow.changed_expert(profile.user_id)
        await DateOverride.filter(expert_id=profile.user_id, day=day).delete()
        if checked is not None:
            await DateOverride.create(
                expert_id=profile.user_id,
                day=day,
                windows=[{"start_minute": w.start_minute, "end_minute": w.end_minute} for w in checked],
            )
    return profile


@refuses(InvalidInput, NotAllowed, NotFound)
async def update_expert_policy(
    runtime: Runtime, actor: Actor, expert_id: UUID | None, change: PolicyChange
) -> ExpertProfile:
    async with unit_of_work(runtime) as uow:
        profile = await managed_profile(actor, expert_id)
        uow.changed_expert(profile.user_id)
        minutes = {name: value for name, value in vars(change).items() if name.endswith("_minutes")}
        fields: dict[str, object] = {
            name: value for name, value in minutes.items() if validate_policy_minutes(value) is not None
        }
        if change.notes_required is not None:
            fields["notes_required"] = change.notes_required
        return await _update_profile(profile, fields)


async def overrides_of(expert_id: UUID, first_day: date, last_day: date) -> dict[date, tuple[Window, ...]]:
    rows = await DateOverride.filter(expert_id=expert_id, day__gte=first_day, day__lte=last_day)
    return {row.day: tuple(Window(w["start_minute"], w["end_minute"]) for w in row.windows) for row in rows}


async def settings_for(
    profile: ExpertProfile, time_zone: str, range_from: datetime, range_to: datetime
) -> AvailabilitySettings:
    # Local dates can differ from UTC dates by a day either side.
    overrides = await overrides_of(
        profile.user_id, (range_from - timedelta(days=2)).date(), (range_to + timedelta(days=2)).date()
    )
    return AvailabilitySettings(
        time_zone=time_zone,
        weekly_rules=rules_of(profile),
        overrides=overrides,
        buffer_before=timedelta(minutes=profile.buffer_before_minutes),
        buffer_after=timedelta(minutes=profile.buffer_after_minutes),
        minimum_notice=timedelta(minutes=profile.minimum_notice_minutes),
        horizon=timedelta(days=profile.horizon_days),
        slot_step=timedelta(minutes=profile.slot_step_minutes),
    )


async def _padded_busy(
    settings: AvailabilitySettings, expert_id: UUID, range_from: datetime, range_to: datetime, duration: timedelta
) -> BusyTimes:
    return await busy_times(
        expert_id,
        range_from - settings.buffer_before,
        range_to + duration + settings.buffer_after,
    )


@dataclass(frozen=True)
class FreeStarts:
    starts: list[datetime]
    changes_at: datetime | None
    """When the answer may change with nothing written (domain: free_slots_change_at)."""


async def available_slots(
    runtime: Runtime,
    expert_id: UUID,
    service_id: UUID,
    duration_minutes: int,
    range_from: datetime,
    range_to: datetime,
) -> "FreeStarts":
    validate_range(range_from, range_to)
    profile = await ExpertProfile.filter(user_id=expert_id).select_related("user").first()
    service = await Service.filter(id=service_id, expert_id=expert_id, is_active=True).first()
    if profile is None or service is None:
        raise NotFound("no such service for this expert")
    price_for(offerings_of(service), duration_minutes)
    duration = timedelta(minutes=duration_minutes)
    settings = await settings_for(profile, profile.user.time_zone, range_from, range_to)
    busy = await _padded_busy(settings, expert_id, range_from, range_to, duration)
    # Up to MAX_CANDIDATE_STARTS wall-clock conversions: off the event loop, so that
    # everyone else keeps being answered meanwhile.
    now = runtime.clock.now()
    starts = await asyncio.to_thread(free_slots, settings, duration, range_from, range_to, now, busy)
    return FreeStarts(starts, free_slots_change_at(settings, range_to, now, starts))


async def require_bookable(expert: User, starts_at: datetime, duration_minutes: int, now: datetime) -> None:
    """Refuses a start the expert does not offer: notice, horizon, availability, busy times.

    `expert` comes with its expert profile loaded.
    """
    profile: ExpertProfile = expert.expert_profile
    duration = timedelta(minutes=duration_minutes)
    ends_at = starts_at + duration
    settings = await settings_for(profile, expert.time_zone, starts_at, ends_at)
    busy = await _padded_busy(settings, profile.user_id, starts_at, ends_at, timedelta(0))
    check_bookable(settings, starts_at, duration, now, busy)
