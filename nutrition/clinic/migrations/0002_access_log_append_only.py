from django.db import migrations

# Only the dietitian link may change (to NULL, when that account is deleted); anything else
# in an access-log row is refused by the database itself.
UNCHANGED = (
    "NEW.dietitian_id IS NULL AND NEW.client_id = OLD.client_id AND NEW.who = OLD.who "
    'AND NEW.what = OLD.what AND NEW."when" = OLD."when"'
)

SQLITE_CREATE = f"""
CREATE TRIGGER clinic_accesslog_append_only BEFORE UPDATE ON clinic_accesslog
WHEN NOT ({UNCHANGED})
BEGIN SELECT RAISE(ABORT, 'access log rows cannot be changed'); END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS clinic_accesslog_append_only;"

POSTGRES_CREATE = f"""
CREATE OR REPLACE FUNCTION clinic_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF {UNCHANGED} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'access log rows cannot be changed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clinic_accesslog_append_only BEFORE UPDATE ON clinic_accesslog
FOR EACH ROW EXECUTE FUNCTION clinic_accesslog_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS clinic_accesslog_append_only ON clinic_accesslog;
DROP FUNCTION IF EXISTS clinic_accesslog_append_only();
"""


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
