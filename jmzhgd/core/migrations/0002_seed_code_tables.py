from django.db import migrations


def seed(apps, schema_editor):
    from jmzhgd.core.seed_tables import MANAGEMENT_POSTS, WORK_TYPES

    WorkType = apps.get_model("core", "WorkType")
    ManagementPost = apps.get_model("core", "ManagementPost")
    for order, (code, name) in enumerate(WORK_TYPES):
        WorkType.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})
    for order, (code, name, corp_types) in enumerate(MANAGEMENT_POSTS):
        ManagementPost.objects.update_or_create(
            code=code, defaults={"name": name, "corp_types": corp_types, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
