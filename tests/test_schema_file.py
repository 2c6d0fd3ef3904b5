from pathlib import Path

from app.schema.build import schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == schema_sdl(), (
        "schema.graphql is stale: run `python -m app export-schema` and commit it"
    )
