"""Which documents the response cache may keep: queries that select only fields whose value is
the same for every viewer (the experts list, one expert, their free slots).

A field is listed here by name, so a field added to these types stays uncached until someone
decides it is the same for everyone (tests/unit/test_cache_policy.py lists every field these
roots reach and fails on one in neither set).
"""

from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    parse,
    visit,
)

from app.api import CACHED_DOCUMENTS

SAME_FOR_EVERYONE = frozenset(
    {
        "Query.experts",
        "Query.expert",
        "Query.availableSlots",
        *(
            f"Availability.{name}"
            for name in (
                "bufferAfterMinutes",
                "bufferBeforeMinutes",
                "dateOverrides",
                "expertId",
                "horizonDays",
                "minimumNoticeMinutes",
                "slotStepMinutes",
                "timeZone",
                "weeklyRules",
            )
        ),
        "DateOverride.date",
        "DateOverride.windows",
        "TimeWindow.startTime",
        "TimeWindow.endTime",
        "WeeklyRule.startTime",
        "WeeklyRule.endTime",
        "WeeklyRule.weekday",
        *(
            f"Expert.{name}"
            for name in (
                "availability",
                "averageRating",
                "expertCancellations",
                "headline",
                "id",
                "name",
                "policy",
                "recommendationScore",
                "responseTimeMinutes",
                "reviewCount",
                "services",
                "skills",
                "timeToTakeMinutes",
                "timeZone",
                "unrequestedRearrangements",
            )
        ),
        "ExpertConnection.edges",
        "ExpertConnection.pageInfo",
        "ExpertEdge.cursor",
        "ExpertEdge.node",
        *(
            f"ExpertPolicy.{name}"
            for name in (
                "clientCancellationWindowMinutes",
                "joinWindowMinutes",
                "noShowGraceMinutes",
                "notesRequired",
                "notesWindowMinutes",
                "shortNoticeWindowMinutes",
            )
        ),
        "Offering.durationMinutes",
        "Offering.priceCredits",
        "PageInfo.endCursor",
        "PageInfo.hasNextPage",
        "PageInfo.hasPreviousPage",
        "PageInfo.startCursor",
        *(f"PerMinutePricing.{name}" for name in ("capMinutes", "minimumMinutes", "rateCredits")),
        *(
            f"Service.{name}"
            for name in ("description", "expert", "id", "location", "modes", "offerings", "perMinute", "title")
        ),
        *(f"Slot.{name}" for name in ("endsAt", "expertLocalStart", "expertTimeZone", "startsAt")),
    }
)

DEPENDS_ON_VIEWER = frozenset({"Expert.viewerProgramme"})
"""Reachable from the cached roots, but answered per viewer: a document selecting it is not kept."""


class _OnlySameForEveryone(Visitor):
    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.cacheable = True

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
        if node.operation is not OperationType.QUERY:
            self.cacheable = False

    def enter_field(self, node: FieldNode, *_: object) -> None:
        parent = self.type_info.get_parent_type()
        name = node.name.value
        if name != "__typename" and (parent is None or f"{parent.name}.{name}" not in SAME_FOR_EVERYONE):
            self.cacheable = False


def same_for_everyone(schema: GraphQLSchema, document: DocumentNode) -> bool:
    type_info = TypeInfo(schema)
    checker = _OnlySameForEveryone(type_info)
    visit(document, TypeInfoVisitor(type_info, checker))
    return checker.cacheable


@lru_cache(maxsize=CACHED_DOCUMENTS)
def cacheable_document(schema: GraphQLSchema, query: str) -> bool:
    """Whether every operation of the document is a query of fields the same for everyone."""
    try:
        return same_for_everyone(schema, parse(query))
    except GraphQLError:
        return False
