"""Database triggers that refuse UPDATE and DELETE on the audit log (SQLite and PostgreSQL).

The model refuses changes too; the triggers also stop raw SQL and other clients.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "review_auditevent"

SQLITE_UP = [
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
]
SQLITE_DOWN = [f"DROP TRIGGER {TABLE}_no_update;", f"DROP TRIGGER {TABLE}_no_delete;"]

POSTGRES_UP = [
    "CREATE OR REPLACE FUNCTION review_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION review_audit_append_only();",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION review_audit_append_only();",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER {TABLE}_append_only ON {TABLE};",
    f"DROP TRIGGER {TABLE}_no_truncate ON {TABLE};",
    "DROP FUNCTION review_audit_append_only();",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
