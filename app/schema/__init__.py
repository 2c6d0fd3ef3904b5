"""The GraphQL schema: types, inputs and result unions per area."""
