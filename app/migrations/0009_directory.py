"""The expert directory: a table of listed skills (filled from the profiles) and the
measures each expert is judged by, kept as counters on the profile."""

import json
from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

from app.db import add_counter



async def backfill_skills(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    _count, rows = await client.execute_query("SELECT user_id, skills FROM expert_profile")
    for row in rows:
        skills = row["skills"]
        for skill in sorted(set(json.loads(skills) if isinstance(skills, str) else skills)):
            await client.execute_query(
                "INSERT INTO expert_skill (expert_id, skill) VALUES (?, ?)"
                if client.capabilities.dialect == "sqlite"
                else "INSERT INTO expert_skill (expert_id, skill) VALUES ($1, $2)",
                [str(row["user_id"]), skill],
            )


class Migration(migrations.Migration):
    dependencies = [('models', '0008_request_session')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExpertSkill',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('expert', fields.ForeignKeyField('models.User', source_field='expert_id', db_constraint=True, to_field='id', related_name='skill_rows', on_delete=OnDelete.CASCADE)),
                ('skill', fields.CharField(max_length=80)),
            ],
            options={'table': 'expert_skill', 'app': 'models', 'unique_together': (('skill', 'expert_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        *add_counter("ExpertProfile", "expert_profile", "expert_cancellations"),
        *add_counter("ExpertProfile", "expert_profile", "response_business_seconds", "BIGINT"),
        *add_counter("ExpertProfile", "expert_profile", "responses"),
        *add_counter("ExpertProfile", "expert_profile", "unrequested_rearrangements"),
        ops.AddField(
            model_name='Meeting',
            name='expert_answered_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(backfill_skills, ops.RunPython.noop),
    ]
