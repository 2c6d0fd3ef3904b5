from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='ExpertProfile',
            options={'table': 'expert_profile', 'app': 'models', 'pk_attr': 'user_id'},
        ),
    ]
