"""Candidates from the full-text index: a few hundred foods in one statement, from several
pools, generic foods first; only foods the person may see."""

# SQL here interpolates only module constants and fixed fragments; whatever the person typed
# is always passed as a query parameter.
# ruff: noqa: S608
from __future__ import annotations

from django.db import connection

from nutrition.foods.models import private_food_ids
from nutrition.foods.search.query import Alternative, Concept, Query
from nutrition.foods.search.structures import _ROWID_SHIFT, BRANDED_RANK, FTS_TABLE, PROFILE_TABLE
from nutrition.foods.search.words import inflections

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
    "f.id, f.name, f.common_names, f.brand, f.data_type, f.private, g.code, g.name, "
    "coalesce(s.portions, (SELECT count(*) FROM foods_portion p WHERE p.food_id = f.id)), "
    "coalesce(s.nutrients, (SELECT count(*) FROM foods_foodnutrient n WHERE n.food_id = f.id))"
)


def _visibility(user) -> tuple[str, list]:
    """Public foods, and the private foods `user` may see (their own): the ids come as a
    subquery from the app that knows whose they are (`private_food_ids`)."""
    ids = private_food_ids(user)
    if ids is None:
        return "f.private = %s", [False]
    sql, params = ids.query.sql_with_params()
    return f"(f.private = %s OR f.id IN ({sql}))", [False, *params]


def _filters(user, group: str | None, source: str | None) -> tuple[str, list]:
    visibility, visibility_params = _visibility(user)
    sql, params = [visibility], list(visibility_params)
    if group:
        sql.append("f.food_group_id IN (SELECT id FROM foods_foodgroup WHERE code = %s)")
        params.append(group)
    if source:
        sql.append("f.data_source_id IN (SELECT id FROM foods_datasource WHERE slug = %s)")
        params.append(source)
    return " AND ".join(sql), params


def candidates(cursor, query: Query, user, group, source) -> list[tuple]:
    where, where_params = _filters(user, group, source)
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
