"""Search and barcode lookup against a database that already holds the branded catalogue.

Unlike bench_search.py, which builds its own throw-away databases, this measures an existing
one, read-only (every connection is set `default_transaction_read_only`, the cache is in
process): typically the PostgreSQL database left by loading SR28 and a million generated
branded products (see docs/benchmarks.md for how to make it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mgsite_million \\
        python bench/search_at_scale.py [--repeats 5] [--barcodes 300] [--examples]

It times, in process through Django's test client (middleware, ranking and serialisation
counted):
- `GET /api/v1/foods/?search=` over the 16 development queries, everyday queries and queries
  that name brands or packaged products; p50/p95, and the development queries' hit@3;
- `GET /api/v1/foods/?barcode=` for codes sampled from the table, each asked in a different
  written form (12-, 13- or 14-digit), and unknown codes; p50/p95, and the lookup alone
  (`selectors.foods_by_barcode`, the page's query) without the HTTP machinery.
With `--examples` it prints the first five results of a few queries, brand included.
Targets (issue 16): search p95 ≤ 50 ms, barcode p95 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from bench_search import EVERYDAY, dev_queries  # noqa: E402

# Queries people type for packaged food: a brand, a product kind, both.
PACKAGED = [
    "kind almond bar", "protein bar", "granola bar", "greek yogurt", "almond milk",
    "oat milk", "peanut butter", "orange juice", "ground coffee", "tomato sauce",
    "cheddar cheese", "whole wheat bread", "tortilla chips", "dark chocolate bar",
    "trail mix", "instant oatmeal", "frozen spinach", "canned black beans", "hummus",
    "baby spinach",
]  # fmt: skip
EXAMPLES = [
    "spinach", "almonds", "banana", "black beans", "orange juice", "kind almond bar",
    "kind almonds", "kind bar",
    "cheddar cheese", "greek yogurt",
]  # fmt: skip


def _percentiles(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)], 2),
        "max": round(ordered[-1], 2),
    }


def _timed(client, repeats: int, queries: list[str], key: str) -> list[float]:
    times = []
    for _ in range(repeats):
        for value in queries:
            started = time.perf_counter()
            response = client.get("/api/v1/foods/", {key: value}, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (value, response.content[:200])
    return times


def _written_forms(canonical: str, rng: random.Random) -> str:
    """One of the ways a code reaches us: as printed (UPC-A/EAN-13), as an EAN-13 scanner
    reads a UPC, or the full GTIN-14."""
    stripped = canonical.lstrip("0")
    forms = [canonical, stripped.rjust(13, "0")]
    if len(stripped) <= 12:
        forms.append(stripped.rjust(12, "0"))
    return rng.choice(forms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--barcodes", type=int, default=300)
    parser.add_argument("--examples", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to the database to measure (it is only read).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgsite.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    # Measure search, not the throttles (an anonymous request passes both).
    os.environ["API_THROTTLE_ANON"] = os.environ["API_THROTTLE_USER"] = "100000000/min"
    os.environ["REDIS_URL"] = ""  # the cache lives in this process: nothing is written
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.db.models import Count
    from django.test import Client, override_settings

    from nutrition.foods import search, selectors
    from nutrition.foods.models import Food

    def read_only(sender, connection, **kwargs) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")

    connection_created.connect(read_only)
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    with override_settings(
        CACHES={"default": local, "local": {**local, "LOCATION": "local"}},
        ALLOWED_HOSTS=["*"],
    ):
        client = Client()
        dev = dev_queries()
        queries = [q for q, _ in dev] + EVERYDAY + PACKAGED
        counts = dict(Food.objects.values_list("data_type").annotate(n=Count("id")))
        result: dict = {
            "database": connection.vendor,
            "settings": settings.DATABASES["default"]["NAME"],
            "foods": counts,
            "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        }
        _timed(client, 1, queries[:15], "search")  # warm connections and caches
        result["search"] = _percentiles(_timed(client, args.repeats, queries, "search"))
        result["hit3"] = sum(
            bool({f.source_id for f in search.search_foods(q, limit=3)} & ok) for q, ok in dev
        )
        result["dev_queries"] = len(dev)

        # Codes spread over the table (a block sample rather than ORDER BY random()).
        rng = random.Random(16)
        with connection.cursor() as cursor:
            sample = (
                "SELECT barcode FROM foods_food TABLESAMPLE SYSTEM (2) WHERE barcode <> '' LIMIT %s"
                if connection.vendor == "postgresql"
                else "SELECT barcode FROM foods_food WHERE barcode <> '' ORDER BY random() LIMIT %s"
            )
            cursor.execute(sample, [args.barcodes])
            codes = [row[0] for row in cursor.fetchall()]
        if codes:
            asked = [_written_forms(c, rng) for c in codes]
            unknown = [f"{rng.randrange(10**11, 10**12)}" for _ in range(len(codes) // 5)]
            _timed(client, 1, asked[:20], "barcode")
            result["barcode_api"] = _percentiles(
                _timed(client, args.repeats, asked + unknown, "barcode")
            )
            lookup = []
            for _ in range(args.repeats):
                for code in asked:
                    started = time.perf_counter()
                    list(selectors.foods_by_barcode(code=code)[:20])
                    lookup.append((time.perf_counter() - started) * 1000)
            result["barcode_lookup"] = _percentiles(lookup)
            result["barcodes_sampled"] = len(codes)
        print(json.dumps(result, indent=2))

        if args.examples:
            for query in EXAMPLES:
                print(f"\n{query!r}")
                for i, food in enumerate(search.search_foods(query, limit=5), 1):
                    brand = f" [{food.brand}]" if food.brand else ""
                    print(f"  {i}. {food.name}{brand} ({food.data_type})")


if __name__ == "__main__":
    main()
