"""Person masks (ID number, 工资卡号) and the masked numbers in import reports re-cut to 4 + 4
(pii.mask_id): the area code's last two digits and the 出生日期 beside them rebuilt the number.
Not reversed: the digits are not in the mask."""

from django.db import migrations


def tighten(apps, schema_editor):
    from jmzhgd.core.pii import mask_id, remask_column

    persons = apps.get_model("workforce", "Person").objects.all()
    remask_column(persons, "id_number_masked")
    remask_column(persons, "bank_card_number_masked")
    ImportBatch = apps.get_model("workforce", "ImportBatch")
    for batch in ImportBatch.objects.only("report").iterator(chunk_size=100):
        report = [{**row, "id": mask_id(row.get("id") or "")} for row in batch.report]
        if report != batch.report:
            batch.report = report
            batch.save(update_fields=["report"])


class Migration(migrations.Migration):
    dependencies = [("workforce", "0002_import_batches")]

    operations = [migrations.RunPython(tighten, migrations.RunPython.noop)]
