"""On PostgreSQL, attendance_punch becomes PARTITION BY RANGE (work_date), one partition per month
and a DEFAULT partition (attendance.partitions); SQLite keeps the plain table. Every row is copied
under an exclusive lock: on a large table run it in a maintenance window (docs/deploy.md "Punch
partitions"). Reversible: the plain table with its primary key on id alone, every row copied back.

What differs between the two shapes (table, primary key, partition key) is written here; the rest
of the layout is read from the catalog by `rebuild_table` rather than taken from the model, so this
migration rebuilds what the migrations before it created even after the model or that module's
other functions change (see the note above `rebuild_table`)."""

from django.db import migrations

TABLE = "attendance_punch"


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from attendance.partition_table import rebuild_table

    rebuild_table(
        schema_editor.connection,
        TABLE,
        primary_key=("id", "work_date"),
        partition_key="work_date",
        order_by="work_date",
        ahead=3,
    )


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from attendance.partition_table import rebuild_table

    rebuild_table(schema_editor.connection, TABLE, primary_key=("id",), partition_key=None, order_by="work_date")


class Migration(migrations.Migration):
    dependencies = [("attendance", "0011_punch_keys_end_with_work_date")]

    operations = [migrations.RunPython(partition, unpartition)]
