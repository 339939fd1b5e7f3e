"""ExecutionTache moves from intake to operations: same table, only Django's state changes."""

import django.utils.timezone
from django.db import migrations, models


def renommer_type_de_contenu(apps, schema_editor):
    """Permissions and logs keep pointing at the same model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="operations", model="executiontache").exists():
        ContentType.objects.filter(app_label="intake", model="executiontache").update(app_label="operations")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("intake", "0010_demande_civilite"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ExecutionTache",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("tache", models.CharField(db_index=True, max_length=60, verbose_name="tâche")),
                        ("debut", models.DateTimeField(default=django.utils.timezone.now, verbose_name="début")),
                        ("fin", models.DateTimeField(blank=True, null=True, verbose_name="fin")),
                        ("succes", models.BooleanField(default=False, verbose_name="succès")),
                        ("message", models.TextField(blank=True, verbose_name="message")),
                    ],
                    options={
                        "verbose_name": "exécution de tâche",
                        "verbose_name_plural": "exécutions de tâches",
                        "ordering": ["-debut"],
                        "db_table": "intake_executiontache",
                        "indexes": [models.Index(fields=["tache", "-debut"], name="execution_tache_recente")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(renommer_type_de_contenu, migrations.RunPython.noop),
    ]
