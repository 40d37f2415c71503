"""Food search: one function over the database's own full-text machinery.

The package, by concern: `words` (normalisation), `query` (reading what was typed),
`candidates` (the full-text index), `ranking` (the order), `structures` (the index's tables
and triggers, and their refresh after a load).

Interface used across the project:
    search_foods(query, *, user=None, limit=20) -> list[Food]
        Foods matching `query`, best match first: public foods plus `user`'s own private foods.
        A query that is a barcode (8 to 14 digits) finds the products with that code.
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

from __future__ import annotations

from django.db import connection
from django.db.models import F

from mgsite.text import clean_query
from nutrition.foods.barcodes import canonical_gtin
from nutrition.foods.models import Food
from nutrition.foods.search.candidates import candidates
from nutrition.foods.search.query import parse_query
from nutrition.foods.search.ranking import score
from nutrition.foods.search.structures import (
    install_structures,
    refresh_index,
    uninstall_structures,
)
from nutrition.foods.search.words import (
    DEPRIORITISED_GROUP_CODES,
    damerau_levenshtein,
    stem,
    words,
)

__all__ = [
    "DEPRIORITISED_GROUP_CODES",
    "damerau_levenshtein",
    "install_structures",
    "refresh_index",
    "search_food_ids",
    "search_foods",
    "stem",
    "uninstall_structures",
    "words",
]


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
    barcode = canonical_gtin(query or "")  # the whole query is a barcode, in any form
    if barcode:
        # Digits typed or scanned into a search box: the product with that code, if any.
        return list(
            Food.objects.visible_to(user)
            .filter(barcode=barcode)
            .order_by(F("discontinued_on").asc(nulls_first=True), "id")
            .values_list("id", flat=True)[:limit]
        )
    with connection.cursor() as cursor:
        parsed = parse_query(query or "", cursor)
        if not parsed:
            return []
        rows = candidates(cursor, parsed, user, group, source)
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
