"""Food search: one function over the database's own full-text machinery.

Interface used across the project:
    search_foods(query, *, user=None, limit=20) -> list[Food]
        Foods matching `query`, best match first: public foods plus `user`'s own private foods.
    refresh_index() -> None
        Called by the importer after a load; brings the search index up to date.

How it works
------------
The database finds candidates, Python ranks them:

1. `parse_query()` normalises what was typed (lower case, accents and punctuation dropped,
   plurals reduced) and gives each word alternatives: synonyms, the word joined with its
   neighbour or split in two ("soy milk" / "soymilk"), the commonest completions of a
   half-typed last word, and for a word no food name holds, the closest words of the
   vocabulary (trigram candidates from FTS5 or pg_trgm, then edit distance).
2. `_candidates()` asks the full-text index (SQLite FTS5 / PostgreSQL tsvector + GIN) for a
   few hundred foods in one statement, from several pools: every word in the first two name
   segments, every word anywhere, the same among branded foods, any of the words. Within a
   pool the index's own order puts generic foods first (`rank`: branded foods last, then
   fewer comma segments), so pools stay small and fast with half a million foods.
3. `score()` ranks the candidates by where the words occur (the first comma segment of a
   USDA name is the food's head noun) and how generic the food is (few descriptive segments,
   raw, no brand, not a substitute, not baby or fast food, a full USDA nutrient profile);
   only the best are loaded as `Food` objects.

Database triggers keep the index in step with every insert, update and delete of a food;
`refresh_index()` rebuilds the vocabulary used for typo correction and repairs the index
when it is out of step. Both databases tokenise names the same way (lower-case ASCII letter
and digit runs), so they return the same results.
"""

# SQL here interpolates only module constants and fixed fragments; whatever the person typed
# is always passed as a query parameter.
# ruff: noqa: S608
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction

from mgsite.text import clean_query
from nutrition.foods.models import Food

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


# --- Words: the same normalisation for names and queries -------------------------------------

