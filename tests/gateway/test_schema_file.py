"""The committed schema.graphql is what the code serves; regenerate it with `make schema`."""

from civicgraph.gateway.schema import SDL_PATH, sdl


def test_committed_schema_matches_the_code() -> None:
    assert SDL_PATH.read_text() == sdl(), "schema.graphql is stale: run `make schema` and commit it"
