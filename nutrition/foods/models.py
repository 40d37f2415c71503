"""The food database: USDA SR28 and FoodData Central foods, their nutrients and portions."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from mgsite import registry
from nutrition.foods import bounds

MAGNESIUM_USDA_NUMBER = "304"


class DataSource(models.Model):
    """Where foods come from, with the licence and attribution shown beside them."""

    slug = models.SlugField(max_length=40, unique=True)  # "usda-sr28", "usda-fdc", "custom"
    name = models.CharField(max_length=200)
    licence = models.CharField(max_length=200, blank=True)
    attribution = models.TextField(blank=True)
    url = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.name


class FoodGroup(models.Model):
    code = models.CharField(max_length=10, unique=True)  # SR28 FdGrp_Cd "1100" or FDC code
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Nutrient(models.Model):
    key = models.SlugField(max_length=60, unique=True)  # "magnesium", "energy_kcal", …
    usda_number = models.CharField(max_length=10, unique=True)  # SR28 Nutr_No / FDC nutrient_nbr
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=20)
    display_order = models.PositiveIntegerField(default=0)  # SR_Order
    decimals = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["display_order", "usda_number"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


def private_food_ids(user) -> models.QuerySet | None:
    """The ids of the private foods `user` may see, as a lazy query; None for nobody.

    Foods keeps private foods (a person's own foods and recipes) but knows no people: the
    app that records whose they are answers through the registry."""
    if user is None or not user.is_authenticated:
        return None
    scopes = registry.collect("foods.private_foods", user)
    if not scopes:
        return None
    ids = scopes[0]
    for more in scopes[1:]:
        ids = ids.union(more)
    return ids


class FoodQuerySet(models.QuerySet):
    def public(self) -> "FoodQuerySet":
        """Foods everyone can see: the USDA data and curated custom foods."""
        return self.filter(private=False)

    def visible_to(self, user) -> "FoodQuerySet":
        """Public foods plus the private foods `user` may see (their own)."""
        ids = private_food_ids(user)
        if ids is None:
            return self.public()
        return self.filter(models.Q(private=False) | models.Q(pk__in=ids))


def _range(field: str, limit, *, null: bool = True) -> models.Q:
    """0 ≤ field ≤ limit (or NULL). A CHECK also refuses NaN on PostgreSQL (NaN sorts above
    every number there), which a bare ≥ 0 let through."""
    within = models.Q(**{f"{field}__gte": 0}) & models.Q(**{f"{field}__lte": limit})
    return within | models.Q(**{f"{field}__isnull": True}) if null else within


class Food(models.Model):
    class DataType(models.TextChoices):
        SR_LEGACY = "sr_legacy", "SR Legacy"
        FOUNDATION = "foundation", "Foundation"
        BRANDED = "branded", "Branded"
        SURVEY = "survey", "Survey (FNDDS)"
        CUSTOM = "custom", "Custom"
        RECIPE = "recipe", "Recipe"

    # `data_source`, not `source`: the API's `source_id` is the USDA id, not this key.
    data_source = models.ForeignKey(DataSource, on_delete=models.PROTECT, related_name="foods")
    source_id = models.CharField(max_length=40)  # NDB number or FDC id, as text
    name = models.CharField(max_length=300)
    common_names = models.CharField(max_length=300, blank=True)
    brand = models.CharField(max_length=200, blank=True)
    scientific_name = models.CharField(max_length=200, blank=True)
    food_group = models.ForeignKey(
        FoodGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="foods"
    )
    data_type = models.CharField(max_length=12, choices=DataType.choices)
    # The 14-digit GTIN (`barcodes.canonical_gtin`): one form for the 8/12/13/14-digit codes.
    barcode = models.CharField(max_length=32, blank=True, db_index=True)
    # Branded products: what the label says, and which USDA release last had the product.
    ingredients = models.TextField(blank=True, db_default="")
    serving_size = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    serving_size_unit = models.CharField(
        max_length=10, blank=True, db_default=""
    )  # "g" or "ml" on the label
    household_serving = models.CharField(
        max_length=200, blank=True, db_default=""
    )  # "1 bar", "2 tbsp"
    published_on = models.DateField(null=True, blank=True)  # FDC publication/available date
    # Set when a newer release no longer lists the product: kept for the diaries that use it.
    discontinued_on = models.DateField(null=True, blank=True)
    # Kept on the food (by the importer and the admin) so lists and rankings need no join.
    magnesium_mg_per_100g = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True, db_index=True
    )
    energy_kcal_per_100g = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True
    )
    net_carbs_g_per_100g = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True
    )
    verified = models.BooleanField(default=False)
    # A person's own food or recipe, seen only by them (the diary records whose it is).
    private = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FoodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["data_source", "source_id"], name="food_unique_source_id"
            ),
            # The summary columns within their physical bounds (`bounds.SUMMARY_LIMITS`).
            models.CheckConstraint(
                condition=_range("magnesium_mg_per_100g", bounds.SUMMARY_LIMITS["magnesium"]),
                name="food_magnesium_range",
            ),
            models.CheckConstraint(
                condition=_range("energy_kcal_per_100g", bounds.SUMMARY_LIMITS["energy_kcal"]),
                name="food_energy_range",
            ),
            models.CheckConstraint(
                condition=_range("net_carbs_g_per_100g", bounds.SUMMARY_LIMITS["carbohydrate"]),
                name="food_net_carbs_range",
            ),
        ]
        indexes = [
            models.Index(fields=["source_id"], name="food_source_id_idx"),
            models.Index(fields=["food_group", "magnesium_mg_per_100g"], name="food_group_mg_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def source_slug(self) -> str:
        """Where the values come from ("usda-sr28", "custom", …); select the data source."""
        return self.data_source.slug


class FoodNutrient(models.Model):
    """Amount of one nutrient in 100 g of one food, in the nutrient's unit."""

    # No index of its own: the unique (food, nutrient) index serves lookups by food, and one
    # index fewer makes the 679,045-row SR28 load about a fifth faster.
    food = models.ForeignKey(
        Food, on_delete=models.CASCADE, related_name="nutrient_values", db_index=False
    )
    nutrient = models.ForeignKey(Nutrient, on_delete=models.PROTECT, related_name="+")
    amount_per_100g = models.DecimalField(max_digits=12, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["food", "nutrient"], name="foodnutrient_unique"),
            # Within the column's capacity; the bound by unit is checked before any save.
            models.CheckConstraint(
                condition=_range("amount_per_100g", bounds.COLUMN_LIMIT, null=False),
                name="foodnutrient_amount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nutrient.key} in {self.food_id}"


class Portion(models.Model):
    """A household measure: `amount` × `description` weighs `gram_weight` grams."""

    # No index of its own: the unique (food, seq) index serves lookups by food.
    food = models.ForeignKey(
        Food, on_delete=models.CASCADE, related_name="portions", db_index=False
    )
    seq = models.PositiveIntegerField(default=1)
    amount = models.DecimalField(max_digits=10, decimal_places=3)
    description = models.CharField(max_length=200)
    gram_weight = models.DecimalField(max_digits=10, decimal_places=3)

    history = HistoricalRecords()

    class Meta:
        ordering = ["food", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["food", "seq"], name="portion_unique_seq"),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) & models.Q(amount__lte=bounds.MAX_PORTION_AMOUNT),
                name="portion_amount_range",
            ),
            models.CheckConstraint(
                condition=models.Q(gram_weight__gte=bounds.MIN_PORTION_GRAMS)
                & models.Q(gram_weight__lte=bounds.MAX_PORTION_GRAMS),
                name="portion_gram_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.description} ({self.gram_weight} g)"


class FoodImportRun(models.Model):
    """A FoodData Central download a staff member uploaded in the admin, loaded by a
    background job (nutrition.foods.tasks.food_import): its progress and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=9, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField("uploaded file", max_length=255)
    file_size = models.PositiveBigIntegerField("size (bytes)")
    # Where the upload waits for the job (a folder the web and worker processes share); empty
    # once the job is done with it.
    archive_path = models.CharField(max_length=500, blank=True, editable=False)
    progress_label = models.CharField("step", max_length=200, blank=True)
    progress_percent = models.PositiveSmallIntegerField("progress (%)", default=0)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True, help_text="The file and line, when a file is malformed.")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "FoodData Central import"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)