_WORD_RE = re.compile(r"[a-z0-9]+")
# Words that say nothing about which food is meant.
# fmt: off
STOPWORDS = frozenset({
    "a", "an", "and", "or", "of", "the", "in", "on", "for", "from", "to", "w", "with",
    "without", "by", "at", "as", "is", "per",
})
# fmt: on
# Descriptors of the plain, everyday form of a food: a name segment made only of these does
# not make the food less generic ("Egg, whole, raw, fresh"; "Tomatoes, red, ripe, raw, year
# round average"; "Beans, kidney, all types, mature seeds, raw").
# fmt: off
GENERIC_WORDS = frozenset({
    "raw", "fresh", "whole", "plain", "regular", "all", "type", "types", "variety",
    "varieties", "commercial", "commercially", "prepared", "average", "year", "round", "ripe",
    "unprepared", "mature", "seed", "seeds", "unenriched", "unfortified", "usda", "food",
    "distribution", "program", "includes", "added", "vitamin", "fortified", "enriched",
    "fluid", "kernel", "broiler", "fryer", "meat", "only",
})
# fmt: on
# First name segments that name a class rather than the food: in "Nuts, walnuts, english"
# and "Fish, salmon, Atlantic, wild, raw" the second segment is the food's head noun.
CLASS_HEADS = frozenset(
    {
        ("nut",),
        ("seed",),
        ("fish",),
        ("beverage",),
        ("alcoholic", "beverage"),
        ("spice",),
        ("mollusk",),
        ("crustacean",),
        ("game", "meat"),
        ("cereal",),
        ("vegetable",),
        ("fruit",),
    }
)
# Food groups people rarely mean when they type a plain food name; matched on the group's
# code (USDA SR28 / FoodData Central) or on words of its name.
DEPRIORITISED_GROUP_CODES = frozenset({"0300", "2100", "3500", "3600"})
# Processed products: still found, a little behind the plain foods they are made from.
PROCESSED_GROUP_CODES = frozenset({"0700", "2200", "2500"})
# Foods that stand in for another ("Bacon, meatless"; "Cheese substitute, mozzarella").
SUBSTITUTE_WORDS = frozenset({"meatless", "imitation", "substitute", "analog", "replacer"})
DEPRIORITISED_GROUP_WORDS = ("baby", "infant", "fast food", "restaurant", "american indian")
# Irregular plurals the suffix rules below get wrong.
IRREGULAR_PLURALS = {
    "leaves": "leaf",
    "loaves": "loaf",
    "halves": "half",
    "calves": "calf",
    "knives": "knife",
    "geese": "goose",
    "mice": "mouse",
    "teeth": "tooth",
    "feet": "foot",
    "children": "child",
    "oxen": "ox",
    # French fries, not the verb: "-fry" in "Tortillas, ready-to-bake or -fry" is no answer.
    "fries": "fries",
}
# Words that name the same food, in both directions. Each group is reduced to its first
# word's forms; a query for any word of a group also finds the others.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("chickpea", "garbanzo"),
    ("yogurt", "yoghurt", "yoghourt"),
    ("soy", "soya"),
    ("soymilk", "soyamilk"),
    ("eggplant", "aubergine", "brinjal"),
    ("zucchini", "courgette"),
    ("cilantro", "coriander"),
    ("shrimp", "prawn"),
    ("arugula", "rocket"),
    ("beet", "beetroot"),
    ("corn", "maize"),
    ("catsup", "ketchup"),
    ("chili", "chilli", "chile"),
    ("oat", "oatmeal", "porridge"),
    ("macaroni", "mac"),
    ("whole wheat", "wholemeal", "wholewheat"),
    ("scallion", "spring onion"),
    ("hazelnut", "filbert"),
    ("potato chip", "crisps"),
    ("rutabaga", "swede"),
    ("cornstarch", "cornflour"),
    ("powdered sugar", "icing sugar"),
    ("molasses", "treacle"),
    ("squid", "calamari"),
    ("flounder", "plaice"),
    ("lima bean", "butter bean"),
    ("navy bean", "haricot"),
    ("snow pea", "mangetout"),
    ("bell pepper", "sweet pepper", "capsicum"),
    ("romaine", "cos"),
    ("tuna", "tunafish"),
    ("edamame", "green soybean"),
    ("tofu", "bean curd"),
    ("hummus", "houmous", "hommus"),
    ("cookie", "biscuit"),
    ("fries", "french fried"),
    ("ground", "minced", "mince"),
    ("frankfurter", "hot dog", "hotdog", "wiener"),
    ("soda", "carbonated"),
    ("quinoa", "kinoa"),
)


def stem(word: str) -> str:
    """A light English plural stemmer: names and queries meet on the singular."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    n = len(word)
    if n <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and n > 4:
        return word[:-3] + "y"
    if word.endswith("oes") and n > 4:
        return word[:-2]
    if word.endswith(("ches", "shes", "sses", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def inflections(word: str) -> set[str]:
    """Surface forms of a (singular) word that the index may hold."""
    forms = {word, word + "s"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    if word.endswith(("o", "ch", "sh", "x", "z", "s")):
        forms.add(word + "es")
    forms.update(plural for plural, single in IRREGULAR_PLURALS.items() if single == word)
    return forms


def words(text: str) -> list[str]:
    """Lower-case ASCII words, split as the full-text tokenizers split them."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _WORD_RE.findall(text.lower().replace("'s ", " ").replace("'s,", ","))


def _synonym_table() -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for group in SYNONYM_GROUPS:
        phrases = [tuple(stem(w) for w in words(p)) for p in group]
        for phrase in phrases:
            key = " ".join(phrase)
            table.setdefault(key, []).extend(p for p in phrases if p != phrase)
    return table


SYNONYMS = _synonym_table()


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance counting a swap of neighbours as one edit; stops early past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


# --- Queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a query word: a word or phrase (stems) and how much it counts."""

    stems: tuple[str, ...]
    weight: float = 1.0


