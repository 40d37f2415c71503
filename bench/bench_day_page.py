"""Benchmark the diary's day page: server time to render a day with 40 entries.

Prints the median, 95th percentile and best of the page's render time (the whole request
through Django's test client: middleware, queries, template), and the number of queries, for a
day with 40 food entries and two supplement doses. The target is a median of 25 ms or less.

    python bench/bench_day_page.py               # 5 rounds of 60 requests after 20 warm-up ones
    python bench/bench_day_page.py --rounds 10

It also times the first view after a change to the diary, when the cached pickers are read
again (not part of the verdict). The median of each round is printed too: on a shared
virtual machine the figures drift with the neighbours' load, and the spread between rounds
shows how much. The verdict uses the median of every request.

It runs on a temporary SQLite file (migrated afresh, then thrown away) with production
settings (DEBUG off), so nothing else is touched.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 25.0


def setup_django(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault(
        "SECRET_KEY", "bench-only-secret-key-4b1d7e0c9a2f6e3d8c5b7a1f0e9d2c4b6a8f"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "mgsite.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Plain static file names: hashed ones need `collectstatic`, which is not the point here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_day():
    """A woman of 50 with 40 entries over four meals (ten foods with portions) and two doses."""
    from datetime import date
    from decimal import Decimal

    from allauth.account.models import EmailAddress

    from accounts.models import Profile, User
    from nutrition.diary import services
    from nutrition.foods.models import DataSource, Food, FoodNutrient, Nutrient, Portion

    user = User.objects.create_user(email="bench@example.com", password=None)  # force_login
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1976, 1, 1), timezone="Europe/Berlin"
    )
    source, _ = DataSource.objects.get_or_create(slug="usda-sr28", defaults={"name": "SR28"})
    keys = ["magnesium", "energy_kcal", "carbohydrate", "fiber", "sugars", "protein", "fat"]
    nutrients = [
        Nutrient.objects.get_or_create(
            key=key, defaults={"usda_number": str(900 + i), "name": key, "unit": "g"}
        )[0]
        for i, key in enumerate(keys)
    ]
    foods = []
    for i in range(10):
        food = Food.objects.create(
            data_source=source,
            source_id=f"B{i:04d}",
            name=f"Bench food {i}, cooked",
            data_type="sr_legacy",
            magnesium_mg_per_100g=Decimal(20 + 10 * i),
            energy_kcal_per_100g=Decimal(100),
            net_carbs_g_per_100g=Decimal(10),
        )
        FoodNutrient.objects.bulk_create(
            FoodNutrient(food=food, nutrient=n, amount_per_100g=Decimal(5 + j))
            for j, n in enumerate(nutrients)
        )
        for seq, (desc, grams) in enumerate([("cup", 180), ("oz", 28.35), ("tbsp", 15)], 1):
            Portion.objects.create(
                food=food, seq=seq, amount=1, description=desc, gram_weight=Decimal(str(grams))
            )
        foods.append(food)
    day = date(2026, 2, 3)
    meals = ["breakfast", "lunch", "dinner", "snack"]
    for i in range(40):
        food = foods[i % 10]
        services.diary_entry_create(
            user=user,
            day=day,
            meal=meals[i % 4],
            food_id=food.pk,
            portion_id=food.portions.first().pk,
            quantity="0.25",
        )
    supplement = services.supplement_create(
        user=user, name="Glycinate", form="glycinate", elemental_mg_per_unit="100"
    )
    for _ in range(2):
        services.supplement_intake_create(user=user, day=day, supplement_id=supplement.pk)
    services.favourite_set(user=user, food_id=foods[0].pk, favourite=True)
    return user, day


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=60, help="requests per round")
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.core import signals
        from django.db import close_old_connections, connection
        from django.test import Client

        # Keep one connection, as a server with persistent connections does (and so the
        # query count below sees every query of the request).
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        user, day = make_day()
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = f"/diary/{day.isoformat()}/"
        for _ in range(args.warmup):
            response = client.get(url, secure=True)
            assert response.status_code == 200, response.status_code
        queries = []
        with connection.execute_wrapper(
            lambda run, sql, *args: queries.append(sql) or run(sql, *args)
        ):
            client.get(url, secure=True)
        times, round_medians = [], []
        for _ in range(args.rounds):
            this_round = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(url, secure=True)
                this_round.append((time.perf_counter() - started) * 1000)
            round_medians.append(statistics.median(this_round))
            times.extend(this_round)
        assert response.content.count(b'class="entry"') >= 40
        # The first view after a change re-reads what is cached under the diary's revision
        # (recent and favourite foods, their portions, the supplement list, a dietitian's
        # notes): what a person sees after each add.
        from nutrition.diary import pickers

        after_change = []
        for _ in range(args.requests):
            pickers.mark_changed(user)
            started = time.perf_counter()
            client.get(url, secure=True)
            after_change.append((time.perf_counter() - started) * 1000)
        connection.close()
    times.sort()
    median = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"day page, 40 entries, SQLite: {args.rounds} rounds of {args.requests} requests")
    print(f"  median {median:.1f} ms   p95 {p95:.1f} ms   best {times[0]:.1f} ms")
    print("  round medians: " + "  ".join(f"{m:.1f}" for m in round_medians) + " ms")
    print(f"  queries per request: {len(queries)}")
    print(
        f"  first view after a change: median {statistics.median(after_change):.1f} ms "
        f"({args.requests} requests, 5 more queries)"
    )
    started = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    cpu = time.perf_counter() - started
    print(f"  machine reference: 10 million additions in a Python loop took {cpu:.2f} s")
    verdict = "meets" if median <= TARGET_MS else "MISSES"
    print(f"  {verdict} the {TARGET_MS:.0f} ms target (median)")
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
