"""Audit rows written under the old 6 + 4 mask, or with a person's 出生日期 in before/after, are cut
down to what the log may show now: 4 + 4 masks, no birth date (pii.mask_id, audit.mask_values).

Not reversed: the digits removed are not stored anywhere in this table to put back, and must not be."""

from django.db import migrations
from django.db.models import Q

BATCH = 1000


def tighten(apps, schema_editor):
    from jmzhgd.core.audit import mask_values
    from jmzhgd.core.logging import mask_id_numbers, remask_old_masks

    AuditLog = apps.get_model("core", "AuditLog")
    rows = AuditLog.objects.filter(
        Q(before__isnull=False)
        | Q(after__isnull=False)
        | Q(summary__contains="********")
        | Q(object_repr__contains="********")
    ).only("summary", "object_repr", "before", "after")
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        new = (
            remask_old_masks(mask_id_numbers(row.summary)),
            remask_old_masks(mask_id_numbers(row.object_repr)),
            mask_values(row.before) if isinstance(row.before, dict) else row.before,
            mask_values(row.after) if isinstance(row.after, dict) else row.after,
        )
        if new != (row.summary, row.object_repr, row.before, row.after):
            row.summary, row.object_repr, row.before, row.after = new
            changed.append(row)
        if len(changed) >= BATCH:
            AuditLog.objects.bulk_update(changed, ["summary", "object_repr", "before", "after"])
            changed = []
    AuditLog.objects.bulk_update(changed, ["summary", "object_repr", "before", "after"])


class Migration(migrations.Migration):
    dependencies = [("core", "0005_rate_counter_unlogged")]

    operations = [migrations.RunPython(tighten, migrations.RunPython.noop)]