@dataclass
class Concept:
    """One thing the person asked for; matched when any of its alternatives is."""

    alternatives: list[Alternative]
    span: int = 1  # how many query words it stands for

    def add(self, stems: tuple[str, ...], weight: float) -> None:
        for i, alt in enumerate(self.alternatives):
            if alt.stems == stems:
                if weight > alt.weight:
                    self.alternatives[i] = Alternative(stems, weight)
                return
        self.alternatives.append(Alternative(stems, weight))


@dataclass
class Query:
    text: str
    readings: list[list[Concept]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.readings)


COMPLETIONS = 6  # words offered for the word being typed


class _Vocabulary:
    """Document counts of index words, looked up a query at a time."""

    def __init__(self, cursor) -> None:
        self.cursor = cursor
        self.docs: dict[str, int] = {}
        self.completions: list[str] = []  # of the word being typed, commonest first

    def load(self, terms: Iterable[str], *, prefix: str = "") -> None:
        """Fetch the counts of `terms` and, in the same statement, the commonest words
        starting with `prefix` (the word being typed)."""
        wanted = sorted(set(terms) - self.docs.keys())
        if not wanted and not prefix:
            return
        marks = ", ".join(["%s"] * len(wanted)) or "NULL"
        sql = f"SELECT term, docs, 0 FROM {VOCAB_TABLE} WHERE term IN ({marks})"
        params: list = list(wanted)
        if prefix:
            sql = (
                f"SELECT * FROM ({sql}) w UNION ALL SELECT * FROM (SELECT term, docs, 1 "
                f"FROM {VOCAB_TABLE} WHERE term > %s AND term < %s "
                f"ORDER BY docs DESC, term LIMIT {COMPLETIONS}) c"
            )
            params += [prefix, prefix + "\x7f"]
        self.cursor.execute(sql, params)
        found = {}
        for term, docs, completion in self.cursor.fetchall():
            if completion:
                self.completions.append(term)
            else:
                found[term] = docs
        self.docs.update({t: found.get(t, 0) for t in wanted})

    def known(self, stem_: str) -> bool:
        return any(self.docs.get(f, 0) for f in inflections(stem_))

    def corrections(self, word: str) -> list[tuple[int, str]]:
        """Index words within a small edit distance of a word the index does not hold."""
        if len(word) < 4:
            return []
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        if connection.vendor == "sqlite":
            match = " OR ".join(f'"{g}"' for g in sorted(grams))
            self.cursor.execute(
                f"SELECT v.term, v.docs FROM {VOCAB_TRIGRAMS} t "
                f"JOIN {VOCAB_TABLE} v ON v.id = t.rowid "
                f"WHERE {VOCAB_TRIGRAMS} MATCH %s ORDER BY t.rank LIMIT 60",
                [match],
            )
        else:
            self.cursor.execute(
                f"SELECT term, docs FROM {VOCAB_TABLE} ORDER BY term <-> %s LIMIT 40", [word]
            )
        limit = 1 if len(word) < 7 else 2
        found = []
        for term, docs in self.cursor.fetchall():
            distance = damerau_levenshtein(word, term, limit)
            if distance <= limit and stem(term) != stem(word):
                found.append((distance, -docs, term))
        found.sort()
        return [(d, t) for d, _, t in found[:3]]


