from tortoise import fields
from tortoise.models import Model


class Notification(Model):
    id = fields.UUIDField(primary_key=True)
    recipient = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    type = fields.CharField(max_length=40)
    meeting = fields.ForeignKeyField(
        "models.Meeting", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    text = fields.CharField(max_length=500)
    channels = fields.JSONField()
    email_delivery = fields.CharField(max_length=16, default="PENDING")
    """PENDING until the mail sender (timed work) delivers it; SENT or FAILED after."""
    read_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "notification"
        indexes = (("recipient_id", "created_at"),)
