from tortoise import fields
from tortoise.models import Model


class Service(Model):
    id = fields.UUIDField(primary_key=True)
    expert = fields.ForeignKeyField("models.User", related_name="services", on_delete=fields.CASCADE)
    title = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    offerings = fields.JSONField()
    """[{"duration_minutes": int, "price_credits": int}], sorted by duration."""
    modes = fields.JSONField()
    location = fields.CharField(max_length=300, null=True)
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "service"