def parse_query(text: str, cursor) -> Query:
    """Turn what the person typed into concepts with alternatives (see the module doc)."""
    # Single letters carry no meaning (a half-typed word, the "s" of "Kellogg's").
    raw = [w for w in words(text) if len(w) > 1 or w.isdigit()][:8]
    query = Query(text)
    tokens = [w for w in raw if w not in STOPWORDS] or raw
    if not tokens:
        return query
    typing = bool(text) and text[-1].isalnum() and words(text)[-1] == tokens[-1]
    stems = [stem(w) for w in tokens]
    vocab = _Vocabulary(cursor)
    pairs = [a + b for a, b in itertools.pairwise(tokens)]
    # Neighbouring words written as one ("soy milk", "soya milk" → "soymilk").
    joined = [
        {left + stems[i + 1] for left in {tokens[i], *_single_synonyms(stems[i])}}
        for i in range(len(pairs))
    ]
    vocab.load(
        [f for s in stems for f in inflections(s)]
        + tokens
        + [f for words_ in joined for word in words_ for f in inflections(word)],
        prefix=tokens[-1] if typing and len(tokens[-1]) >= 2 else "",
    )

    concepts = []
    for i, (token, s) in enumerate(zip(tokens, stems, strict=True)):
        concept = Concept([Alternative((s,))])
        for synonym in SYNONYMS.get(s, []):
            concept.add(synonym, 0.95)
        if not vocab.known(s):
            if typing and i == len(tokens) - 1:
                for word in vocab.completions:
                    concept.add((stem(word),), 0.75)
            split = _split(token, vocab)
            if split:
                concept.add(split, 0.95)
            # The start of a word being typed is not a misspelling.
            being_typed = typing and i == len(tokens) - 1 and vocab.completions
            for distance, word in [] if being_typed else vocab.corrections(token):
                concept.add((stem(word),), 0.85 if distance == 1 else 0.7)
                for synonym in SYNONYMS.get(stem(word), []):
                    concept.add(synonym, 0.8)
        elif typing and i == len(tokens) - 1 and len(token) >= 3:
            # A known word may still be the start of a longer one ("pea" → "peanut").
            for word in vocab.completions[:3]:
                concept.add((stem(word),), 0.3)
        concepts.append(concept)
    query.readings.append(concepts)

    # Two neighbouring words that are also one word ("soy milk" / "soymilk") or a synonym
    # phrase ("spring onion" / "scallion") give a second reading with one concept for both.
    for i in range(len(pairs)):
        phrase = (stems[i], stems[i + 1])
        merged = Concept([Alternative(phrase)], span=2)
        for word in sorted(joined[i]):
            if vocab.known(word):
                merged.add((word,), 1.0 if word == stem(pairs[i]) else 0.95)
        for synonym in SYNONYMS.get(" ".join(phrase), []):
            merged.add(synonym, 0.95)
        if len(merged.alternatives) > 1 and len(query.readings) < 4:
            query.readings.append([*concepts[:i], merged, *concepts[i + 2 :]])
    return query


def _single_synonyms(stem_: str) -> list[str]:
    return [p[0] for p in SYNONYMS.get(stem_, []) if len(p) == 1]


def _split(token: str, vocab: _Vocabulary) -> tuple[str, ...] | None:
    """ "soymilk" → ("soy", "milk") when both halves are index words."""
    if len(token) < 6:
        return None
    halves = [(token[:i], token[i:]) for i in range(3, len(token) - 2)]
    vocab.load(h for pair in halves for h in pair)
    for left, right in halves:
        if vocab.docs.get(left) and vocab.known(stem(right)):
            return (stem(left), stem(right))
    return None


# --- Candidates from the full-text index -------------------------------------------------------

# How many candidates each pool may bring: generic foods in index order, then branded ones.
HEAD_POOL, ANY_POOL, PARTIAL_POOL, BRANDED_POOL = 120, 120, 50, 30


def _forms(stem_: str) -> list[str]:
    return sorted(inflections(stem_))


def _fts5_expression(query: Query, *, any_concept: bool = False) -> str:
    def alternative(alt: Alternative) -> str:
        parts = ["(" + " OR ".join(f'"{f}"' for f in _forms(s)) + ")" for s in alt.stems]
        return "(" + " AND ".join(parts) + ")"

    def concept(c: Concept) -> str:
        return "(" + " OR ".join(alternative(a) for a in c.alternatives) + ")"

    joiner = " OR " if any_concept else " AND "
    return " OR ".join(
        "(" + joiner.join(concept(c) for c in reading) + ")" for reading in query.readings
    )


def _tsquery_expression(query: Query, *, weights: str = "", any_concept: bool = False) -> str:
    def alternative(alt: Alternative) -> str:
        parts = [
            "(" + " | ".join(f"{f}:{weights}" if weights else f for f in _forms(s)) + ")"
            for s in alt.stems
        ]
        return "(" + " & ".join(parts) + ")"

    def concept(c: Concept) -> str:
        return "(" + " | ".join(alternative(a) for a in c.alternatives) + ")"

    joiner = " | " if any_concept else " & "
    return " | ".join(
        "(" + joiner.join(concept(c) for c in reading) + ")" for reading in query.readings
    )


