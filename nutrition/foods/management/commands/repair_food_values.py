"""`manage.py repair_food_values`: find and repair food rows stored beyond their physical
bounds (see `nutrition.foods.repair`). Run it once after upgrading."""

from django.core.management.base import BaseCommand, CommandParser

from nutrition.foods.repair import repair_food_values


class Command(BaseCommand):
    help = (
        "Find food values, summary columns and portions stored beyond their physical bounds "
        "(from before they were checked), list each one and repair it: an impossible value "
        "becomes no value, an unused impossible portion is deleted and a used one brought "
        "within the bounds. All in one transaction; a second run finds nothing. --dry-run "
        "lists without changing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list what is out of range, change nothing"
        )

    def handle(self, *args, dry_run: bool, **options) -> None:
        findings = repair_food_values(dry_run=dry_run)
        for finding in findings:
            self.stdout.write(str(finding))
        if not findings:
            self.stdout.write(self.style.SUCCESS("No food row is stored out of range."))
        elif dry_run:
            self.stdout.write(
                f"{len(findings)} row(s) out of range; nothing was changed (--dry-run)."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(findings)} row(s) out of range, repaired."))
