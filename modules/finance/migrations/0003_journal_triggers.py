"""The journal's invariants in the database, whatever code writes to it:

- a posted entry balances (sum of debits = sum of credits), checked at commit by a DEFERRABLE INITIALLY
  DEFERRED constraint trigger on the entry (lines are written while the entry is a draft, then it is
  flipped to posted; the check sees the final lines);
- a posted entry and its lines never change: UPDATE or DELETE of a posted entry, and INSERT, UPDATE or
  DELETE of a line of a posted entry, are refused — which is also why checking the entry suffices;
- nothing is posted into a closed period.

Table names are qualified with TG_TABLE_SCHEMA at run time: a spare schema is renamed when a shop claims
it, and the search path at commit need not be the tenant's.
"""

from django.db import migrations

SQL = r"""
CREATE FUNCTION finance_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_status text;
    debits numeric;
    credits numeric;
BEGIN
    EXECUTE format(
        'SELECT e.status, COALESCE(SUM(l.debit), 0), COALESCE(SUM(l.credit), 0)'
        ' FROM %1$I.finance_journalentry e LEFT JOIN %1$I.finance_journalline l ON l.entry_id = e.id'
        ' WHERE e.id = $1 GROUP BY e.status', TG_TABLE_SCHEMA)
        INTO entry_status, debits, credits USING NEW.id;
    IF entry_status = 'posted' AND debits <> credits THEN
        RAISE EXCEPTION 'journal entry % does not balance: debits % <> credits %', NEW.id, debits, credits
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER finance_entry_balanced
    AFTER INSERT OR UPDATE ON finance_journalentry
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION finance_entry_balanced();

CREATE FUNCTION finance_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    period_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'posted' THEN
        RAISE EXCEPTION 'journal entry % is posted: it cannot be changed or deleted (reverse it instead)', OLD.number
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.status = 'posted' THEN
        EXECUTE format('SELECT status FROM %I.finance_period WHERE id = $1', TG_TABLE_SCHEMA)
            INTO period_status USING NEW.period_id;
        IF period_status = 'closed' THEN
            RAISE EXCEPTION 'the period of % is closed', NEW.date USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER finance_entry_guard
    BEFORE INSERT OR UPDATE OR DELETE ON finance_journalentry
    FOR EACH ROW EXECUTE FUNCTION finance_entry_guard();

CREATE FUNCTION finance_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    entry_status text;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        EXECUTE format('SELECT status FROM %I.finance_journalentry WHERE id = $1', TG_TABLE_SCHEMA)
            INTO entry_status USING OLD.entry_id;
        IF entry_status = 'posted' THEN
            RAISE EXCEPTION 'the lines of posted journal entry % cannot be changed', OLD.entry_id
                USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format('SELECT status FROM %I.finance_journalentry WHERE id = $1', TG_TABLE_SCHEMA)
            INTO entry_status USING NEW.entry_id;
        IF entry_status = 'posted' THEN
            RAISE EXCEPTION 'no lines can be added to posted journal entry %', NEW.entry_id
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END IF;
    RETURN OLD;
END
$$;

CREATE TRIGGER finance_line_guard
    BEFORE INSERT OR UPDATE OR DELETE ON finance_journalline
    FOR EACH ROW EXECUTE FUNCTION finance_line_guard();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS finance_line_guard ON finance_journalline;
DROP TRIGGER IF EXISTS finance_entry_guard ON finance_journalentry;
DROP TRIGGER IF EXISTS finance_entry_balanced ON finance_journalentry;
DROP FUNCTION IF EXISTS finance_line_guard();
DROP FUNCTION IF EXISTS finance_entry_guard();
DROP FUNCTION IF EXISTS finance_entry_balanced();
"""


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_chart_template")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