_CANDIDATE_COLUMNS = (
    "f.id, f.name, f.common_names, f.brand, f.data_type, f.owner_id, g.code, g.name, "
    "coalesce(s.portions, (SELECT count(*) FROM foods_portion p WHERE p.food_id = f.id)), "
    "coalesce(s.nutrients, (SELECT count(*) FROM foods_foodnutrient n WHERE n.food_id = f.id))"
)


def _filters(user_id: int | None, group: str | None, source: str | None) -> tuple[str, list]:
    sql, params = ["(f.owner_id IS NULL OR f.owner_id = %s)"], [user_id or 0]
    if group:
        sql.append("f.food_group_id IN (SELECT id FROM foods_foodgroup WHERE code = %s)")
        params.append(group)
    if source:
        sql.append("f.data_source_id IN (SELECT id FROM foods_datasource WHERE slug = %s)")
        params.append(source)
    return " AND ".join(sql), params


def _candidates(cursor, query: Query, user_id, group, source) -> list[tuple]:
    where, where_params = _filters(user_id, group, source)
    several = any(len(r) > 1 for r in query.readings)
    pools: list[str] = []
    params: list = []
    if connection.vendor == "sqlite":
        split = BRANDED_RANK * _ROWID_SHIFT

        def pool(match: str, limit: int, branded: bool) -> None:
            side = ">=" if branded else "<"
            pools.append(
                "SELECT * FROM (SELECT (t.rowid & 4294967295) AS id FROM "
                f"{FTS_TABLE} t JOIN foods_food f ON f.id = (t.rowid & 4294967295) "
                f"WHERE {FTS_TABLE} MATCH %s AND t.rowid {side} {split} AND {where} "
                f"ORDER BY t.rowid LIMIT {limit})"
            )
            params.extend([match, *where_params])

        expression = _fts5_expression(query)
        pool(f"{{head sub}} : ({expression})", HEAD_POOL, False)
        pool(expression, ANY_POOL, False)
        pool(expression, BRANDED_POOL, True)
        if several:
            pool(_fts5_expression(query, any_concept=True), PARTIAL_POOL, False)
    else:

        def pool(tsquery: str, limit: int, branded: bool) -> None:
            side = ">=" if branded else "<"
            order = "" if branded else "ORDER BY f.search_rank, f.id"
            pools.append(
                "SELECT * FROM (SELECT f.id FROM foods_food f "
                f"WHERE f.search_rank {side} {BRANDED_RANK} "
                f"AND f.search_document @@ to_tsquery('simple', %s) AND {where} "
                f"{order} LIMIT {limit}) p"
            )
            params.extend([tsquery, *where_params])

        pool(_tsquery_expression(query, weights="AB"), HEAD_POOL, False)
        pool(_tsquery_expression(query), ANY_POOL, False)
        pool(_tsquery_expression(query), BRANDED_POOL, True)
        if several:
            pool(_tsquery_expression(query, any_concept=True), PARTIAL_POOL, False)
    # Look the few candidates up by key rather than scanning the table for them (on
    # PostgreSQL an id array makes the planner choose the primary key index).
    ids = " UNION ".join(pools)
    wanted = f"IN ({ids})" if connection.vendor == "sqlite" else f"= ANY(ARRAY({ids}))"
    sql = (
        f"SELECT {_CANDIDATE_COLUMNS} FROM foods_food f "
        "LEFT JOIN foods_foodgroup g ON g.id = f.food_group_id "
        f"LEFT JOIN {PROFILE_TABLE} s ON s.food_id = f.id "
        f"WHERE f.id {wanted}"
    )
    cursor.execute(sql, params)
    return cursor.fetchall()


# --- Ranking ------------------------------------------------------------------------------------

_PAREN_RE = re.compile(r"\(([^()]*)\)")
_BRAND_RE = re.compile(r"\b(?:Mc)?[A-Z][A-Z'&.]{2,}\b")
_NOT_BRANDS = frozenset({"USDA", "NFS", "UPC", "NS", "II"})


