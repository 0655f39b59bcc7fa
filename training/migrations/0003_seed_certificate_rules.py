from django.db import migrations


def seed(apps, schema_editor):
    from training.certificates import SEEDED_REQUIREMENTS

    WorkType = apps.get_model("core", "WorkType")
    WorkTypeCertificate = apps.get_model("training", "WorkTypeCertificate")
    for work_type in WorkType.objects.filter(code__in=SEEDED_REQUIREMENTS):
        WorkTypeCertificate.objects.get_or_create(
            work_type=work_type, defaults={"certificate_type": str(SEEDED_REQUIREMENTS[work_type.code])}
        )


class Migration(migrations.Migration):
    dependencies = [("training", "0002_certificates"), ("core", "0002_seed_code_tables")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
