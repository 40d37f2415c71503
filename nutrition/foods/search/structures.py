"""The search index's tables, triggers and indexes, and their refresh after a load.

SQLite: an FTS5 table kept in step by triggers, a vocabulary and its trigram index.
PostgreSQL: a weighted tsvector column kept by a trigger, GIN indexes and a pg_trgm
vocabulary. Both tokenise names the same way (lower-case ASCII letter and digit runs).
"""

# SQL here interpolates only module constants and fixed fragments; whatever the person typed
# is always passed as a query parameter.
# ruff: noqa: S608
from __future__ import annotations

from django.db import connection, transaction

FTS_TABLE = "foods_food_fts"  # SQLite FTS5 index of foods
VOCAB_TABLE = "foods_search_vocab"  # words of food names with their document counts
VOCAB_TRIGRAMS = "foods_search_vocab_trigram"  # SQLite FTS5 trigram index of the words
# How fully USDA describes each food (nutrient values, household portions), counted at each
# refresh: a ranking signal that would cost two counts per candidate at search time. Foods
# added since the last refresh are counted live.
PROFILE_TABLE = "foods_search_profile"
_PROFILE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {PROFILE_TABLE} ("
    "food_id {id_type} PRIMARY KEY, nutrients integer NOT NULL, portions integer NOT NULL)"
)
_PROFILE_FILL = (
    f"INSERT INTO {PROFILE_TABLE}(food_id, nutrients, portions) "
    "SELECT f.id, coalesce(n.c, 0), coalesce(p.c, 0) FROM foods_food f "
    "LEFT JOIN (SELECT food_id, count(*) AS c FROM foods_foodnutrient GROUP BY food_id) n "
    "ON n.food_id = f.id "
    "LEFT JOIN (SELECT food_id, count(*) AS c FROM foods_portion GROUP BY food_id) p "
    "ON p.food_id = f.id"
)

# A food's `rank` orders candidates inside the index: branded foods after the rest, then by
# the number of comma segments (fewer = more generic). On SQLite it is the high half of the
# FTS rowid (rank × 2^32 + food id) so that FTS5's native rowid order is "most generic first".
BRANDED_RANK = 16
_ROWID_SHIFT = 4294967296


def _sqlite_rank(row: str) -> str:
    commas = f"(length({row}.name) - length(replace({row}.name, ',', '')))"
    branded = f"({row}.data_type = 'branded' OR {row}.brand <> '')"
    return f"((CASE WHEN {branded} THEN {BRANDED_RANK} ELSE 0 END) + min(15, {commas}))"


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_columns(row: str) -> dict[str, str]:
    """SQL for the indexed columns of one foods_food row (`NEW`, `OLD` or a table alias)."""
    name = f"{row}.name"
    rest = f"substr({name}, instr({name}, ',') + 1)"
    return {
        "rowid": f"({_sqlite_rank(row)} * {_ROWID_SHIFT} + {row}.id)",
        # The first comma segment (the food's head noun in USDA names) and the second one.
        "head": f"CASE WHEN instr({name}, ',') > 0 THEN substr({name}, 1, instr({name}, ',') - 1)"
        f" ELSE {name} END",
        "sub": f"CASE WHEN instr({name}, ',') = 0 THEN '' WHEN instr({rest}, ',') > 0"
        f" THEN substr({rest}, 1, instr({rest}, ',') - 1) ELSE {rest} END",
        "body": name,
        "alias": f"({row}.common_names || ' ' || {row}.brand)",
    }


def _sqlite_insert(row: str) -> str:
    c = _sqlite_columns(row)
    return (
        f"INSERT INTO {FTS_TABLE}(rowid, head, sub, body, alias) "
        f"VALUES ({c['rowid']}, {c['head']}, {c['sub']}, {c['body']}, {c['alias']});"
    )


def _sqlite_delete(row: str) -> str:
    return f"DELETE FROM {FTS_TABLE} WHERE rowid = {_sqlite_columns(row)['rowid']};"


def _sqlite_install(cursor) -> None:
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
        "head, sub, body, alias, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}_words USING fts5vocab({FTS_TABLE}, 'row')"
    )
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {VOCAB_TABLE} ("
        "id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, docs INTEGER NOT NULL)"
    )
    cursor.execute(_PROFILE_TABLE.format(id_type="integer"))
    cursor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TRIGRAMS} USING fts5("
        "term, tokenize = 'trigram')"
    )
    # Triggers keep the index in step with every write, whoever makes it.
    cursor.execute(
        "CREATE TRIGGER IF NOT EXISTS foods_food_search_insert AFTER INSERT ON foods_food "
        f"BEGIN {_sqlite_insert('NEW')} END"
    )
    cursor.execute(
        "CREATE TRIGGER IF NOT EXISTS foods_food_search_delete AFTER DELETE ON foods_food "
        f"BEGIN {_sqlite_delete('OLD')} END"
    )
    cursor.execute(
        "CREATE TRIGGER IF NOT EXISTS foods_food_search_update AFTER UPDATE OF "
        "name, common_names, brand, data_type ON foods_food "
        f"BEGIN {_sqlite_delete('OLD')} {_sqlite_insert('NEW')} END"
    )


