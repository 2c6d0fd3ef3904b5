from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.domain.availability import WeeklyRule, Window, parse_wall_time
from app.models import ExpertProfile, User
from app.resolvers.arguments import INPUT
from app.resolvers.ids import optional_id, parse_id
from app.resolvers.viewer import refusals_as_errors, viewer_of
from app.schema.accounts.experts import Expert
from app.schema.availability.operations import (
    BusyCalendarImported,
    CalendarFeed,
    ImportBusyCalendarInput,
    ImportBusyCalendarResult,
    RotateCalendarFeedResult,
    SetDateOverrideInput,
    SetDateOverrideResult,
    SetWeeklyAvailabilityInput,
    SetWeeklyAvailabilityResult,
    UpdateExpertPolicyInput,
    UpdateExpertPolicyResult,
)
from app.schema.availability.types import Availability, Slot
from app.schema.context import Info
from app.services import availability, busy_calendar, calendar_feed
from app.services.response_cache import expert_tag


def _window(start_time: str, end_time: str) -> Window:
    return Window(
        parse_wall_time(start_time, allow_end_of_day=False),
        parse_wall_time(end_time, allow_end_of_day=True),
    )


def _expert_id(given: strawberry.ID | None) -> UUID | None:
    return optional_id(given, "expert")


async def _availability(info: Info, profile: ExpertProfile) -> Availability:
    user = await User.get(id=profile.user_id)
    overrides = await info.context.loaders.date_overrides.load(profile.user_id)
    return Availability.from_models(profile, user.time_zone, overrides)


async def available_slots(
    info: Info,
    expert_id: Annotated[strawberry.ID, strawberry.argument(description="The expert.")],
    service_id: Annotated[strawberry.ID, strawberry.argument(description="One of their services.")],
    duration_minutes: Annotated[int, strawberry.argument(description="One of the service's durations.")],
    range_from: Annotated[datetime, strawberry.argument(name="from", description="The earliest start.")],
    range_to: Annotated[
        datetime, strawberry.argument(name="to", description="Starts before this (at most 92 days after from).")
    ],
) -> list[Slot]:
    """Public. Free start times in [from, to) (at most 92 days), in UTC."""
    with refusals_as_errors():
        expert = parse_id(expert_id, "expert")
        info.context.answer_hints.read(expert_tag(expert))
        free = await availability.available_slots(
            info.context.runtime,
            expert,
            parse_id(service_id, "service"),
            duration_minutes,
            range_from,
            range_to,
        )
    info.context.answer_hints.changes_by(free.changes_at)
    user = await info.context.loaders.user.load(expert)
    assert user is not None
    return Slot.listed(free.starts, duration_minutes, user.time_zone)


async def set_weekly_availability(info: Info, input: Annotated[SetWeeklyAvailabilityInput, INPUT]) -> Availability:
    actor = viewer_of(info)
    rules = [WeeklyRule(r.weekday, _window(r.start_time, r.end_time)) for r in input.rules]
    profile = await availability.set_weekly_availability(
        info.context.runtime,
        actor,
        _expert_id(input.expert_id),
        availability.AvailabilityChange(
            rules=rules,
            buffer_before_minutes=input.buffer_before_minutes,
            buffer_after_minutes=input.buffer_after_minutes,
            minimum_notice_minutes=input.minimum_notice_minutes,
            horizon_days=input.horizon_days,
            slot_step_minutes=input.slot_step_minutes,
        ),
    )
    return await _availability(info, profile)


async def set_date_override(info: Info, input: Annotated[SetDateOverrideInput, INPUT]) -> Availability:
    actor = viewer_of(info)
    windows = None if input.windows is None else [_window(w.start_time, w.end_time) for w in input.windows]
    profile = await availability.set_date_override(
        info.context.runtime, actor, _expert_id(input.expert_id), input.date, windows
    )
    return await _availability(info, profile)


async def update_expert_policy(info: Info, input: Annotated[UpdateExpertPolicyInput, INPUT]) -> Expert:
    actor = viewer_of(info)
    profile = await availability.update_expert_policy(
        info.context.runtime,
        actor,
        _expert_id(input.expert_id),
        availability.PolicyChange(
            client_cancellation_window_minutes=input.client_cancellation_window_minutes,
            short_notice_window_minutes=input.short_notice_window_minutes,
            join_window_minutes=input.join_window_minutes,
            no_show_grace_minutes=input.no_show_grace_minutes,
            notes_window_minutes=input.notes_window_minutes,
            notes_required=input.notes_required,
        ),
    )
    user = await User.get(id=profile.user_id)
    return Expert.from_models(user, profile)


async def import_busy_calendar(info: Info, input: Annotated[ImportBusyCalendarInput, INPUT]) -> BusyCalendarImported:
    actor = viewer_of(info)
    count = await busy_calendar.import_busy_calendar(
        info.context.runtime, actor, _expert_id(input.expert_id), input.ics
    )
    return BusyCalendarImported(busy_block_count=count)


async def rotate_calendar_feed(info: Info) -> CalendarFeed:
    actor = viewer_of(info)
    token = await calendar_feed.rotate_feed_token(info.context.runtime, actor)
    return CalendarFeed(url=calendar_feed.feed_url(info.context.runtime, token))


@strawberry.type
class AvailabilityQueries:
    available_slots = strawberry.field(
        resolver=available_slots,
        description="Public: free start times of an expert's service in [from, to), in UTC "
        "(at most 92 days; costs the whole query budget).",
    )


@strawberry.type
class AvailabilityMutations:
    set_weekly_availability = strawberry.mutation(
        resolver=set_weekly_availability,
        graphql_type=SetWeeklyAvailabilityResult,
        description="Expert: replace your weekly hours and booking rules.",
    )
    set_date_override = strawberry.mutation(
        resolver=set_date_override,
        graphql_type=SetDateOverrideResult,
        description="Expert: other hours, or a day off, on one date.",
    )
    update_expert_policy = strawberry.mutation(
        resolver=update_expert_policy,
        graphql_type=UpdateExpertPolicyResult,
        description="Expert: change your cancellation, join, no-show and notes windows.",
    )
    import_busy_calendar = strawberry.mutation(
        resolver=import_busy_calendar,
        graphql_type=ImportBusyCalendarResult,
        description="Expert: import busy time from an .ics calendar (replaces the last import).",
    )
    rotate_calendar_feed = strawberry.mutation(
        resolver=rotate_calendar_feed,
        graphql_type=RotateCalendarFeedResult,
        description="Make (or replace) your private calendar feed address; the old one stops working.",
    )
