"""Benchmark `load_usda --format fdc` on a large Branded Foods download, into PostgreSQL.

    python bench/make_branded.py 1000000 /tmp/fdc-branded-1m      # once, about 1.6 GB
    python bench/load_branded.py --path /tmp/fdc-branded-1m [--database-url URL] [--runs 2]

Runs the command (a separate process each time) `--runs` times against the database (by
default `mgsite_million` on the local server, which must be migrated and may already hold
SR28: `DEBUG=true DATABASE_URL=... manage.py migrate && manage.py load_usda`), and prints
for each run its wall time, the command's own summary and the peak memory (maximum resident
set size) of the process. The first run loads, the second must change nothing. Targets for
1,000,000 products: first run ≤ 10 minutes, peak memory ≤ 1 GB, second run faster.

Not part of `make bench`: it takes minutes and leaves the products in the database (the
search benchmark is meant to run against them afterwards).
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mgsite_million"


def run_once(path: Path, url: str) -> tuple[float, int, str]:
    """(seconds, peak RSS in KB, the command's output)."""
    env = os.environ | {"DATABASE_URL": url, "DEBUG": "true", "LOG_LEVEL": "INFO"}
    started = time.perf_counter()
    done = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "peak-rss-kb=%M",
            sys.executable,
            str(ROOT / "manage.py"),
            "load_usda",
            "--format",
            "fdc",
            "--path",
            str(path),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"load_usda failed:\n{done.stdout}\n{done.stderr}")
    peak = int(re.search(r"peak-rss-kb=(\d+)", done.stderr).group(1))
    return seconds, peak, done.stdout.strip() + "\n" + done.stderr.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, required=True)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    products = sum(1 for _ in (args.path / "branded_food.csv").open("rb")) - 1
    print(f"{products:,} products in {args.path}; load average {os.getloadavg()[0]:.1f}")
    for run in range(1, args.runs + 1):
        seconds, peak, output = run_once(args.path, args.database_url)
        print(f"--- run {run}: {seconds:.1f} s wall, peak memory {peak / 1024:.0f} MB")
        print(output)
        print(f"load average after run {run}: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
