"""`manage.py seed_demo`: a demo person with 60 days of believable meals and supplements,
a dietitian caring for them and an admin. It lives in the clinic app, the one app that may
use all the others.

Foods are the USDA SR28 ones, found by NDB number; without the food data (run `load_usda`
first) the account is still made, with a note that the diary stays empty. The passwords are
made up on the spot and printed once; a second run changes nothing unless `--reset` is given.
"""

import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts import services as services_accounts
from accounts.models import Profile, User
from nutrition.clinic import services as clinic_services
from nutrition.clinic.models import CareRelationship
from nutrition.diary import selectors, services
from nutrition.diary.models import DiaryEntry, SupplementIntake
from nutrition.foods.models import Food, Portion

DEMO_EMAIL = "demo@example.com"
ADMIN_EMAIL = "admin@example.com"
DIETITIAN_EMAIL = "dietitian@example.com"
DAYS = 60

# (NDB number, portion description starts with, quantity in that portion's unit, grams if no
# such portion). Amounts a person would eat.
Item = tuple[str, str, str, str]
BREAKFASTS: list[list[Item]] = [
    [("08120", "cup", "0.5", "40"), ("01077", "cup", "1", "244"), ("09040", "cup", "0.5", "75")],
    [("01256", "container", "1", "170"), ("12006", "oz", "0.5", "14")],
    [("18075", "slice", "2", "64"), ("01129", "large", "1", "50"), ("14209", "cup", "1", "237")],
    [("18069", "slice", "2", "58"), ("01009", "oz", "1", "28"), ("14209", "cup", "1", "237")],
]
LUNCHES: list[list[Item]] = [
    [("20137", "cup", "0.75", "139"), ("16015", "cup", "0.5", "86"), ("11529", "cup", "0.5", "90")],
    [("05064", "cup", "0.5", "70"), ("18069", "slice", "2", "58"), ("11529", "cup", "0.5", "90")],
    [("20121", "cup", "1", "124"), ("11529", "cup", "0.5", "90"), ("01009", "oz", "0.5", "14")],
    [("16070", "cup", "1", "198"), ("11457", "cup", "1", "30"), ("11205", "cup", "0.5", "52")],
]
DINNERS: list[list[Item]] = [
    [("15076", "", "", "120"), ("20037", "cup", "1", "195"), ("11090", "cup", "1", "91")],
    [("05064", "cup", "1", "140"), ("20045", "cup", "1", "158"), ("11205", "cup", "0.5", "52")],
    [("11357", "", "", "173"), ("01009", "oz", "1", "28"), ("11090", "cup", "1", "91")],
    [("20121", "cup", "1", "124"), ("11529", "cup", "1", "180"), ("11458", "cup", "0.5", "90")],
]
SNACKS: list[Item] = [
    ("12061", "oz", "1", "28"),
    ("12014", "oz", "1", "28"),
    ("19904", "oz", "1", "28"),
    ("09003", "cup", "1", "109"),
    ("09040", "cup", "1", "150"),
    ("12087", "oz", "1", "28"),
]
MENU_ITEMS: list[Item] = [item for menu in BREAKFASTS + LUNCHES + DINNERS for item in menu] + SNACKS


class Command(BaseCommand):
    help = "Create a demo person with 60 days of diary entries, a dietitian and an admin."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete and recreate the demo accounts."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed for the meals.")

    def handle(self, *args, reset: bool = False, seed: int = 2026, **options):
        existing = User.objects.filter(email=DEMO_EMAIL).first()
        if existing and not reset:
            self.stdout.write(
                f"The demo account {DEMO_EMAIL} exists already; its password was printed when "
                "it was made. Run with --reset to start again."
            )
            return
        with transaction.atomic():
            User.objects.filter(email__in=[DEMO_EMAIL, ADMIN_EMAIL, DIETITIAN_EMAIL]).delete()
            demo_password, admin_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
            dietitian_password = secrets.token_urlsafe(12)
            person = _account(DEMO_EMAIL, demo_password, name="Dana Demo")
            Profile.objects.filter(user=person).update(
                sex="female",
                birth_date=date(1972, 3, 14),
                life_stage="none",
                kidney_disease=False,
                timezone="Europe/London",
            )
            _account(ADMIN_EMAIL, admin_password, name="Site admin", staff=True)
            _dietitian, totp_secret = _dietitian_caring_for(person, dietitian_password)
            foods = _foods()
            if foods:
                # Repeatable menus, not secrets: a seeded generator is what is wanted here.
                days = _fill_diary(person, foods, random.Random(seed))  # noqa: S311
                note = f"{days} days of meals and supplements"
            else:
                note = "no diary entries: the USDA food data is not loaded (run load_usda)"
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({note})."))
        self.stdout.write("Sign in at /accounts/login/ with (shown only this once):")
        self.stdout.write(f"  demo person: {DEMO_EMAIL}  password: {demo_password}")
        self.stdout.write(
            f"  admin:       {ADMIN_EMAIL}  password: {admin_password}  (two-factor set-up "
            "is asked for before the admin site opens)"
        )
        self.stdout.write(
            f"  dietitian:   {DIETITIAN_EMAIL}  password: {dietitian_password}  two-factor "
            f"secret: {totp_secret} (add it to an authenticator app; it cares for the demo person)"
        )


