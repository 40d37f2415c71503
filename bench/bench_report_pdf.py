"""Benchmark the PDF report: 90 days of a realistic diary, with lab results and notes.

Times the whole request for `/diary/report.pdf?start=&end=` (a person's own report: the same
work as a dietitian's, less the consent check and the access-log row) through Django's test
client, and, apart, its three steps: reading the figures, laying out the HTML and WeasyPrint's
PDF. The target is 3 s for the whole request. The first request of a process is timed on its
own (WeasyPrint loads its fonts then); the verdict uses the median of the later ones.

    python bench/bench_report_pdf.py               # 1 cold request, then 5 timed ones
    python bench/bench_report_pdf.py --rounds 10

It runs on a temporary SQLite file (migrated afresh, then thrown away) with production
settings (DEBUG off), so nothing else is touched. It needs WeasyPrint's system libraries
(`make pdf-libs`).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

# A sibling script (its folder is the first entry of sys.path when run as a script).
from bench_day_page import setup_django
from pypdf import PdfReader

TARGET_S = 3.0
DAYS = 90


def make_diary():
    """A woman of 50 with 90 days of diary: about twelve entries a day from 40 foods over four
    meals, a glycinate most days and a citrate some, lab results every month, and notes."""
    import random
    from datetime import date, timedelta
    from decimal import Decimal

    from allauth.account.models import EmailAddress

    from accounts.models import Profile, User
    from nutrition.clinic import services as clinic_services
    from nutrition.diary import services
    from nutrition.diary.models import DiaryEntry, SupplementIntake
    from nutrition.foods.models import DataSource, Food, Portion
    from nutrition.health import services as health_services

    rng = random.Random(90)
    user = User.objects.create_user(email="bench@example.com", password=None, name="Bea Bench")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Profile.objects.filter(user=user).update(
        sex="female", birth_date=date(1976, 1, 1), timezone="Europe/Berlin"
    )
    dietitian = User.objects.create_user(email="dietitian@example.com", password=None)
    source, _ = DataSource.objects.get_or_create(slug="usda-sr28", defaults={"name": "SR28"})
    foods = []
    for i in range(40):
        food = Food.objects.create(
            data_source=source,
            source_id=f"R{i:04d}",
            name=f"Report food {i}, cooked, with a name as long as USDA's usually are",
            data_type="sr_legacy",
            magnesium_mg_per_100g=Decimal(5 + 7 * i),
            energy_kcal_per_100g=Decimal(100),
        )
        Portion.objects.create(food=food, seq=1, amount=1, description="cup", gram_weight=150)
        foods.append(food)
    glycinate = services.supplement_create(
        user=user, name="Glycinate 100", form="glycinate", elemental_mg_per_unit="100"
    )
    citrate = services.supplement_create(
        user=user, name="Citrate 150", form="citrate", elemental_mg_per_unit="150"
    )
    end = date(2026, 3, 31)
    start = end - timedelta(days=DAYS - 1)
    meals = ["breakfast", "lunch", "dinner", "snack"]
    # Rows written directly: the services' rate limits (60 entries a minute) would stop a
    # set-up this size; the rows are those the services would write.
    entries, doses = [], []
    for offset in range(DAYS):
        day = start + timedelta(days=offset)
        if rng.random() < 0.08:
            continue  # a day not logged now and then
        for _ in range(rng.randint(9, 15)):
            entries.append(
                DiaryEntry(
                    user=user,
                    date=day,
                    meal=rng.choice(meals),
                    food=rng.choice(foods),
                    grams=Decimal(rng.randint(20, 250)),
                )
            )
        if rng.random() < 0.8:
            doses.append(SupplementIntake(user=user, date=day, supplement=glycinate))
        if rng.random() < 0.3:
            units = Decimal(rng.choice([1, 2, 3]))
            doses.append(SupplementIntake(user=user, date=day, supplement=citrate, units=units))
    DiaryEntry.objects.bulk_create(entries)
    SupplementIntake.objects.bulk_create(doses)
    for month in range(3):
        taken = start + timedelta(days=15 + 30 * month)
        for analyte, value, unit in (
            ("glucose_fasting", f"{5.6 + month / 10:.1f}", "mmol/L"),
            ("insulin_fasting", str(80 - 5 * month), "pmol/L"),
            ("hba1c", f"{6.0 - month / 10:.1f}", "%"),
            ("triglycerides", "1.7", "mmol/L"),
            ("hdl_cholesterol", "1.3", "mmol/L"),
            ("creatinine_serum", "0.9", "mg/dL"),
            ("magnesium_serum", "0.78", "mmol/L"),
        ):
            health_services.lab_result_create(
                user=user, analyte=analyte, value=value, unit=unit, taken_on=taken
            )
    for n in range(12):
        clinic_services.note_create(
            dietitian=dietitian,
            client=user,
            text=f"Note {n}: more pumpkin seeds and leafy greens; keep the glycinate at night.",
            day=start + timedelta(days=7 * n),
        )
    return user, start, end


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp) / "bench.sqlite3")
        from django.test import Client

        from nutrition.diary import selectors as diary_selectors
        from nutrition.diary.models import DiaryEntry, SupplementIntake
        from nutrition.transfer import pdf, report
        from nutrition.transfer.report_selectors import Period, report_for

        if not pdf.available():
            print(f"WeasyPrint cannot run here: {pdf.unavailable_reason()}\n{pdf.NEEDS}")
            return 1
        made_at = time.perf_counter()
        user, start, end = make_diary()
        entries = DiaryEntry.objects.filter(user=user).count()
        doses = SupplementIntake.objects.filter(user=user).count()
        made_in = time.perf_counter() - made_at
        print(f"diary made in {made_in:.1f} s: {entries} entries, {doses} doses")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = f"/diary/report.pdf?start={start.isoformat()}&end={end.isoformat()}"

        def timed() -> tuple[float, float, int]:
            """Wall-clock and this process's CPU seconds of one request, and its size."""
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            elapsed = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            return elapsed, time.process_time() - cpu, len(response.content)

        cold, _, size = timed()
        runs = [timed() for _ in range(args.rounds)]
        times = [wall for wall, _, _ in runs]
        cpu_times = [cpu for _, cpu, _ in runs]
        # The steps apart, once more each.
        person = diary_selectors.person_for(user=user)
        steps = {}
        started = time.perf_counter()
        made = report_for(user=user, person=person, period=Period(start, end), prepared_for="")
        steps["read the figures"] = time.perf_counter() - started
        started = time.perf_counter()
        page = report.html(made)
        steps["lay out the HTML"] = time.perf_counter() - started
        started = time.perf_counter()
        document = pdf.render(page)
        steps["WeasyPrint: HTML to PDF"] = time.perf_counter() - started
        pages = len(PdfReader(io.BytesIO(document)).pages)
    median = statistics.median(times)
    print(f"report PDF, {DAYS} days, SQLite: {size / 1024:.0f} KiB, {pages} pages")
    print(f"  first request of the process: {cold:.2f} s")
    print(
        f"  median of {args.rounds}: {median:.2f} s   best {min(times):.2f} s   "
        f"worst {max(times):.2f} s"
    )
    print(
        f"  CPU time of the process per request: median {statistics.median(cpu_times):.2f} s "
        "(what the request costs; wall-clock above it is waiting for a shared CPU)"
    )
    print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for step, seconds in steps.items():
        print(f"    {step}: {seconds:.2f} s")
    verdict = "meets" if median <= TARGET_S else "MISSES"
    print(f"  {verdict} the {TARGET_S:.0f} s target (median)")
    return 0 if median <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
