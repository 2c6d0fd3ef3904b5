"""The checked-in schema files are what the code builds."""

from pathlib import Path

from app.api import possible_types_json, schema_sdl
from app.cli import POSSIBLE_TYPES_FILE

ROOT = Path(__file__).resolve().parent.parent
STALE = "is stale: run `python -m app export-schema` and commit it"


def test_schema_graphql_matches_the_code() -> None:
    assert (ROOT / "schema.graphql").read_text() == schema_sdl(), f"schema.graphql {STALE}"


def test_possible_types_match_the_code() -> None:
    assert (ROOT / POSSIBLE_TYPES_FILE).read_text() == possible_types_json(), f"{POSSIBLE_TYPES_FILE} {STALE}"
