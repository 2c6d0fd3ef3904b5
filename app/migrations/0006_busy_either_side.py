"""The double-booking guard agrees with the service's one definition of busy.

A meeting being written may not take its expert's time while another active
meeting takes it, on either side (the expert booked as someone's client is
busy too), unless the written meeting is marked overlap-acknowledged. This is
exactly what the service refuses (`services/busy.py`): SLOT_TAKEN for a
booking, CONFLICT_NOT_ACKNOWLEDGED for an expert's unacknowledged action.

An update is checked only when the row newly claims that time: it becomes
active, moves, changes expert, loses its acknowledgement, or the expert
approves it. Other updates (joining, settling) keep the time they already had,
so an acknowledged overlap made later cannot block them.

Buffers and imported calendar blocks are availability, checked at booking:
they are the expert's preferences, not a second meeting in the same time.

Also: a job's kind is stored as text, so an unknown kind can be read and failed.
SQLite: triggers. PostgreSQL gets its own guard in the scale-out migration.
"""

from importlib import import_module

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from app.db import sqlite_only

ACTIVE = "('AWAITING_APPROVAL', 'AGREED', 'IN_PROGRESS')"

_TAKES_BUSY_TIME = f"""
    NEW.status IN {ACTIVE} AND NEW.overlap_acknowledged = 0
    AND NEW.starts_at IS NOT NULL
    AND EXISTS (
        SELECT 1 FROM meeting AS other
        WHERE (other.expert_id = NEW.expert_id OR other.client_id = NEW.expert_id)
          AND other.id != NEW.id
          AND other.status IN {ACTIVE}
          AND other.starts_at < NEW.ends_at
          AND NEW.starts_at < other.ends_at
    )
"""
_NEWLY_CLAIMS_TIME = f"""
    (OLD.status NOT IN {ACTIVE}
     OR OLD.starts_at IS NOT NEW.starts_at
     OR OLD.ends_at IS NOT NEW.ends_at
     OR OLD.expert_id IS NOT NEW.expert_id
     OR OLD.overlap_acknowledged != 0
     OR (OLD.expert_approved = 0 AND NEW.expert_approved != 0))
"""
_REFUSE = "BEGIN SELECT RAISE(ABORT, 'meeting_overlap'); END"

FORWARD = [
    "DROP TRIGGER IF EXISTS meeting_no_overlap_insert",
    "DROP TRIGGER IF EXISTS meeting_no_overlap_update",
    f"CREATE TRIGGER meeting_no_overlap_insert BEFORE INSERT ON meeting WHEN {_TAKES_BUSY_TIME} {_REFUSE}",
    f"CREATE TRIGGER meeting_no_overlap_update BEFORE UPDATE ON meeting "
    f"WHEN {_NEWLY_CLAIMS_TIME} AND {_TAKES_BUSY_TIME} {_REFUSE}",
]


BACKWARD = [
    *FORWARD[:2],
    *import_module("app.migrations.0003_no_double_booking").SQLITE_FORWARD,
]


class Migration(migrations.Migration):
    dependencies = [("models", "0005_notes_are_immutable")]

    initial = False

    operations = [
        ops.AlterField(
            model_name="ScheduledJob",
            name="kind",
            field=fields.CharField(max_length=24),
        ),
        ops.RunPython(sqlite_only(FORWARD), sqlite_only(BACKWARD)),
    ]
