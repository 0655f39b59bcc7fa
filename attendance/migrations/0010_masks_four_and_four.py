"""Punch ID-number masks re-cut from 6 + 4 to 4 + 4 (pii.mask_id), in SQL: a matched punch keeps only
its mask, and there may be millions. Not reversed: the digits are not in the mask."""

from django.db import migrations


def tighten(apps, schema_editor):
    from jmzhgd.core.pii import remask_column

    remask_column(apps.get_model("attendance", "Punch").objects.all(), "id_number_masked")


class Migration(migrations.Migration):
    dependencies = [("attendance", "0009_punch_number_for_anomalies_only")]

    operations = [migrations.RunPython(tighten, migrations.RunPython.noop)]
