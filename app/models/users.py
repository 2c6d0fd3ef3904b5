from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model


class User(Model):
    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    name = fields.CharField(max_length=120)
    time_zone = fields.CharField(max_length=64)
    is_admin = fields.BooleanField(default=False)
    calendar_token = fields.CharField(max_length=64, null=True, unique=True)
    phone_number = fields.CharField(max_length=16, null=True)
    # E.164 (domain/phone_numbers.py), for text messages.
    notification_preferences: dict[str, Any] | None = fields.JSONField(null=True)
    # domain/preferences.NotificationPreferences.stored(); null: the defaults.
    created_at = fields.DatetimeField()

    expert_profile: fields.BackwardOneToOneRelation["ExpertProfile"]

    class Meta:
        table = "user"


class ExpertProfile(Model):
    # Present for users who offer services; its id is the user's id.

    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name="expert_profile", on_delete=fields.CASCADE, primary_key=True
    )
    headline = fields.CharField(max_length=200, default="")
    skills: list[str] = fields.JSONField(default=list)
    client_cancellation_window_minutes = fields.IntField(default=24 * 60)
    short_notice_window_minutes = fields.IntField(default=48 * 60)
    join_window_minutes = fields.IntField(default=10)
    no_show_grace_minutes = fields.IntField(default=10)
    notes_window_minutes = fields.IntField(default=48 * 60)
    notes_required = fields.BooleanField(db_default=False)
    # The expert keeps notes of every session (domain/followups.notes_due_at).
    weekly_rules: list[dict[str, int]] = fields.JSONField(default=list)
    # [{"weekday": 0-6, "start_minute": int, "end_minute": int}], local wall-clock time
    buffer_before_minutes = fields.IntField(default=0)
    buffer_after_minutes = fields.IntField(default=0)
    minimum_notice_minutes = fields.IntField(default=60)
    horizon_days = fields.IntField(default=60)
    slot_step_minutes = fields.IntField(default=30)
    # Directory measures, kept by the effects of each change (domain/directory.py).
    responses = fields.IntField(default=0)
    response_business_seconds = fields.BigIntField(default=0)
    instant_takes = fields.IntField(default=0)
    take_seconds = fields.BigIntField(default=0)
    # Instant requests this expert took, and the seconds from each posting to the take.
    unrequested_rearrangements = fields.IntField(default=0)
    expert_cancellations = fields.IntField(default=0)
    platform_fee_percent = fields.IntField(null=True)
    # An admin's override of PLATFORM_FEE_PERCENT for this expert; null: the platform's.
    created_at = fields.DatetimeField()
    user_id: UUID

    class Meta:
        table = "expert_profile"


class ExpertSkill(Model):
    # One row per listed skill, so the directory filters by skill with an index;
    # kept equal to ExpertProfile.skills by services/users.py.
    id = fields.BigIntField(primary_key=True)
    expert: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="skill_rows", on_delete=fields.CASCADE
    )
    skill = fields.CharField(max_length=80)
    expert_id: UUID

    class Meta:
        table = "expert_skill"
        unique_together = (("skill", "expert_id"),)