@dataclass(frozen=True, eq=False)
class ParsedName:
    """A food name cut into comma segments of stems, parentheses kept as aliases."""

    segments: tuple[frozenset[str], ...]  # stems of each segment (parenthesised words too)
    positions: dict[str, tuple[int, bool]]  # stem → first segment, only in parentheses?
    head_main: tuple[str, ...]  # stems of the head outside parentheses
    head_index: int  # 0, or 1 when the first segment names a class ("Nuts, walnuts")
    specific_segments: tuple[int, ...]  # segments after the head with more than generic words
    substitute: frozenset[str]  # words saying the food stands in for another one
    offal: bool  # "Beef, variety meats and by-products, liver"
    surface: frozenset[str]
    raw: bool
    upper_brand: bool


# Enough for every generic food and the branded ones searches keep meeting (about 2 kB each).
@lru_cache(maxsize=20_000)
def parse_name(name: str) -> ParsedName:
    # Split on commas outside parentheses: "Chickpeas (garbanzo beans, bengal gram), raw".
    segments_text, depth, current = [], 0, []
    for ch in name:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == "," and depth == 0:
            segments_text.append("".join(current))
            current = []
        else:
            current.append(ch)
    segments_text.append("".join(current))
    segments = []
    mains = []
    positions: dict[str, tuple[int, bool]] = {}
    for index, text in enumerate(segments_text):
        main = _PAREN_RE.sub(" ", text)
        mains.append(tuple(stem(w) for w in words(main) if w not in STOPWORDS))
        segments.append(frozenset(stem(w) for w in words(text)))
        for s in mains[-1]:
            positions.setdefault(s, (index, False))
        for s in segments[-1]:
            positions.setdefault(s, (index, True))
    head_index = 1 if len(mains) > 1 and mains[0] in CLASS_HEADS else 0
    specific = tuple(
        i
        for i, m in enumerate(mains)
        if i > head_index and any(w not in GENERIC_WORDS and not w.isdigit() for w in m)
    )
    brands = [b for b in _BRAND_RE.findall(name) if b not in _NOT_BRANDS]
    return ParsedName(
        segments=tuple(segments),
        positions=positions,
        head_main=mains[head_index],
        head_index=head_index,
        specific_segments=specific,
        substitute=frozenset(w for w in words(name) if w in SUBSTITUTE_WORDS),
        offal="by-products" in name.lower(),
        surface=frozenset(words(name)),
        raw=any(m == ("raw",) for m in mains),
        upper_brand=bool(brands),
    )


@lru_cache(maxsize=20_000)
def _alias_stems(common_names: str, brand: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words(f"{common_names} {brand}"))


@lru_cache(maxsize=256)
def _deprioritised(code: str | None, group_name: str | None) -> bool:
    if code in DEPRIORITISED_GROUP_CODES:
        return True
    lowered = (group_name or "").lower()
    return any(w in lowered for w in DEPRIORITISED_GROUP_WORDS)


def _match(
    stems: tuple[str, ...], positions: dict, alias: frozenset[str], aliases_at: int
) -> tuple[int, bool] | None:
    """Where a word or phrase occurs: the last segment its stems need (`aliases_at` when
    only in the common names or brand), and whether only inside parentheses."""
    if len(stems) == 1:
        found = positions.get(stems[0])
        if found is not None:
            return found
        return (aliases_at, False) if stems[0] in alias else None
    places = [positions.get(s) for s in stems]
    if all(places):
        index = max(p[0] for p in places)
        return index, any(p[1] for p in places if p[0] == index)
    if all(s in alias for s in stems):
        return aliases_at, False
    return None


