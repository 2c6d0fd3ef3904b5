"""PostgreSQL gets the guards SQLite has had since 0003, 0005, 0006 and 0007.

Notes are immutable; a meeting may not take its expert's busy time, nor an
offer hold it, unless acknowledged: the very conditions of the SQLite triggers
(0006's "newly claims time", 0007's held offer times), as PL/pgSQL trigger
functions, raising the same `meeting_overlap` / `note_immutable` as an
integrity violation (the app maps them as on SQLite).

Why not an exclusion constraint: the rule is not symmetric. An acknowledged
meeting may overlap anything, yet an unacknowledged one may overlap nothing,
acknowledged or not; an expert's time includes meetings where they are the
client; an update is checked only when it newly claims time. A constraint over
(person, range) would refuse or admit differently from SQLite. What the
constraint would add, safety under concurrency, comes from a lock instead:
SQLite runs one writer at a time, PostgreSQL does not, so each check first takes
a transaction-scoped advisory lock on every person whose time it reads or claims
(in one order, so two writers cannot deadlock). The second of two concurrent
bookings waits for the first to commit, then sees it.

SQLite is untouched: its triggers stay as they are.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from app.db import postgres_only

ACTIVE = "('AWAITING_APPROVAL', 'AGREED', 'IN_PROGRESS')"

_LOCK_PEOPLE = """
CREATE FUNCTION lock_people(VARIADIC people uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE person uuid;
BEGIN
    -- Transaction-scoped, in a fixed order: writers touching the same people take turns.
    FOR person IN SELECT DISTINCT p FROM unnest(people) AS p WHERE p IS NOT NULL ORDER BY p LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended(person::text, 0));
    END LOOP;
END $$
"""


def _busy_guard(function: str, lets_through: str, people: str, meeting_other_than: str, held_other_than: str) -> str:
    """A trigger function refusing NEW's time when another active meeting of NEW's expert (on
    either side) or another meeting's held offer time overlaps it."""
    return f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {lets_through} THEN
        RETURN NEW;
    END IF;
    PERFORM lock_people({people});
    IF EXISTS (
        SELECT 1 FROM meeting AS other
        WHERE (other.expert_id = NEW.expert_id OR other.client_id = NEW.expert_id)
          AND {meeting_other_than}
          AND other.status IN {ACTIVE}
          AND other.starts_at < NEW.ends_at
          AND NEW.starts_at < other.ends_at
    ) OR EXISTS (
        SELECT 1 FROM offer_time AS held
        WHERE held.expert_id = NEW.expert_id
          AND held.held
          AND {held_other_than}
          AND held.starts_at < NEW.ends_at
          AND NEW.starts_at < held.ends_at
    ) THEN
        RAISE EXCEPTION 'meeting_overlap' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$
"""


_MEETING_GUARD = _busy_guard(
    "meeting_no_overlap",
    # Not active, acknowledged, or an update that keeps the time it already had (0006).
    lets_through=f"""NEW.status NOT IN {ACTIVE} OR NEW.overlap_acknowledged OR NEW.starts_at IS NULL
        OR (TG_OP = 'UPDATE' AND OLD.status IN {ACTIVE}
            AND OLD.starts_at IS NOT DISTINCT FROM NEW.starts_at
            AND OLD.ends_at IS NOT DISTINCT FROM NEW.ends_at
            AND OLD.expert_id IS NOT DISTINCT FROM NEW.expert_id
            AND NOT OLD.overlap_acknowledged
            AND NOT (NOT OLD.expert_approved AND NEW.expert_approved))""",
    people="NEW.expert_id, NEW.client_id",
    meeting_other_than="other.id <> NEW.id",
    held_other_than="held.meeting_id <> NEW.id",
)
_HOLD_GUARD = _busy_guard(
    "offer_time_free",
    lets_through="NOT NEW.held OR NEW.overlap_acknowledged OR (TG_OP = 'UPDATE' AND OLD.held)",
    people="NEW.expert_id",
    meeting_other_than="other.id <> NEW.meeting_id",
    held_other_than="held.id <> NEW.id AND held.meeting_id <> NEW.meeting_id",
)

_NOTE_GUARD = """
CREATE FUNCTION note_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'note_immutable' USING ERRCODE = 'integrity_constraint_violation';
END $$
"""

FORWARD = [
    _LOCK_PEOPLE,
    _MEETING_GUARD,
    "CREATE TRIGGER meeting_no_overlap BEFORE INSERT OR UPDATE ON meeting "
    "FOR EACH ROW EXECUTE FUNCTION meeting_no_overlap()",
    _HOLD_GUARD,
    "CREATE TRIGGER offer_time_free BEFORE INSERT OR UPDATE OF held ON offer_time "
    "FOR EACH ROW EXECUTE FUNCTION offer_time_free()",
    _NOTE_GUARD,
    "CREATE TRIGGER note_immutable BEFORE UPDATE OR DELETE ON note FOR EACH ROW EXECUTE FUNCTION note_immutable()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS note_immutable ON note",
    "DROP FUNCTION IF EXISTS note_immutable()",
    "DROP TRIGGER IF EXISTS offer_time_free ON offer_time",
    "DROP FUNCTION IF EXISTS offer_time_free()",
    "DROP TRIGGER IF EXISTS meeting_no_overlap ON meeting",
    "DROP FUNCTION IF EXISTS meeting_no_overlap()",
    "DROP FUNCTION IF EXISTS lock_people(uuid[])",
]


class Migration(migrations.Migration):
    dependencies = [("models", "0011_email_out")]

    initial = False

    operations = [ops.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
