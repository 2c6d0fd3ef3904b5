"""An expert's time to take an instant request, beside their response time: counters."""

from tortoise import migrations

from app.db import add_counter


class Migration(migrations.Migration):
    dependencies = [('models', '0018_notes_required')]

    initial = False

    operations = [
        *add_counter("ExpertProfile", "expert_profile", "instant_takes"),
        *add_counter("ExpertProfile", "expert_profile", "take_seconds", "BIGINT"),
    ]
