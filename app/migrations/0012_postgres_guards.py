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

_OVERLAPPING_MEETING = f"""
    EXISTS (
        SELECT 1 FROM meeting AS other
        WHERE (other.expert_id = NEW.expert_id OR other.client_id = NEW.expert_id)
          AND other.id <> %s
          AND other.status IN {ACTIVE}
          AND other.starts_at < NEW.ends_at
          AND NEW.starts_at < other.ends_at
    )
"""

_MEETING_GUARD = f"""
CREATE FUNCTION meeting_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status NOT IN {ACTIVE} OR NEW.overlap_acknowledged OR NEW.starts_at IS NULL THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.status IN {ACTIVE}
       AND OLD.starts_at IS NOT DISTINCT FROM NEW.starts_at
       AND OLD.ends_at IS NOT DISTINCT FROM NEW.ends_at
       AND OLD.expert_id IS NOT DISTINCT FROM NEW.expert_id
       AND NOT OLD.overlap_acknowledged
       AND NOT (NOT OLD.expert_approved AND NEW.expert_approved) THEN
        RETURN NEW;  -- keeps the time it already had
    END IF;
    PERFORM lock_people(NEW.expert_id, NEW.client_id);
    IF {_OVERLAPPING_MEETING % "NEW.id"}
       OR EXISTS (
        SELECT 1 FROM offer_time AS held
        WHERE held.expert_id = NEW.expert_id
          AND held.held
          AND held.meeting_id <> NEW.id
          AND held.starts_at < NEW.ends_at
          AND NEW.starts_at < held.ends_at
    ) THEN
        RAISE EXCEPTION 'meeting_overlap' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$
"""

_HOLD_GUARD = f"""
CREATE FUNCTION offer_time_free() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT NEW.held OR NEW.overlap_acknowledged OR (TG_OP = 'UPDATE' AND OLD.held) THEN
        RETURN NEW;
    END IF;
    PERFORM lock_people(NEW.expert_id);
    IF {_OVERLAPPING_MEETING % "NEW.meeting_id"}
       OR EXISTS (
        SELECT 1 FROM offer_time AS held
        WHERE held.expert_id = NEW.expert_id
          AND held.held
          AND held.id <> NEW.id
          AND held.meeting_id <> NEW.meeting_id
          AND held.starts_at < NEW.ends_at
          AND NEW.starts_at < held.ends_at
    ) THEN
        RAISE EXCEPTION 'meeting_overlap' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$
"""

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
