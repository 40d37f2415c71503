"""The intake diary: what a person ate, the supplement products they keep and the doses taken.

Amounts are stored as Decimal grams and milligrams. Magnesium from food is computed from the
food's current value per 100 g when read, so corrections to the food data reach old days too.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from nutrition import amounts
from nutrition.foods.models import Food, Portion
from nutrition.reference import SUPPLEMENT_FORMS

MAX_ENTRY_GRAMS = Decimal("5000")  # more than 5 kg in one entry is a typing mistake
MAX_QUANTITY = Decimal("1000")
MAX_UNITS = Decimal("100")
MAX_ELEMENTAL_MG_PER_UNIT = Decimal("2000")
MAX_COMPOUND_MG_PER_UNIT = Decimal("20000")
MAX_NET_CARBS_BUDGET_G = Decimal("1000")
# An imported entry's own magnesium figure: more than 10 g in one food is a broken file.
MAX_RECORDED_MAGNESIUM_MG = Decimal("10000")

# How much one person may write, so that no one (and no script) can fill the database or hold
# its write lock: a real day has well under 100 entries and a handful of doses.
MAX_ENTRIES_PER_DAY = 200
MAX_DOSES_PER_DAY = 50
# New rows per person in any RATE_WINDOW_SECONDS, counted from `created_at` in the database
# (so the limit holds across processes); a copy counts every entry it makes.
MAX_NEW_ENTRIES_PER_MINUTE = 60
MAX_NEW_DOSES_PER_MINUTE = 60
RATE_WINDOW_SECONDS = 60


def plain_decimal(number: Decimal) -> str:
    """A decimal without trailing zeros: 0.500 -> "0.5", 2.000 -> "2"."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def portion_label(quantity: Decimal | None, description: str | None) -> str | None:
    """An amount in household words: the quantity counts the portion's unit ("0.5 cup")."""
    if quantity is None or description is None:
        return None
    return f"{plain_decimal(quantity)} {description}"


class Meal(models.TextChoices):
    BREAKFAST = "breakfast", "Breakfast"
    LUNCH = "lunch", "Lunch"
    DINNER = "dinner", "Dinner"
    SNACK = "snack", "Snacks"


class DiaryEntryQuerySet(models.QuerySet):
    def for_user(self, user) -> "DiaryEntryQuerySet":
        return self.filter(user=user)

    def on_day(self, day) -> "DiaryEntryQuerySet":
        return self.filter(date=day)

    def between(self, start, end) -> "DiaryEntryQuerySet":
        return self.filter(date__gte=start, date__lte=end)


def origin_note(origin: str, recorded: bool, estimated: bool) -> str:
    """How an entry's magnesium was come by, when not by the person typing it here: the words
    every page and the API show beside it ("" for an entry typed here)."""
    if recorded and origin:
        return f"imported from {origin}"
    if estimated:
        return f"estimated (matched by name from {origin})" if origin else "estimated"
    return ""