def _dietitian_caring_for(person: User, password: str) -> tuple[User, str]:
    """A dietitian with two-factor on, in the demo person's care team, with a first note."""
    dietitian = _account(DIETITIAN_EMAIL, password, name="Rosa Lind")
    services_accounts.dietitian_role_set(user=dietitian, granted=True)
    secret = generate_totp_secret()
    TOTP.activate(dietitian, secret)
    CareRelationship.objects.create(dietitian=dietitian, client=person)
    clinic_services.note_create(
        dietitian=dietitian,
        client=person,
        text="Good start. Try adding a handful of pumpkin seeds or almonds to breakfast.",
    )
    return dietitian, secret


def _account(email: str, password: str, *, name: str, staff: bool = False) -> User:
    if staff:
        user = User.objects.create_superuser(email=email, password=password, name=name)
    else:
        user = User.objects.create_user(email=email, password=password, name=name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _foods() -> dict[str, tuple[Food, list[Portion]]]:
    """The SR28 foods the menus use, by NDB number, with their portions."""
    numbers = {item[0] for item in MENU_ITEMS}
    found = Food.objects.public().filter(data_source__slug="usda-sr28", source_id__in=numbers)
    portions = selectors.portions_by_food(food_ids={f.pk for f in found})
    return {f.source_id: (f, portions.get(f.pk, [])) for f in found}


def _log(person: User, day: date, meal: str, item: Item, foods, rng: random.Random) -> bool:
    ndb, portion_hint, quantity, grams = item
    if ndb not in foods:
        return False
    food, portions = foods[ndb]
    portion = next(
        (p for p in portions if portion_hint and p.description.startswith(portion_hint)), None
    )
    scale = Decimal(rng.choice(["0.75", "1", "1", "1", "1.25"]))
    if portion is not None:
        services.diary_entry_create(
            user=person,
            day=day,
            meal=meal,
            food_id=food.pk,
            portion_id=portion.pk,
            quantity=(Decimal(quantity) * scale).quantize(Decimal("0.01")),
        )
    else:
        services.diary_entry_create(
            user=person,
            day=day,
            meal=meal,
            food_id=food.pk,
            grams=(Decimal(grams) * scale).quantize(Decimal("1")),
        )
    return True


def _written_on_the_day(person: User, day: date, offset: int) -> None:
    """Date the day's rows back to when they would have been written. Demo data looks real
    that way, and the 60 days stay clear of the services' limit of new rows a minute."""
    when = timezone.now() - timedelta(days=offset, minutes=2)
    DiaryEntry.objects.filter(user=person, date=day).update(created_at=when)
    SupplementIntake.objects.filter(user=person, date=day).update(created_at=when)


def _fill_diary(person: User, foods, rng: random.Random) -> int:
    glycinate = services.supplement_create(
        user=person, name="Magnesium glycinate 100", form="glycinate", elemental_mg_per_unit=100
    )
    citrate = services.supplement_create(
        user=person, name="Citrate powder", form="citrate", compound_mg_per_unit=1000
    )
    today = selectors.today_for(user=person)
    logged_days = 0
    for offset in range(DAYS):
        day = today - timedelta(days=offset)
        if rng.random() < 0.08:  # a few forgotten days, as in any real diary
            continue
        logged_days += 1
        for item in rng.choice(BREAKFASTS):
            _log(person, day, "breakfast", item, foods, rng)
        for item in rng.choice(LUNCHES):
            _log(person, day, "lunch", item, foods, rng)
        for item in rng.choice(DINNERS):
            _log(person, day, "dinner", item, foods, rng)
        for item in rng.sample(SNACKS, rng.choice([0, 1, 1, 2])):
            _log(person, day, "snack", item, foods, rng)
        if rng.random() < 0.4:
            services.supplement_intake_create(
                user=person, day=day, supplement_id=glycinate.pk, units=rng.choice([1, 1, 2])
            )
        if offset == 3:  # one day with too much from supplements, to show the warning
            services.supplement_intake_create(
                user=person, day=day, supplement_id=citrate.pk, units=3
            )
        _written_on_the_day(person, day, offset)
    favourite = foods.get("12014") or next(iter(foods.values()))
    services.favourite_set(user=person, food_id=favourite[0].pk, favourite=True)
    return logged_days
