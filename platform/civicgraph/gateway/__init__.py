"""The gateway's assembly: every domain's API composed into one schema, every domain's policy
rows into one table, and a request executed against both (the `/graphql` view)."""