def score(reading: list[Concept], row: tuple, query_words: frozenset[str]) -> float:
    """How well a candidate answers one reading of the query; higher is better."""
    _id, name, common, brand, data_type, owner_id, code, group_name, portions, nutrients = row
    parsed = parse_name(name)
    alias = _alias_stems(common, brand)
    head = parsed.head_index
    positions = parsed.positions
    aliases_at = len(parsed.segments)
    total = 0.0
    matched_in_head: set[str] = set()
    matched_segments: set[int] = set()
    head_weight = 1.0  # the head bonus counts as much as the weakest word matched there
    for concept in reading:
        best, best_index = None, None
        for alt in concept.alternatives:
            found = _match(alt.stems, positions, alias, aliases_at)
            if found is None:
                continue
            index, in_parentheses = found
            if index <= head:
                place = 0.0
            elif index == aliases_at:
                place = -10.0  # only in the common names or brand
            else:
                # A later segment refines the head ("Rice, brown"; "Chicken, …, breast"):
                # close behind a head match, further behind the deeper it sits.
                place = -4.0 - 1.5 * min(index - head - 1, 4) - 3.0 * in_parentheses
            value = 20.0 * alt.weight + place
            if best is None or value > best:
                best, best_index, best_alt = value, index, alt
                best_in_parentheses = in_parentheses
        if best is None:
            total -= 25.0 * concept.span
            continue
        total += best * concept.span
        if not best_in_parentheses:
            matched_segments.add(best_index)
        if best_index <= head:
            matched_in_head.update(best_alt.stems)
            head_weight = min(head_weight, best_alt.weight)
    # The head noun: the food is what was asked for, not something made with it.
    extra = [w for w in parsed.head_main if w not in matched_in_head and w not in GENERIC_WORDS]
    if matched_in_head:
        total += 10.0 * head_weight if not extra else -5.0 * min(len(extra), 3)
    else:
        total -= 6.0
    # How generic the food is: few descriptive segments beyond what was asked for, raw,
    # commonly eaten (household portions), no brand, no substitute, an everyday food group.
    specific = sum(1 for i in parsed.specific_segments if i not in matched_segments)
    total -= 2.0 * min(specific, 5)
    # USDA analyses everyday foods most thoroughly: a full nutrient profile marks a staple.
    total += 0.1 * min(max(nutrients - 80, 0), 40)
    total += 3.0 if parsed.raw else 0.0
    total += 0.5 * min(portions, 8)
    total += 1.0 * len(query_words & parsed.surface)
    if parsed.substitute and not (parsed.substitute & query_words):
        total -= 10.0
    if parsed.offal and not matched_segments - {head}:
        total -= 6.0  # "beef" means meat; "beef liver" still finds the liver first
    if data_type == Food.DataType.BRANDED or brand:
        total -= 12.0
    elif parsed.upper_brand:
        total -= 8.0
    if _deprioritised(code, group_name):
        total -= 15.0
    elif code in PROCESSED_GROUP_CODES:
        total -= 4.0
    if owner_id:
        total += 2.0  # the person's own food
    return total - 0.02 * len(name)


# --- The search function ------------------------------------------------------------------------


def search_food_ids(
    query: str,
    *,
    user=None,
    limit: int = 20,
    group: str | None = None,
    source: str | None = None,
) -> list[int]:
    """Ids of the best `limit` foods for `query` (see `search_foods`)."""
    query = clean_query(query)  # every search passes here: no NUL reaches PostgreSQL
    user_id = user.pk if user is not None and user.is_authenticated else None
    with connection.cursor() as cursor:
        parsed = parse_query(query or "", cursor)
        if not parsed:
            return []
        rows = _candidates(cursor, parsed, user_id, group, source)
    query_words = frozenset(words(query))
    scored = sorted(
        (
            (max(score(r, row, query_words) for r in parsed.readings), row[1], row[0])
            for row in rows
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    return [food_id for _score, _name, food_id in scored[:limit]]


def search_foods(
    query: str,
    *,
    user=None,
    limit: int = 20,
    group: str | None = None,
    source: str | None = None,
) -> list[Food]:
    """Foods matching `query`, best match first: public foods plus `user`'s own private ones.

    `group` (a food group code) and `source` (a data source slug) narrow the search.
    """
    ids = search_food_ids(query, user=user, limit=limit, group=group, source=source)
    foods = Food.objects.select_related("food_group", "data_source").in_bulk(ids)
    return [foods[i] for i in ids if i in foods]
