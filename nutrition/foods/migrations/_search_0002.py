"""The search structures exactly as migration 0002 made them, frozen here so that migrations
never run live code: `nutrition/foods/search/` may change, this file does not.

Later migrations after which Django has rebuilt the foods_food table on SQLite (which drops
its triggers) put them back with `restore_sqlite_triggers`. At run time the foods app's
post-migrate hook brings the structures up to date with the live code.
"""

# ruff: noqa: E501

SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS foods_food_fts USING fts5(head, sub, body, alias, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS foods_food_fts_words USING fts5vocab(foods_food_fts, 'row')",
    "CREATE TABLE IF NOT EXISTS foods_search_vocab (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, docs INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS foods_search_profile (food_id integer PRIMARY KEY, nutrients integer NOT NULL, portions integer NOT NULL)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS foods_search_vocab_trigram USING fts5(term, tokenize = 'trigram')",
    "CREATE TRIGGER IF NOT EXISTS foods_food_search_insert AFTER INSERT ON foods_food BEGIN INSERT INTO foods_food_fts(rowid, head, sub, body, alias) VALUES ((((CASE WHEN (NEW.data_type = 'branded' OR NEW.brand <> '') THEN 16 ELSE 0 END) + min(15, (length(NEW.name) - length(replace(NEW.name, ',', ''))))) * 4294967296 + NEW.id), CASE WHEN instr(NEW.name, ',') > 0 THEN substr(NEW.name, 1, instr(NEW.name, ',') - 1) ELSE NEW.name END, CASE WHEN instr(NEW.name, ',') = 0 THEN '' WHEN instr(substr(NEW.name, instr(NEW.name, ',') + 1), ',') > 0 THEN substr(substr(NEW.name, instr(NEW.name, ',') + 1), 1, instr(substr(NEW.name, instr(NEW.name, ',') + 1), ',') - 1) ELSE substr(NEW.name, instr(NEW.name, ',') + 1) END, NEW.name, (NEW.common_names || ' ' || NEW.brand)); END",
    "CREATE TRIGGER IF NOT EXISTS foods_food_search_delete AFTER DELETE ON foods_food BEGIN DELETE FROM foods_food_fts WHERE rowid = (((CASE WHEN (OLD.data_type = 'branded' OR OLD.brand <> '') THEN 16 ELSE 0 END) + min(15, (length(OLD.name) - length(replace(OLD.name, ',', ''))))) * 4294967296 + OLD.id); END",
    "CREATE TRIGGER IF NOT EXISTS foods_food_search_update AFTER UPDATE OF name, common_names, brand, data_type ON foods_food BEGIN DELETE FROM foods_food_fts WHERE rowid = (((CASE WHEN (OLD.data_type = 'branded' OR OLD.brand <> '') THEN 16 ELSE 0 END) + min(15, (length(OLD.name) - length(replace(OLD.name, ',', ''))))) * 4294967296 + OLD.id); INSERT INTO foods_food_fts(rowid, head, sub, body, alias) VALUES ((((CASE WHEN (NEW.data_type = 'branded' OR NEW.brand <> '') THEN 16 ELSE 0 END) + min(15, (length(NEW.name) - length(replace(NEW.name, ',', ''))))) * 4294967296 + NEW.id), CASE WHEN instr(NEW.name, ',') > 0 THEN substr(NEW.name, 1, instr(NEW.name, ',') - 1) ELSE NEW.name END, CASE WHEN instr(NEW.name, ',') = 0 THEN '' WHEN instr(substr(NEW.name, instr(NEW.name, ',') + 1), ',') > 0 THEN substr(substr(NEW.name, instr(NEW.name, ',') + 1), 1, instr(substr(NEW.name, instr(NEW.name, ',') + 1), ',') - 1) ELSE substr(NEW.name, instr(NEW.name, ',') + 1) END, NEW.name, (NEW.common_names || ' ' || NEW.brand)); END",
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS foods_food_search_insert",
    "DROP TRIGGER IF EXISTS foods_food_search_delete",
    "DROP TRIGGER IF EXISTS foods_food_search_update",
    "DROP TABLE IF EXISTS foods_food_fts_words",
    "DROP TABLE IF EXISTS foods_food_fts",
    "DROP TABLE IF EXISTS foods_search_vocab_trigram",
    "DROP TABLE IF EXISTS foods_search_vocab",
    "DROP TABLE IF EXISTS foods_search_profile",
]

