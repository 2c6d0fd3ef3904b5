"""Executes plain leaf fields without graphql-core's per-field machinery.

Most of a list's fields are plain attributes with a scalar or enum type (id, status,
startsAt…). For each, graphql-core makes a response path, a resolve info and a node
list, and walks the completion steps; for a page of 20 meetings that bookkeeping cost
more than the page's own work. Here such fields of an object are read and coerced at
once, and only the others go through graphql-core. A leaf with anything out of the
ordinary (a null where none may be, a value its type refuses, an exception) goes
through graphql-core too, which reports it as it always does.
"""

from collections.abc import Awaitable, Iterable
from typing import Any, ClassVar

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    Undefined,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

Leaf = tuple[GraphQLField, GraphQLScalarType | GraphQLEnumType | None, bool, StrawberryField | None]
"""A field definition (kept, so that its id is not reused), its leaf type (None: no fast
path: a resolver, a permission, a field extension or a composite type), whether it is
non-null, and Strawberry's definition of it."""

_SLOW = object()


class LeafFastPath(StrawberryGraphQLCoreExecutionContext):
    _leaves: ClassVar[dict[int, Leaf]] = {}
    """Shared by every operation: what a field definition is, once per schema object."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            # A schema extension's `resolve` hook wraps every field.
            return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
        read: dict[str, Any] = {}
        rest: GroupedFieldSet = {}
        for name, field_details_list in grouped_field_set.items():
            value = self._leaf_value(parent_type, source_value, field_details_list)
            if value is _SLOW:
                rest[name] = field_details_list
            else:
                read[name] = value
        if not rest:
            return read
        executed = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if not read:
            return executed
        if isinstance(executed, dict):
            return _merged(grouped_field_set, read, executed)
        return _merged_later(grouped_field_set, read, executed)

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> Any:
        """A list of objects whose every selected field is a plain leaf (a page of slots) is
        built row by row at once, without a path, a completion and an execution per item; any
        other list, or one with an item out of the ordinary, goes through graphql-core."""
        rows = self._plain_rows(item_type, field_details_list, info, path, items)
        if rows is not None:
            return rows
        return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)

    def _plain_rows(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
    ) -> list[dict[str, Any]] | None:
        named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(named, GraphQLObjectType) or not isinstance(items, (list, tuple)):
            return None
        if self.middleware_manager is not None and self.middleware_manager.middlewares:
            return None
        if self.get_stream_usage(field_details_list, path) is not None:
            return None
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(named, field_details_list)
        if new_defer_usages:
            return None
        rows = []
        for item in items:
            if item is None or (named.is_type_of is not None and named.is_type_of(item, info) is not True):
                return None
            row = {}
            for name, details in grouped_field_set.items():
                value = self._leaf_value(named, item, details)
                if value is _SLOW:
                    return None
                row[name] = value
            rows.append(row)
        return rows

    def _leaf_value(self, parent_type: GraphQLObjectType, source: Any, field_details_list: FieldDetailsList) -> Any:
        node = field_details_list[0].node
        if node.arguments:
            return _SLOW
        field_def = parent_type.fields.get(node.name.value)
        if field_def is None:  # __typename
            return _SLOW
        known = self._leaves.get(id(field_def))
        _, leaf_type, non_null, definition = known if known and known[0] is field_def else self._classify(field_def)
        if leaf_type is None or definition is None:
            return _SLOW
        try:
            value = definition.get_result(source, info=None, args=[], kwargs={})
            if value is None:
                return _SLOW if non_null else None
            coerced = leaf_type.coerce_output_value(value)
        except Exception:
            return _SLOW
        return _SLOW if coerced is Undefined or coerced is None else coerced

    def _classify(self, field_def: GraphQLField) -> Leaf:
        """A fast leaf: Strawberry's definition says it is a basic field (an attribute read: no
        resolver, and no extension, which is also how a permission guards a field) and its
        type is a scalar or an enum."""
        field_type = field_def.type
        non_null = isinstance(field_type, GraphQLNonNull)
        if non_null:
            field_type = field_type.of_type  # type: ignore[union-attr]
        definition = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        basic = isinstance(definition, StrawberryField) and definition.is_basic_field
        leaf_type = field_type if isinstance(field_type, (GraphQLScalarType, GraphQLEnumType)) else None
        leaf: Leaf = (field_def, leaf_type if basic else None, non_null, definition if basic else None)
        self._leaves[id(field_def)] = leaf
        return leaf


def _merged(order: GroupedFieldSet, read: dict[str, Any], executed: dict[str, Any]) -> dict[str, Any]:
    """The fields in the selection's order, as graphql-core would answer them (it leaves out
    a field it cannot resolve, so `executed` may lack one)."""
    return {name: read[name] if name in read else executed[name] for name in order if name in read or name in executed}


async def _merged_later(
    order: GroupedFieldSet, read: dict[str, Any], executed: Awaitable[dict[str, Any]]
) -> dict[str, Any]:
    return _merged(order, read, await executed)
