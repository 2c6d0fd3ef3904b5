from uuid import UUID

from app.domain.errors import NotFound


def parse_id(value: str, what: str) -> UUID:
    """An id that cannot exist answers like one that does not."""
    try:
        return UUID(str(value))
    except ValueError as exc:
        raise NotFound(f"no such {what}") from exc


def optional_id(value: str | None, what: str) -> UUID | None:
    """An id argument that may be left out."""
    return None if value is None else parse_id(value, what)


def parse_number_id(value: str, what: str) -> int:
    """A numbered row's id (a webhook delivery); anything else answers like an unknown one."""
    text = str(value)
    if not text.isdigit() or len(text) > 18:
        raise NotFound(f"no such {what}")
    return int(text)
