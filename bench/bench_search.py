"""Benchmark food search through the API, in process, on SQLite and PostgreSQL.

For each database: migrate, load SR28 with `manage.py load_usda`, then time
`GET /api/v1/foods/?search=…` (Django's test client, so middleware, ranking and serialisation
are all counted) over the development queries and a wider set of everyday queries, and print
p50/p95 and hit@3 on the development queries. Then bulk-insert synthetic branded foods until
the table holds 500,000 foods and measure again.

    python bench/bench_search.py                  # SQLite and PostgreSQL
    python bench/bench_search.py --no-postgres    # SQLite only
    python bench/bench_search.py --foods 100000   # a smaller second round

Each database is thrown away: a temporary SQLite file, and the PostgreSQL database
`mgsite_bench_search` (dropped and created afresh). Set BENCH_SEARCH_PG_URL for another one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "BENCH_SEARCH_PG_URL", "postgres://postgres@127.0.0.1:5432/mgsite_bench_search"
)
DEV_QUERIES = ROOT / "tests" / "foods" / "search-dev-queries.tsv"
REPEATS = 5

# Everyday queries beyond the development set (timed, not scored): single foods, two-word
# foods, plurals, misspellings and half-typed words as search-as-you-type sends them.
EVERYDAY = [
    "apple", "almonds", "avocado", "oatmeal", "peanut butter", "greek yogurt",
    "chicken breast", "white rice", "black beans", "dark chocolate", "milk", "bread",
    "pumpkin seeds", "tofu", "quinoa", "lentils", "potatoes", "carrots", "ground beef",
    "pasta", "cashews", "kale", "edamame", "chia seeds", "flax seeds", "cottage cheese",
    "tuna", "shrimp", "peanuts", "blueberries", "strawberries", "cucumber", "lettuce",
    "onion", "garlic", "butter", "olive oil", "honey", "green beans", "mushrooms",
    "bell pepper", "zucchini", "cauliflower", "pear", "mango", "orange juice", "tea",
    "cheese", "bacon", "turkey", "hummus", "granola", "popcorn", "ice cream",
    "sunflower seeds", "brazil nuts", "swiss chard", "brocoli", "avacado", "spinich",
    "quinao", "yoghurt", "spin", "alm", "chick", "sweet pot", "brown ri", "salmon fillet",
]  # fmt: skip


def dev_queries() -> list[tuple[str, set[str]]]:
    rows = []
    for line in DEV_QUERIES.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            query, numbers = line.split("\t")
            rows.append((query, set(numbers.split())))
    return rows


# --- Worker: runs inside Django with one database ----------------------------------------------


def _measure(client, queries: list[str]) -> list[float]:
    times = []
    for _ in range(REPEATS):
        for query in queries:
            started = time.perf_counter()
            response = client.get("/api/v1/foods/", {"search": query}, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
    return times


def _percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)],
        "n": len(ordered),
    }


def _synthetic_names(target: int, seed: int = 28) -> list[tuple]:
    """Branded-style foods built from SR28 names: a brand, a food, a claim or two."""
    from nutrition.foods.models import Food

    rng = random.Random(seed)
    sr28 = list(Food.objects.values_list("name", "food_group_id", "magnesium_mg_per_100g"))
    syllables = ["ka", "lo", "mi", "ra", "to", "ven", "sol", "ber", "an", "ti", "co", "mar"]
    brands = sorted(
        {
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).upper()
            + rng.choice(["", " FARMS", " FOODS", " KITCHEN", " & CO."])
            for _ in range(3000)
        }
    )
    claims = [
        "organic", "original", "family size", "low sodium", "with sea salt", "gluten free",
        "value pack", "classic", "lightly salted", "no sugar added", "ready to eat", "frozen",
    ]  # fmt: skip
    rows = []
    for i in range(target):
        name, group_id, mg = rng.choice(sr28)
        parts = [p.strip() for p in name.split(",")]
        rng.shuffle(parts[1:])
        claim = rng.choice(claims)
        description = ", ".join([parts[0], *parts[1:3], claim])
        brand = rng.choice(brands)
        rows.append((f"{brand} {description}".upper()[:300], brand, group_id, mg, f"S{i:07d}"))
    return rows


def _insert_synthetic(total: int) -> float:
    from django.db import connection, transaction

    from nutrition.foods.models import DataSource, Food

    missing = total - Food.objects.count()
    if missing <= 0:
        return 0.0
    source = DataSource.objects.get(slug="usda-fdc")
    rows = _synthetic_names(missing)
    started = time.perf_counter()
    batch = 10_000
    for start in range(0, len(rows), batch):
        with transaction.atomic():
            Food.objects.bulk_create(
                [
                    Food(
                        data_source=source,
                        source_id=source_id,
                        name=name,
                        brand=brand,
                        food_group_id=group_id,
                        data_type=Food.DataType.BRANDED,
                        magnesium_mg_per_100g=mg,
                    )
                    for name, brand, group_id, mg, source_id in rows[start : start + batch]
                ],
                batch_size=2000,
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE foods_food")
    return time.perf_counter() - started


def worker(total: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgsite.settings")
    django.setup()
    from django.db import connection
    from django.test import Client

    from nutrition.foods import search
    from nutrition.foods.models import Food

    client = Client(HTTP_HOST="localhost")
    dev = dev_queries()
    everyday = [q for q, _ in dev] + EVERYDAY
    result: dict = {"vendor": connection.vendor}

    def round_(label: str) -> None:
        _measure(client, everyday[:10])  # warm caches and connections
        times = _measure(client, everyday)
        hits = sum(
            bool({f.source_id for f in search.search_foods(q, limit=3)} & ok) for q, ok in dev
        )
        result[label] = {
            **_percentiles(times),
            "foods": Food.objects.count(),
            "hit3": hits,
            "dev": len(dev),
        }

    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a load: clear the importer's dead rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE foods_food")
    round_("sr28")
    result["insert_seconds"] = _insert_synthetic(total)
    started = time.perf_counter()
    search.refresh_index()
    result["refresh_seconds"] = time.perf_counter() - started
    round_("large")
    print("RESULT " + json.dumps(result), flush=True)


# --- Orchestration -------------------------------------------------------------------------------


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=True)


def _bench(database_url: str, total: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key",
        "ALLOWED_HOSTS": "localhost",
        "API_THROTTLE_ANON": "100000000/min",
        "LOG_LEVEL": "ERROR",
    }
    python = sys.executable
    _run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    started = time.perf_counter()
    _run([python, "manage.py", "load_usda"], env)
    load_seconds = time.perf_counter() - started
    done = _run([python, __file__, "--worker", "--foods", str(total)], env)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    return {**json.loads(line.removeprefix("RESULT ")), "load_seconds": load_seconds}


def _postgres_ready(url: str) -> bool:
    import psycopg

    base, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL unreachable ({exc.__class__.__name__}); skipped.")
        return False
    return True


def _report(label: str, r: dict) -> None:
    print(f"{label}: SR28 loaded in {r['load_seconds']:.1f} s")
    for key, title in (("sr28", "SR28"), ("large", "large")):
        m = r[key]
        print(
            f"  {title:5} {m['foods']:>7,} foods: API search p50 {m['p50']:.1f} ms, "
            f"p95 {m['p95']:.1f} ms over {m['n']} requests; "
            f"hit@3 {m['hit3']}/{m['dev']} dev queries"
        )
    print(
        f"  synthetic foods inserted in {r['insert_seconds']:.1f} s, "
        f"refresh_index {r['refresh_seconds']:.1f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--foods", type=int, default=500_000, help="foods in the large round")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-postgres", action="store_true")
    group.add_argument("--postgres", action="store_true", help="fail if PostgreSQL is missing")
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        worker(args.foods)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        _report("SQLite", _bench(f"sqlite:///{tmp}/bench_search.sqlite3", args.foods))
    if not args.no_postgres:
        if _postgres_ready(PG_URL):
            _report("PostgreSQL", _bench(PG_URL, args.foods))
        elif args.postgres:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