def _sqlite_uninstall(cursor) -> None:
    for trigger in ("insert", "delete", "update"):
        cursor.execute(f"DROP TRIGGER IF EXISTS foods_food_search_{trigger}")
    for table in (f"{FTS_TABLE}_words", FTS_TABLE, VOCAB_TRIGRAMS):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"DROP TABLE IF EXISTS {VOCAB_TABLE}")
    cursor.execute(f"DROP TABLE IF EXISTS {PROFILE_TABLE}")


def _sqlite_rebuild(cursor, *, index: bool) -> None:
    if index:
        c = _sqlite_columns("f")
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, head, sub, body, alias) "
            f"SELECT {c['rowid']}, {c['head']}, {c['sub']}, {c['body']}, {c['alias']} "
            "FROM foods_food f"
        )
    cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    cursor.execute(f"DELETE FROM {VOCAB_TABLE}")
    cursor.execute(f"INSERT INTO {VOCAB_TABLE}(term, docs) SELECT term, doc FROM {FTS_TABLE}_words")
    cursor.execute(f"DELETE FROM {VOCAB_TRIGRAMS}")
    cursor.execute(f"INSERT INTO {VOCAB_TRIGRAMS}(rowid, term) SELECT id, term FROM {VOCAB_TABLE}")
    cursor.execute(f"INSERT INTO {VOCAB_TRIGRAMS}({VOCAB_TRIGRAMS}) VALUES ('optimize')")
    cursor.execute(f"DELETE FROM {PROFILE_TABLE}")
    cursor.execute(_PROFILE_FILL)


# --- PostgreSQL --------------------------------------------------------------------------------

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION foods_search_words(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary,
                                                 coalesce(t, ''))), '[^a-z0-9]+', ' ', 'g')
$$;

CREATE OR REPLACE FUNCTION foods_food_search_document() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parts text[] := string_to_array(coalesce(NEW.name, ''), ',');
BEGIN
    NEW.search_document :=
           setweight(to_tsvector('simple', foods_search_words(parts[1])), 'A')
        || setweight(to_tsvector('simple', foods_search_words(parts[2])), 'B')
        || setweight(to_tsvector('simple', foods_search_words(NEW.name)), 'C')
        || setweight(to_tsvector('simple',
               foods_search_words(NEW.common_names || ' ' || NEW.brand)), 'D');
    NEW.search_rank :=
        (CASE WHEN NEW.data_type = 'branded' OR NEW.brand <> '' THEN {BRANDED_RANK} ELSE 0 END)
        + least(15, coalesce(array_length(parts, 1), 1) - 1);
    RETURN NEW;
