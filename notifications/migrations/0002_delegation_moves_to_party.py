"""Delegations now live in `admission` (admission/migrations/0010): Django forgets the model here, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('admission', '0010_delegation_moves_to_party'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Delegation')],
            database_operations=[],
        ),
    ]
