"""Stored ID-number masks re-cut from 6 + 4 to 4 + 4 (pii.mask_id): the area code's last two digits
and a birth date shown elsewhere rebuilt the number. Not reversed: the digits are not in the mask."""

from django.db import migrations


def tighten(apps, schema_editor):
    from jmzhgd.core.pii import remask_column

    remask_column(apps.get_model("enterprises", "ParticipatingUnit").objects.all(), "pm_id_number_masked")
    teams = apps.get_model("enterprises", "Team").objects.all()
    remask_column(teams, "leader_id_number_masked")
    remask_column(teams, "responsible_id_number_masked")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(tighten, migrations.RunPython.noop)]
