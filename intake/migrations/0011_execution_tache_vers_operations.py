"""ExecutionTache now belongs to the operations app (operations 0001 takes over the same table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_demande_civilite"),
        ("operations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ExecutionTache")],
            database_operations=[],
        ),
    ]
