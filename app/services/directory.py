"""The public list of experts: filtered by skill (a table), mode and price; ordered by the
recommendation score (domain/directory.py), highest first, then id."""

from dataclasses import dataclass
from uuid import UUID

from tortoise.functions import Count, Sum

from app.domain.catalog import Offering
from app.domain.directory import ExpertMeasures, recommendation_score
from app.domain.errors import InvalidInput
from app.domain.meetings import MeetingMode
from app.models import ExpertProfile, ExpertSkill, Meeting, Review, Service
from app.services.catalog import offerings_of
from app.services.pagination import Page, decode_cursor, encode_cursor, validate_page_size


@dataclass(frozen=True)
class ExpertFilter:
    skill: str | None = None
    mode: MeetingMode | None = None
    min_price_credits: int | None = None
    max_price_credits: int | None = None

    def validate(self) -> "ExpertFilter":
        low, high = self.min_price_credits, self.max_price_credits
        if (low is not None and low < 0) or (high is not None and high < 0):
            raise InvalidInput("prices are 0 or more")
        if low is not None and high is not None and low > high:
            raise InvalidInput("minPriceCredits is above maxPriceCredits")
        if self.skill is not None and len(self.skill) > 80:
            raise InvalidInput("skill is at most 80 characters")
        return self

    @property
    def needs_services(self) -> bool:
        return self.mode is not None or self.min_price_credits is not None or self.max_price_credits is not None

    def offers(self, modes: list[MeetingMode], offerings: tuple[Offering, ...]) -> bool:
        """One service offers the mode and a price inside the range."""
        if self.mode is not None and self.mode not in modes:
            return False
        low = self.min_price_credits if self.min_price_credits is not None else 0
        high = self.max_price_credits
        return any(o.price_credits >= low and (high is None or o.price_credits <= high) for o in offerings)


@dataclass(frozen=True)
class RankedExpert:
    profile: ExpertProfile
    measures: ExpertMeasures
    score: float


async def measures_of(profiles: list[ExpertProfile]) -> dict[UUID, ExpertMeasures]:
    """Each expert's measures: counters from the profile, meetings and reviews in two queries."""
    ids = [p.user_id for p in profiles]
    meetings = await (
        Meeting.filter(expert_id__in=ids).annotate(n=Count("id")).group_by("expert_id").values("expert_id", "n")
    )
    reviews = await (
        Review.filter(expert_id__in=ids)
        .annotate(total=Sum("rating"), n=Count("id"))
        .group_by("expert_id")
        .values("expert_id", "total", "n")
    )
    meeting_counts = {UUID(str(r["expert_id"])): int(r["n"]) for r in meetings}
    ratings = {UUID(str(r["expert_id"])): (float(r["total"]), int(r["n"])) for r in reviews}
    return {
        p.user_id: ExpertMeasures(
            responses=p.responses,
            response_business_seconds=p.response_business_seconds,
            unrequested_rearrangements=p.unrequested_rearrangements,
            expert_cancellations=p.expert_cancellations,
            meetings=meeting_counts.get(p.user_id, 0),
            rating_sum=ratings.get(p.user_id, (0.0, 0))[0],
            review_count=ratings.get(p.user_id, (0.0, 0))[1],
            instant_takes=p.instant_takes,
            take_seconds=p.take_seconds,
        )
        for p in profiles
    }


async def list_experts(expert_filter: ExpertFilter, *, first: int, after: str | None) -> Page[RankedExpert]:
    validate_page_size(first)
    expert_filter.validate()
    query = ExpertProfile.all().select_related("user")
    if expert_filter.skill is not None:
        listed = await ExpertSkill.filter(skill=expert_filter.skill).values_list("expert_id", flat=True)
        query = query.filter(user_id__in=list(listed))
    profiles = await query
    if expert_filter.needs_services:
        services = await Service.filter(expert_id__in=[p.user_id for p in profiles], is_active=True)
        matching = {
            s.expert_id for s in services if expert_filter.offers([MeetingMode(m) for m in s.modes], offerings_of(s))
        }
        profiles = [p for p in profiles if p.user_id in matching]
    measures = await measures_of(profiles)
    ranked = sorted(
        (RankedExpert(p, measures[p.user_id], recommendation_score(measures[p.user_id])) for p in profiles),
        key=lambda r: (-r.score, str(r.profile.user_id)),
    )
    if after is not None:
        score_text, id_text = decode_cursor(after)
        try:
            after_key = (-float(score_text), str(UUID(id_text)))
        except ValueError as exc:
            raise InvalidInput("after is not a cursor from this API") from exc
        ranked = [r for r in ranked if (-r.score, str(r.profile.user_id)) > after_key]
    items = [(encode_cursor(f"{r.score:.6f}", str(r.profile.user_id)), r) for r in ranked[:first]]
    return Page(items=items, has_next_page=len(ranked) > first, has_previous_page=after is not None)
