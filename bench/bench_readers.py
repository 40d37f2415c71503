"""Benchmark the import readers (nutrition.transfer.formats.parse) on Cronometer servings files:
the 3-month sample the tests use, and the largest file the contract allows (100,000 rows).

    python bench/bench_readers.py

No database: the readers are pure functions over text. Prints the file's size, the best of
a few runs, and the peak memory Python allocates while reading (tracemalloc, measured in a
separate run since it slows the reading down).
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nutrition.transfer.formats import MAX_ROWS, parse  # noqa: E402
from tests.transfer.samples import cronometer_servings_csv  # noqa: E402

REPEATS = 3


def largest_file() -> str:
    # About five rows a day: enough days for MAX_ROWS rows, cut to exactly MAX_ROWS.
    text = cronometer_servings_csv(days=MAX_ROWS // 4, seed=2)
    lines = text.split("\r\n")
    return "\r\n".join(lines[: MAX_ROWS + 1]) + "\r\n"


def measure(name: str, text: str) -> None:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        parsed = parse(text)
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    parse(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = len(text.encode()) / 1_000_000
    print(
        f"{name}: {parsed.rows:,} rows, {size:.1f} MB, best of {REPEATS} {best * 1000:.0f} ms, "
        f"peak {peak / 1_000_000:.0f} MB allocated while reading"
    )


def main() -> None:
    measure("3 months (90 days, seed 1)", cronometer_servings_csv(days=90, seed=1))
    measure(f"largest allowed ({MAX_ROWS:,} rows)", largest_file())


if __name__ == "__main__":
    main()
