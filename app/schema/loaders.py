"""Batch loaders, made fresh for every operation (and every subscription event)."""

from collections import defaultdict
from collections.abc import Sequence
from contextvars import ContextVar
from typing import TypeVar, cast
from uuid import UUID

from strawberry.dataloader import DataLoader

from app.domain.directory import ExpertMeasures
from app.domain.rescheduling import DEFAULT_PROGRAMME, ClientProgramme
from app.models import (
    Attachment,
    ClientRelation,
    DateOverride,
    ExpertProfile,
    Note,
    Offer,
    OfferTime,
    Review,
    Service,
    TimelineEvent,
    User,
)
from app.services import attachments
from app.services.directory import measures_of


async def _users(ids: Sequence[UUID]) -> list[User | None]:
    rows = {row.id: row for row in await User.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def _profiles(ids: Sequence[UUID]) -> list[ExpertProfile | None]:
    rows = {row.user_id: row for row in await ExpertProfile.filter(user_id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def _services(ids: Sequence[UUID]) -> list[Service | None]:
    rows = {row.id: row for row in await Service.filter(id__in=list(set(ids)))}
    return [rows.get(i) for i in ids]


async def _services_by_expert(expert_ids: Sequence[UUID]) -> list[list[Service]]:
    grouped: defaultdict[UUID, list[Service]] = defaultdict(list)
    rows = await Service.filter(expert_id__in=list(set(expert_ids)), is_active=True).order_by("created_at", "id")
    for row in rows:
        grouped[row.expert_id].append(row)
    return [grouped[i] for i in expert_ids]


async def _timelines(meeting_ids: Sequence[UUID]) -> list[list[TimelineEvent]]:
    grouped: defaultdict[UUID, list[TimelineEvent]] = defaultdict(list)
    for row in await TimelineEvent.filter(meeting_id__in=list(set(meeting_ids))).order_by("id"):
        grouped[row.meeting_id].append(row)
    return [grouped[i] for i in meeting_ids]


async def _overrides(expert_ids: Sequence[UUID]) -> list[list[DateOverride]]:
    grouped: defaultdict[UUID, list[DateOverride]] = defaultdict(list)
    for row in await DateOverride.filter(expert_id__in=list(set(expert_ids))).order_by("day"):
        grouped[row.expert_id].append(row)
    return [grouped[i] for i in expert_ids]


async def _notes(meeting_ids: Sequence[UUID]) -> list[list[Note]]:
    grouped: defaultdict[UUID, list[Note]] = defaultdict(list)
    for row in await Note.filter(meeting_id__in=list(set(meeting_ids))).order_by("created_at", "id"):
        grouped[row.meeting_id].append(row)
    return [grouped[i] for i in meeting_ids]


async def _offers(meeting_ids: Sequence[UUID]) -> list[list[tuple[Offer, list[OfferTime]]]]:
    """Each meeting's offers, oldest first, each with its times."""
    offers = await Offer.filter(meeting_id__in=list(set(meeting_ids))).order_by("created_at", "id")
    times: defaultdict[UUID, list[OfferTime]] = defaultdict(list)
    for row in await OfferTime.filter(offer_id__in=[o.id for o in offers]).order_by("starts_at"):
        times[row.offer_id].append(row)
    grouped: defaultdict[UUID, list[tuple[Offer, list[OfferTime]]]] = defaultdict(list)
    for offer in offers:
        grouped[offer.meeting_id].append((offer, times[offer.id]))
    return [grouped[i] for i in meeting_ids]


async def _reviews(meeting_ids: Sequence[UUID]) -> list[Review | None]:
    rows = {row.meeting_id: row for row in await Review.filter(meeting_id__in=list(set(meeting_ids)))}
    return [rows.get(i) for i in meeting_ids]


async def _programmes(pairs: Sequence[tuple[UUID, UUID]]) -> list[ClientProgramme]:
    """Each (expert, client) pair's programme; PRIVATE where none was set."""
    experts = list({expert_id for expert_id, _ in pairs})
    clients = list({client_id for _, client_id in pairs})
    rows = await ClientRelation.filter(expert_id__in=experts, client_id__in=clients)
    found = {(row.expert_id, row.client_id): row.programme for row in rows}
    return [found.get(pair, DEFAULT_PROGRAMME) for pair in pairs]


async def _measures(expert_ids: Sequence[UUID]) -> list[ExpertMeasures | None]:
    profiles = await ExpertProfile.filter(user_id__in=list(set(expert_ids)))
    found = await measures_of(list(profiles))
    return [found.get(i) for i in expert_ids]


async def _attachments(message_ids: Sequence[UUID]) -> list[list[Attachment]]:
    found = await attachments.of_messages(message_ids)
    return [found[message_id] for message_id in message_ids]


class Loaders:
    def __init__(self) -> None:
        self.user = DataLoader(load_fn=_users)
        self.expert_profile = DataLoader(load_fn=_profiles)
        self.service = DataLoader(load_fn=_services)
        self.services_by_expert = DataLoader(load_fn=_services_by_expert)
        self.timeline = DataLoader(load_fn=_timelines)
        self.date_overrides = DataLoader(load_fn=_overrides)
        self.notes = DataLoader(load_fn=_notes)
        self.review = DataLoader(load_fn=_reviews)
        self.offers = DataLoader(load_fn=_offers)
        self.measures = DataLoader(load_fn=_measures)
        self.attachments = DataLoader(load_fn=_attachments)
        """Message id -> its files."""
        self.programme = DataLoader(load_fn=_programmes)
        """(expert id, client id) -> the client's programme with that expert."""


K = TypeVar("K")
T = TypeVar("T")


async def load_at_once(loader: DataLoader[K, T], keys: Sequence[K]) -> dict[K, T]:
    """The keys through the loader's batch function in one call, the results primed into its
    cache for the operation's other fields. For a page's known keys: `load_many` makes a
    future and two loop callbacks per key, which cost more than the query itself."""
    values = await loader.load_fn(list(keys))
    found = cast(dict[K, T], dict(zip(keys, values, strict=True)))  # our batch functions return no exceptions
    loader.prime_many(found)
    return found


_current: ContextVar[Loaders | None] = ContextVar("loaders", default=None)


def current_loaders() -> Loaders:
    """The loaders of the running operation.

    Kept in a context variable, not the GraphQL context: on a WebSocket the
    context lives as long as the connection and would serve stale rows.
    """
    loaders = _current.get()
    if loaders is None:
        loaders = fresh_loaders()
    return loaders


def fresh_loaders() -> Loaders:
    loaders = Loaders()
    _current.set(loaders)
    return loaders
