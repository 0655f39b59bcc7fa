"""The per-project on-site count (workforce.models.ProjectSiteCount), kept by triggers on the roster.

"On site" is RosterEntry.objects.on_site(): exit_date IS NULL. Every statement that inserts,
updates or deletes roster rows, whoever sends it, moves the counts of the projects it touched.

PostgreSQL: statement-level triggers with transition tables, so a 5,000-row import or a bulk
update changes each touched project's count once per statement, not once per row. Increments are
an upsert (the project may have no row yet, ordered by project to take the row locks in one order);
decrements only UPDATE an existing row, so a cascade that has already removed the count row never
inserts a new one.

SQLite (no transition tables): row-level triggers doing the same per row.

A table remade by SQLite's schema editor (some later ALTERs of the roster) loses its triggers; the
tests of tests/workforce/test_site_counts.py run on the migrated database and would fail.
"""

import django.db.models.deletion
from django.db import migrations, models

ROSTER = "workforce_rosterentry"
COUNTS = "workforce_projectsitecount"

POSTGRESQL_CREATE = f"""
CREATE FUNCTION workforce_site_count_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {COUNTS} AS c (project_id, on_site_count)
    SELECT project_id, count(*) FROM new_rows WHERE exit_date IS NULL
    GROUP BY project_id ORDER BY project_id
    ON CONFLICT (project_id) DO UPDATE SET on_site_count = c.on_site_count + EXCLUDED.on_site_count;
    RETURN NULL;
END $$;

CREATE FUNCTION workforce_site_count_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {COUNTS} AS c SET on_site_count = c.on_site_count - d.n
    FROM (SELECT project_id, count(*) AS n FROM old_rows WHERE exit_date IS NULL GROUP BY project_id) AS d
    WHERE c.project_id = d.project_id;
    RETURN NULL;
END $$;

-- An UPDATE may exit stays, undo an exit (re-entry), or move a stay to another project: the change
-- per project is (on site after) - (on site before), and only the projects where it is not 0 move.
CREATE FUNCTION workforce_site_count_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH d AS (
        SELECT project_id, sum(n) AS n FROM (
            SELECT project_id, 1 AS n FROM new_rows WHERE exit_date IS NULL
            UNION ALL
            SELECT project_id, -1 AS n FROM old_rows WHERE exit_date IS NULL
        ) AS moves
        GROUP BY project_id HAVING sum(n) <> 0
    ), decreased AS (
        UPDATE {COUNTS} AS c SET on_site_count = c.on_site_count + d.n
        FROM d WHERE d.n < 0 AND c.project_id = d.project_id
    )
    INSERT INTO {COUNTS} AS c (project_id, on_site_count)
    SELECT project_id, n FROM d WHERE n > 0 ORDER BY project_id
    ON CONFLICT (project_id) DO UPDATE SET on_site_count = c.on_site_count + EXCLUDED.on_site_count;
    RETURN NULL;
END $$;

CREATE TRIGGER workforce_site_count_after_insert AFTER INSERT ON {ROSTER}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workforce_site_count_after_insert();
CREATE TRIGGER workforce_site_count_after_delete AFTER DELETE ON {ROSTER}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workforce_site_count_after_delete();
CREATE TRIGGER workforce_site_count_after_update AFTER UPDATE ON {ROSTER}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION workforce_site_count_after_update();
"""

POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS workforce_site_count_after_insert ON {ROSTER};
DROP TRIGGER IF EXISTS workforce_site_count_after_delete ON {ROSTER};
DROP TRIGGER IF EXISTS workforce_site_count_after_update ON {ROSTER};
DROP FUNCTION IF EXISTS workforce_site_count_after_insert();
DROP FUNCTION IF EXISTS workforce_site_count_after_delete();
DROP FUNCTION IF EXISTS workforce_site_count_after_update();
"""

# SQLite's upsert after INSERT ... SELECT needs a WHERE clause to parse; it carries the condition.
_SQLITE_INCREMENT = f"""
    INSERT INTO {COUNTS} (project_id, on_site_count) SELECT NEW.project_id, 1 WHERE NEW.exit_date IS NULL
    ON CONFLICT (project_id) DO UPDATE SET on_site_count = on_site_count + 1;"""
_SQLITE_DECREMENT = f"""
    UPDATE {COUNTS} SET on_site_count = on_site_count - 1
    WHERE project_id = OLD.project_id AND OLD.exit_date IS NULL;"""

SQLITE_CREATE = [
    f"CREATE TRIGGER workforce_site_count_after_insert AFTER INSERT ON {ROSTER} BEGIN"
    f"{_SQLITE_INCREMENT}\nEND",
    f"CREATE TRIGGER workforce_site_count_after_delete AFTER DELETE ON {ROSTER} BEGIN"
    f"{_SQLITE_DECREMENT}\nEND",
    f"CREATE TRIGGER workforce_site_count_after_update AFTER UPDATE OF project_id, exit_date ON {ROSTER} BEGIN"
    f"{_SQLITE_DECREMENT}{_SQLITE_INCREMENT}\nEND",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS workforce_site_count_after_{event}" for event in ("insert", "delete", "update")
]

BACKFILL = f"""
INSERT INTO {COUNTS} (project_id, on_site_count)
SELECT project_id, count(*) FROM {ROSTER} WHERE exit_date IS NULL GROUP BY project_id
"""


def create_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_CREATE)
        else:
            for statement in SQLITE_CREATE:
                cursor.execute(statement)
        cursor.execute(f"DELETE FROM {COUNTS}")
        cursor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_DROP)
        else:
            for statement in SQLITE_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0002_declarations_permits'),
        ('workforce', '0006_roster_project_entry_date_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectSiteCount',
            fields=[
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='site_count', serialize=False, to='projects.project', verbose_name='项目')),
                ('on_site_count', models.IntegerField(default=0, verbose_name='在场人数')),
            ],
            options={
                'verbose_name': '项目在场人数',
                'verbose_name_plural': '项目在场人数',
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
