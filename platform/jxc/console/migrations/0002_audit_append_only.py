"""The audit log is append-only in the database too, not just in the console's views.

A row trigger refuses UPDATE and DELETE for every client (the ORM, psql, a future admin), so
an entry, once written, stays as written. TRUNCATE is left alone: test databases are flushed with it.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION console_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'console audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER console_audit_append_only
    BEFORE UPDATE OR DELETE ON console_consoleauditentry
    FOR EACH ROW EXECUTE FUNCTION console_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS console_audit_append_only ON console_consoleauditentry;
DROP FUNCTION IF EXISTS console_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("console", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
