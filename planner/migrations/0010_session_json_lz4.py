# A session's routine is about 2 kB of JSON, which PostgreSQL compresses (TOAST). With lz4 instead of its
# default, pglz, storing a roll-over page's sessions took about 40% less of PostgreSQL's CPU (0.07 s instead
# of 0.12 s for 500 people, with tests/bench/bench_rollover.py's data). lz4 needs PostgreSQL 14 or newer built
# with it (the official images are); elsewhere, and on other databases, this does nothing. Rows already stored
# keep their compression.

from django.db import migrations

COLUMNS = ("routine", "intervals")


def lz4_available(schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return False
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        return cursor.fetchone() is not None


def compress_with(method):
    def alter(apps, schema_editor):
        if not lz4_available(schema_editor):
            return
        for column in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE "planner_plannedsession" ALTER COLUMN "{column}" SET COMPRESSION {method}'
            )

    return alter


class Migration(migrations.Migration):

    dependencies = [
        ("planner", "0009_rollover_pages"),
    ]

    operations = [
        migrations.RunPython(compress_with("lz4"), compress_with("pglz")),
    ]
