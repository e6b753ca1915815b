from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS goals_goalversion_search_gin ON goals_goalversion USING gin (search_document)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS goals_goalversion_search_gin")


class Migration(migrations.Migration):
    """The full-text index exists on PostgreSQL only; SQLite searches with a plain fallback."""

    dependencies = [("goals", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
