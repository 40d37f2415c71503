"""Count the CPU instructions of the diary's day page with callgrind: a figure that does not
drift with the machine's load, so two versions of the code can be compared on a shared machine.

    CG="valgrind --tool=callgrind --callgrind-out-file=/dev/null"
    $CG python bench/day_page_instructions.py 40           # 40 requests
    $CG python bench/day_page_instructions.py 0            # start-up only, to subtract
    $CG python bench/day_page_instructions.py 40 --change  # first view after a change

Run it with PYTHONHASHSEED=0. (total(N) − total(0)) / N is the cost of one request; the set-up
(migrations, the day of `bench_day_page.make_day`, 20 warm-up requests) is the same in both runs.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_day_page import make_day, setup_django


def main() -> None:
    count = int(sys.argv[1])
    after_change = "--change" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.core import signals
        from django.db import close_old_connections
        from django.test import Client

        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        user, day = make_day()
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = f"/diary/{day.isoformat()}/"
        for _ in range(20):
            assert client.get(url, secure=True).status_code == 200
        if after_change:
            from nutrition.diary import pickers
        for _ in range(count):
            if after_change:
                pickers.mark_changed(user)
            assert client.get(url, secure=True).status_code == 200


if __name__ == "__main__":
    main()
