"""Rate counters need no crash safety: on PostgreSQL their table is UNLOGGED.

Every API request counts itself in core_ratecounter in its own little transaction. A logged table
makes each of those commits wait for a WAL flush; an unlogged one writes no WAL, so the commit does
not wait. After a crash PostgreSQL empties the table, which only restarts the current minute's
count. Other databases have no such option and keep the table as it is.
"""

from django.db import migrations


def set_logging(logged: bool):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("core", "RateCounter")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} SET {'LOGGED' if logged else 'UNLOGGED'}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0004_rate_counter_labels")]

    operations = [migrations.RunPython(set_logging(False), set_logging(True))]
