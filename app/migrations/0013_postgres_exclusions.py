"""PostgreSQL: exclusion constraints under the guard of 0012, a second line of defence.

What the triggers enforce has a symmetric core that a constraint can state on its
own, whatever code or lock is in play: no two unacknowledged active meetings of one
expert overlap, and no two unacknowledged held times of one expert, for different
meetings, overlap. The triggers refuse more (an expert's time as a client, a meeting
against a held time, an unacknowledged claim against an acknowledged one); the
constraints never refuse what they allow. A violation names `meeting_overlap`, so
the service answers it as it answers the triggers: SLOT_TAKEN.

btree_gist lets `=` and `<>` on uuids share a GiST index with `&&` on ranges; the
migration creates it (a role that may not create extensions needs a DBA to run
`CREATE EXTENSION btree_gist` once).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from app.db import postgres_only

ACTIVE = "('AWAITING_APPROVAL', 'AGREED', 'IN_PROGRESS')"

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE meeting ADD CONSTRAINT meeting_overlap_excluded EXCLUDE USING gist (
        expert_id WITH =, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (status IN {ACTIVE} AND NOT overlap_acknowledged AND starts_at IS NOT NULL)""",
    """ALTER TABLE offer_time ADD CONSTRAINT offer_time_meeting_overlap_excluded EXCLUDE USING gist (
        expert_id WITH =, meeting_id WITH <>, tstzrange(starts_at, ends_at) WITH &&
    ) WHERE (held AND NOT overlap_acknowledged)""",
]
BACKWARD = [
    "ALTER TABLE offer_time DROP CONSTRAINT IF EXISTS offer_time_meeting_overlap_excluded",
    "ALTER TABLE meeting DROP CONSTRAINT IF EXISTS meeting_overlap_excluded",
]


class Migration(migrations.Migration):
    dependencies = [("models", "0012_postgres_guards")]

    initial = False

    operations = [ops.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
