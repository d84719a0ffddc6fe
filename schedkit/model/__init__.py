"""One immutable data model per problem family (imports nothing else of schedkit but errors)."""
