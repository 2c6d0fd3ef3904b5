"""Notifications get the order they were written in (`sequence`), given by the database on
insert: those one change writes share `created_at`, and their random ids order nothing.
SQLite: the row's own rowid (it only grows), set by a trigger; PostgreSQL: a sequence, the
column's default (the ORM leaves the column out of its INSERT: `db_default`)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from app.db import postgres_only, sqlite_only

SQLITE = [
    "UPDATE notification SET sequence = rowid",
    """CREATE TRIGGER notification_sequence AFTER INSERT ON notification
    BEGIN
        UPDATE notification SET sequence = NEW.rowid WHERE rowid = NEW.rowid;
    END""",
    "CREATE INDEX idx_notification_recipient_sequence ON notification (recipient_id, sequence)",
]
POSTGRES = [
    "CREATE SEQUENCE notification_sequence_seq",
    """UPDATE notification SET sequence = numbered.n FROM (
        SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM notification
    ) AS numbered WHERE notification.id = numbered.id""",
    "SELECT setval('notification_sequence_seq', (SELECT COALESCE(MAX(sequence), 0) + 1 FROM notification), false)",
    "ALTER TABLE notification ALTER COLUMN sequence SET DEFAULT nextval('notification_sequence_seq')",
    "CREATE INDEX idx_notification_recipient_sequence ON notification (recipient_id, sequence)",
]


class Migration(migrations.Migration):
    dependencies = [('models', '0016_request_holds')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Notification',
            name='sequence',
            field=fields.BigIntField(db_default=0),
        ),
        ops.RunPython(sqlite_only(SQLITE), ops.RunPython.noop),
        ops.RunPython(postgres_only(POSTGRES), ops.RunPython.noop),
    ]
