"""The database refuses an active meeting that overlaps another active meeting of
the same expert, unless the new one is marked overlap-acknowledged.

SQLite: triggers on insert and update. PostgreSQL gets an exclusion constraint
(btree_gist) in the scale-out migration.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from app.db import sqlite_only

ACTIVE = "('AWAITING_APPROVAL', 'AGREED', 'IN_PROGRESS')"

_GUARD = f"""
    WHEN NEW.status IN {ACTIVE} AND NEW.overlap_acknowledged = 0
     AND NEW.starts_at IS NOT NULL
     AND EXISTS (
        SELECT 1 FROM meeting AS other
        WHERE other.expert_id = NEW.expert_id
          AND other.id != NEW.id
          AND other.status IN {ACTIVE}
          AND other.starts_at < NEW.ends_at
          AND NEW.starts_at < other.ends_at
     )
BEGIN
    SELECT RAISE(ABORT, 'meeting_overlap');
END
"""

SQLITE_FORWARD = [
    f"CREATE TRIGGER meeting_no_overlap_insert BEFORE INSERT ON meeting {_GUARD}",
    f"CREATE TRIGGER meeting_no_overlap_update BEFORE UPDATE ON meeting {_GUARD}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS meeting_no_overlap_insert",
    "DROP TRIGGER IF EXISTS meeting_no_overlap_update",
]


class Migration(migrations.Migration):
    dependencies = [("models", "0002_availability")]

    initial = False

    operations = [
        ops.RunPython(sqlite_only(SQLITE_FORWARD), sqlite_only(SQLITE_BACKWARD)),
    ]