PG_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "ALTER TABLE foods_food ADD COLUMN IF NOT EXISTS search_document tsvector, ADD COLUMN IF NOT EXISTS search_rank smallint NOT NULL DEFAULT 0",
    "ALTER TABLE foods_food ALTER COLUMN search_document SET STATISTICS 1000",
    "\nCREATE OR REPLACE FUNCTION foods_search_words(t text) RETURNS text\nLANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$\n    SELECT regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary,\n                                                 coalesce(t, ''))), '[^a-z0-9]+', ' ', 'g')\n$$;\n\nCREATE OR REPLACE FUNCTION foods_food_search_document() RETURNS trigger\nLANGUAGE plpgsql AS $$\nDECLARE\n    parts text[] := string_to_array(coalesce(NEW.name, ''), ',');\nBEGIN\n    NEW.search_document :=\n           setweight(to_tsvector('simple', foods_search_words(parts[1])), 'A')\n        || setweight(to_tsvector('simple', foods_search_words(parts[2])), 'B')\n        || setweight(to_tsvector('simple', foods_search_words(NEW.name)), 'C')\n        || setweight(to_tsvector('simple',\n               foods_search_words(NEW.common_names || ' ' || NEW.brand)), 'D');\n    NEW.search_rank :=\n        (CASE WHEN NEW.data_type = 'branded' OR NEW.brand <> '' THEN 16 ELSE 0 END)\n        + least(15, coalesce(array_length(parts, 1), 1) - 1);\n    RETURN NEW;\nEND\n$$;\n",
    "DROP TRIGGER IF EXISTS foods_food_search ON foods_food",
    "CREATE TRIGGER foods_food_search BEFORE INSERT OR UPDATE OF name, common_names, brand, data_type ON foods_food FOR EACH ROW EXECUTE FUNCTION foods_food_search_document()",
    "CREATE INDEX IF NOT EXISTS foods_food_search_gin ON foods_food USING gin (search_document) WITH (fastupdate = off)",
    "CREATE INDEX IF NOT EXISTS foods_food_search_generic_gin ON foods_food USING gin (search_document) WITH (fastupdate = off) WHERE search_rank < 16",
    "CREATE TABLE IF NOT EXISTS foods_search_vocab (term text PRIMARY KEY, docs integer NOT NULL)",
    "DROP INDEX IF EXISTS foods_search_vocab_trgm",
    "CREATE INDEX IF NOT EXISTS foods_search_vocab_trgm_gist ON foods_search_vocab USING gist (term gist_trgm_ops)",
    "CREATE TABLE IF NOT EXISTS foods_search_profile (food_id bigint PRIMARY KEY, nutrients integer NOT NULL, portions integer NOT NULL)",
]

PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS foods_food_search ON foods_food",
    "DROP FUNCTION IF EXISTS foods_food_search_document()",
    "DROP FUNCTION IF EXISTS foods_search_words(text)",
    "ALTER TABLE foods_food DROP COLUMN IF EXISTS search_document, DROP COLUMN IF EXISTS search_rank",
    "DROP TABLE IF EXISTS foods_search_vocab",
]


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_INSTALL, "postgresql": PG_INSTALL}.get(vendor, [])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_UNINSTALL, "postgresql": PG_UNINSTALL}.get(vendor, [])
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def restore_sqlite_triggers(apps, schema_editor) -> None:
    """After a migration that rebuilt foods_food on SQLite: its search triggers again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in SQLITE_INSTALL:
            if sql.startswith("CREATE TRIGGER"):
                cursor.execute(sql)
