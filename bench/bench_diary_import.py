"""Benchmark bringing a Cronometer diary over: the preview (read, match each name through the
site's search, weigh, keep the rows), the commit (the diary's bulk path) and the undo, on the
3-month sample the tests use and on nine months of it.

    python bench/bench_diary_import.py

A throw-away SQLite database (migrated, with the sample's 14 foods, which the search matches)
in a temporary directory; set BENCH_DATABASE_URL to use another (it is migrated, and the
rows the run adds are left there). Prints the rows and the seconds of each step, best of
three runs (each run imports, then undoes).
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEATS = 3


def main() -> None:
    folder = tempfile.mkdtemp(prefix="mgsite-bench-")
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mgsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)

    from nutrition.transfer import services
    from nutrition.transfer.models import Import
    from tests.factories import UserFactory
    from tests.transfer.helpers import sample_foods
    from tests.transfer.samples import cronometer_servings_sample

    sample_foods()
    for days in (90, 270):  # the sample starts on 1 March 2026: days up to today
        sample = cronometer_servings_sample(days=days, seed=1)
        content = sample.text.encode()
        times: dict[str, float] = {"preview": 1e9, "commit": 1e9, "undo": 1e9}
        for _ in range(REPEATS):
            person = UserFactory()
            started = time.perf_counter()
            batch = services.import_preview(owner=person, content=content)
            previewed = time.perf_counter()
            services.import_commit(owner=person, batch_id=batch.pk)
            committed = time.perf_counter()
            services.import_undo(owner=person, batch_id=batch.pk)
            undone = time.perf_counter()
            times["preview"] = min(times["preview"], previewed - started)
            times["commit"] = min(times["commit"], committed - previewed)
            times["undo"] = min(times["undo"], undone - committed)
            assert Import.objects.get(pk=batch.pk).entries_added == sample.rows
        print(
            f"{days} days, {sample.rows} rows, {len(content) / 1024:.0f} KiB: "
            + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in times.items())
        )


if __name__ == "__main__":
    main()