END
$$;
"""


def _pg_missing(cursor) -> set[str]:
    """Which of the pieces on foods_food are missing (checked in the catalogue, because DDL
    on the table is refused inside a transaction with pending foreign-key checks)."""
    cursor.execute(
        "SELECT name FROM unnest(%s::text[]) AS name WHERE NOT EXISTS ("
        " SELECT 1 FROM pg_attribute WHERE attrelid = 'foods_food'::regclass"
        "  AND attname = name AND NOT attisdropped) AND NOT EXISTS ("
        " SELECT 1 FROM pg_trigger WHERE tgrelid = 'foods_food'::regclass AND tgname = name)"
        " AND to_regclass(name) IS NULL",
        [["search_document", "foods_food_search", *_PG_INDEXES]],
    )
    return {row[0] for row in cursor.fetchall()}


_PG_INDEXES = {
    "foods_food_search_gin": "(search_document) WITH (fastupdate = off)",
    # The generic foods (SR28 and the like) get their own small index: most searches are
    # answered from it even when hundreds of thousands of branded foods share the table.
    "foods_food_search_generic_gin": (
        f"(search_document) WITH (fastupdate = off) WHERE search_rank < {BRANDED_RANK}"
    ),
}


def _pg_install(cursor) -> None:
    missing = _pg_missing(cursor)
    if missing:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    if "search_document" in missing:
        # Two columns Django does not manage: the weighted document (A = first name segment,
        # B = second, C = the whole name, D = common names and brand) and the pool order.
        cursor.execute(
            "ALTER TABLE foods_food ADD COLUMN IF NOT EXISTS search_document tsvector, "
            "ADD COLUMN IF NOT EXISTS search_rank smallint NOT NULL DEFAULT 0"
        )
        # Finer statistics of the words: without them the planner overestimates rare words
        # among branded foods and scans the whole table instead of the index.
        cursor.execute("ALTER TABLE foods_food ALTER COLUMN search_document SET STATISTICS 1000")
    cursor.execute(_PG_FUNCTIONS)
    if "foods_food_search" in missing:
        cursor.execute(
            "CREATE TRIGGER foods_food_search BEFORE INSERT OR UPDATE OF "
            "name, common_names, brand, data_type ON foods_food "
            "FOR EACH ROW EXECUTE FUNCTION foods_food_search_document()"
        )
    for name, definition in _PG_INDEXES.items():
        if name in missing:
            cursor.execute(f"CREATE INDEX {name} ON foods_food USING gin {definition}")
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {VOCAB_TABLE} (term text PRIMARY KEY, docs integer NOT NULL)"
    )
    # A GiST trigram index answers "the words nearest to this one" (ORDER BY <-> LIMIT)
    # without computing the similarity of every word.
    cursor.execute(f"DROP INDEX IF EXISTS {VOCAB_TABLE}_trgm")
    cursor.execute(
        f"CREATE INDEX IF NOT EXISTS {VOCAB_TABLE}_trgm_gist ON {VOCAB_TABLE} "
        "USING gist (term gist_trgm_ops)"
    )
    cursor.execute(_PROFILE_TABLE.format(id_type="bigint"))


def _pg_uninstall(cursor) -> None:
    cursor.execute("DROP TRIGGER IF EXISTS foods_food_search ON foods_food")
    cursor.execute("DROP FUNCTION IF EXISTS foods_food_search_document()")
    cursor.execute("DROP FUNCTION IF EXISTS foods_search_words(text)")
    cursor.execute(
        "ALTER TABLE foods_food DROP COLUMN IF EXISTS search_document, "
        "DROP COLUMN IF EXISTS search_rank"
    )
    cursor.execute(f"DROP TABLE IF EXISTS {VOCAB_TABLE}")


def _pg_rebuild(cursor, *, full: bool) -> None:
    # Touching `name` fires the trigger, which recomputes the document and rank.
    where = "" if full else " WHERE search_document IS NULL"
    cursor.execute(f"UPDATE foods_food SET name = name{where}")
    cursor.execute(f"TRUNCATE {VOCAB_TABLE}")
    cursor.execute(
        f"INSERT INTO {VOCAB_TABLE}(term, docs) SELECT word, ndoc "
        "FROM ts_stat('SELECT search_document FROM foods_food')"
    )
    cursor.execute(f"TRUNCATE {PROFILE_TABLE}")
    cursor.execute(_PROFILE_FILL)
    # Fold any pending GIN entries into the index so that reads stay fast.
    cursor.execute(
        "SELECT gin_clean_pending_list(i::regclass) FROM unnest(%s::text[]) AS i",
        [["foods_food_search_gin", "foods_food_search_generic_gin"]],
    )
    # Fresh statistics keep the planner on the indexes (and away from JIT) right after a load.
    for table in ("foods_food", "foods_foodnutrient", "foods_portion", VOCAB_TABLE, PROFILE_TABLE):
        cursor.execute(f"ANALYZE {table}")


# --- Structures and refresh ---------------------------------------------------------------------


def install_structures(schema_connection=None) -> None:
    """Create the search tables, triggers and indexes if missing (idempotent).

    Called by migration 0002 and by `refresh_index()`: on SQLite, Django rebuilds a table
    for some schema changes, which drops its triggers, so a refresh puts them back.
    """
    conn = schema_connection or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            _sqlite_install(cursor)
        elif conn.vendor == "postgresql":
            _pg_install(cursor)


def uninstall_structures(schema_connection=None) -> None:
    conn = schema_connection or connection
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            _sqlite_uninstall(cursor)
        elif conn.vendor == "postgresql":
            _pg_uninstall(cursor)


def refresh_index(*, full: bool = False) -> None:
    """Bring the full-text index up to date and rebuild the typo-correction vocabulary.

    The triggers keep the index in step with every write, so a refresh only rebuilds what
    they could not have seen (rows from before the triggers existed), unless `full`.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'foods_food_search_%%'"
            )
            had_triggers = cursor.fetchone()[0] == 3
            install_structures()
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {FTS_TABLE}) = (SELECT count(*) FROM foods_food)"
            )
            in_step = bool(cursor.fetchone()[0])
            _sqlite_rebuild(cursor, index=full or not had_triggers or not in_step)
        elif connection.vendor == "postgresql":
            install_structures()
            _pg_rebuild(cursor, full=full)
