"""Session notes are never edited or deleted: the database refuses both."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from app.db import sqlite_only

FORWARD = [
    "CREATE TRIGGER note_no_update BEFORE UPDATE ON note BEGIN SELECT RAISE(ABORT, 'note_immutable'); END",
    "CREATE TRIGGER note_no_delete BEFORE DELETE ON note BEGIN SELECT RAISE(ABORT, 'note_immutable'); END",
]
BACKWARD = ["DROP TRIGGER IF EXISTS note_no_update", "DROP TRIGGER IF EXISTS note_no_delete"]


class Migration(migrations.Migration):
    dependencies = [("models", "0004_sessions")]

    initial = False

    operations = [ops.RunPython(sqlite_only(FORWARD), sqlite_only(BACKWARD))]