class DiaryEntry(models.Model):
    """One food eaten at one meal: either a weight in grams or a number of household portions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_entries"
    )
    date = models.DateField()
    meal = models.CharField(max_length=10, choices=Meal.choices)
    # RESTRICT, not PROTECT: a person's own custom food may go with their account in one delete.
    food = models.ForeignKey(Food, on_delete=models.RESTRICT, related_name="diary_entries")
    # The portion the amount was given in; grams are kept, so losing it loses nothing.
    portion = models.ForeignKey(
        Portion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quantity = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    grams = models.DecimalField(max_digits=8, decimal_places=2)
    # The entry this one was copied from, so that a second copy of the same day asks first.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The magnesium the entry came with, kept exactly as another tracker's export gave it:
    # used instead of the food's value (`amounts.entry_magnesium`). Empty for every other entry.
    recorded_magnesium_mg = models.DecimalField(
        max_digits=10, decimal_places=4, null=True, blank=True
    )
    # Where an imported entry came from ("Cronometer"), and whether its food was matched by
    # name, so its magnesium is an estimate from the food's value (`origin_note`).
    origin = models.CharField(max_length=40, blank=True, default="")
    estimated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "created_at", "id"]
        verbose_name_plural = "diary entries"
        indexes = [
            models.Index(fields=["user", "date"], name="diaryentry_user_date_idx"),
            # Recent foods read the newest entries first.
            models.Index(fields=["user", "-created_at"], name="diaryentry_user_recent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grams__gt=0) & models.Q(grams__lte=MAX_ENTRY_GRAMS),
                name="diaryentry_grams_range",
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gt=0),
                name="diaryentry_quantity_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(meal__in=Meal.values), name="diaryentry_meal_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(recorded_magnesium_mg__isnull=True)
                | models.Q(
                    recorded_magnesium_mg__gte=0,
                    recorded_magnesium_mg__lte=MAX_RECORDED_MAGNESIUM_MG,
                ),
                name="diaryentry_recorded_magnesium_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.meal}: {self.grams} g of food {self.food_id}"

    @property
    def portion_label(self) -> str | None:
        return portion_label(self.quantity, self.portion.description if self.portion else None)

    @property
    def magnesium_mg(self) -> Decimal | None:
        """Magnesium in this entry as shown (0.1 mg), or None when it is not known."""
        return amounts.shown(
            amounts.entry_magnesium(
                self.grams, self.food.magnesium_mg_per_100g, self.recorded_magnesium_mg
            )
        )

    @property
    def origin_note(self) -> str:
        return origin_note(self.origin, self.recorded_magnesium_mg is not None, self.estimated)


class Supplement(models.Model):
    """A supplement product a person keeps: its form and elemental magnesium per unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplements"
    )
    name = models.CharField(max_length=120)
    form = models.CharField(max_length=12, choices=SUPPLEMENT_FORMS)
    elemental_mg_per_unit = models.DecimalField(max_digits=7, decimal_places=1)
    # The salt's weight as printed on the label, when that is how it was entered.
    compound_mg_per_unit = models.DecimalField(
        max_digits=8, decimal_places=1, null=True, blank=True
    )
    # Removed from the list but kept, because logged doses still point at it.
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["user", "archived"], name="supplement_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(elemental_mg_per_unit__gt=0)
                & models.Q(elemental_mg_per_unit__lte=MAX_ELEMENTAL_MG_PER_UNIT),
                name="supplement_elemental_range",
            ),
            models.CheckConstraint(
                condition=models.Q(compound_mg_per_unit__isnull=True)
                | models.Q(compound_mg_per_unit__gt=0),
                name="supplement_compound_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.elemental_mg_per_unit} mg per unit)"


class SupplementIntakeQuerySet(models.QuerySet):
    def for_user(self, user) -> "SupplementIntakeQuerySet":
        return self.filter(user=user)

    def on_day(self, day) -> "SupplementIntakeQuerySet":
        return self.filter(date=day)

    def between(self, start, end) -> "SupplementIntakeQuerySet":
        return self.filter(date__gte=start, date__lte=end)


class SupplementIntake(models.Model):
    """A dose taken: a number of units of one of the person's products on a day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supplement_intakes"
    )
    date = models.DateField()
    supplement = models.ForeignKey(Supplement, on_delete=models.RESTRICT, related_name="intakes")
    units = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("1"))
    taken_at = models.TimeField(null=True, blank=True)
    # The dose this one was copied from with a day, so that a copy knows what it copied.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupplementIntakeQuerySet.as_manager()

    class Meta:
        ordering = ["date", "taken_at", "created_at", "id"]
        indexes = [models.Index(fields=["user", "date"], name="suppintake_user_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(units__gt=0) & models.Q(units__lte=MAX_UNITS),
                name="supplementintake_units_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.units} × supplement {self.supplement_id}"

    @property
    def magnesium_mg(self) -> Decimal:
        """Magnesium in this dose as shown (0.1 mg)."""
        return amounts.shown(amounts.dose(self.units, self.supplement.elemental_mg_per_unit))


class FavouriteFood(models.Model):
    """A food a person marked to have one tap away."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_foods"
    )
    food = models.ForeignKey(Food, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "food"], name="favouritefood_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes {self.food_id}"


class Recipe(models.Model):
    """The recipe side of a person's private Food with data type "recipe"."""

    food = models.OneToOneField(Food, on_delete=models.CASCADE, related_name="recipe")
    servings = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(servings__gte=1) & models.Q(servings__lte=100),
                name="recipe_servings_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Recipe {self.food_id} ({self.servings} servings)"


class RecipeIngredient(models.Model):
    """One ingredient of a recipe, by weight."""

    recipe = models.ForeignKey(Recipe, on_delete=models.CASCADE, related_name="ingredients")
    # RESTRICT: a food in someone's recipe stays, unless it goes in the same delete.
    food = models.ForeignKey(Food, on_delete=models.RESTRICT, related_name="recipe_uses")
    grams = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grams__gt=0) & models.Q(grams__lte=MAX_ENTRY_GRAMS),
                name="recipeingredient_grams_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grams} g of {self.food_id} in {self.recipe_id}"


class OwnFood(models.Model):
    """Whose private food (a custom food or a recipe) a `Food` row is.

    The food database keeps the values of private foods but knows no people; this link is
    the person's, so it lives with the rest of their diary (see docs/architecture.md)."""

    food = models.OneToOneField(
        Food, on_delete=models.CASCADE, primary_key=True, related_name="own_food"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="own_foods"
    )

    class Meta:
        indexes = [models.Index(fields=["user"], name="ownfood_user_idx")]

    def __str__(self) -> str:
        return f"Food {self.food_id} of {self.user_id}"


class DiaryState(models.Model):
    """The diary's own settings and bookkeeping for one person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary_state"
    )
    # Counts the person's diary changes that the day page's cached quick picks depend on
    # (`nutrition.diary.pickers`): a new value is a new cache key, in every server process.
    revision = models.PositiveIntegerField(default=0)
    # The person's own limit for the day's close-the-gap suggestions (empty: no limit).
    net_carbs_budget_g = models.DecimalField(
        "net carbohydrate budget (g)", max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(net_carbs_budget_g__isnull=True)
                | models.Q(
                    net_carbs_budget_g__gte=0, net_carbs_budget_g__lte=MAX_NET_CARBS_BUDGET_G
                ),
                name="diarystate_net_carbs_budget_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Diary state of {self.user_id}"
