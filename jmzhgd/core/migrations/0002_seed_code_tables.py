from django.db import migrations


def seed(apps, schema_editor):
    from jmzhgd.core.seed_tables import seed_code_tables

    seed_code_tables(apps.get_model("core", "WorkType"), apps.get_model("core", "ManagementPost"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
