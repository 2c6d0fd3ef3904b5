"""What one operation may cost, counted before it runs.

Depth, tokens and aliases are limited elsewhere; this counts the fields that are
expensive whatever their shape (free slots over a range, a calendar import), so
that thirty aliased `availableSlots` cannot ride in one small request. Fragment
spreads are counted as often as they are spread (memoized, so counting is linear).
"""

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)

FIELD_COSTS = {"availableSlots": 100, "importBusyCalendar": 100}
MAX_OPERATION_COST = 100


def operation_cost(document: DocumentNode) -> int:
    """The cost of the dearest operation in the document (only one runs)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    memo: dict[str, int] = {}

    def fragment_cost(name: str, path: frozenset[str]) -> int:
        if name in memo:
            return memo[name]
        if name in path or name not in fragments:
            return 0  # a cycle or an unknown fragment: validation refuses the document anyway
        memo[name] = cost(fragments[name].selection_set, path | {name})
        return memo[name]

    def cost(selection_set: SelectionSetNode | None, path: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += FIELD_COSTS.get(selection.name.value, 0) + cost(selection.selection_set, path)
            elif isinstance(selection, InlineFragmentNode):
                total += cost(selection.selection_set, path)
            elif isinstance(selection, FragmentSpreadNode):
                total += fragment_cost(selection.name.value, path)
        return total

    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return max((cost(op.selection_set, frozenset()) for op in operations), default=0)


class CostLimit(ValidationRule):
    def enter_document(self, node: DocumentNode, *_args: Any) -> None:
        total = operation_cost(node)
        if total > MAX_OPERATION_COST:
            self.report_error(
                GraphQLError(
                    f"this operation costs {total}; at most {MAX_OPERATION_COST} is allowed "
                    f"(availableSlots {FIELD_COSTS['availableSlots']}, importBusyCalendar "
                    f"{FIELD_COSTS['importBusyCalendar']}): split it",
                    extensions={"code": "LIMIT_EXCEEDED"},
                )
            )
