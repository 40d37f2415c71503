"""Identity: a user logs in with an e-mail address; their profile holds what the targets need."""

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from nutrition.reference import age_in_years


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)  # its Profile comes with it (accounts.signals)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mail address", unique=True)
    name = models.CharField("name", max_length=150, blank=True)
    is_staff = models.BooleanField(
        default=False, help_text="Can sign in to the admin site (two-factor required)."
    )
    is_active = models.BooleanField(default=True)
    is_dietitian = models.BooleanField(
        "dietitian",
        default=False,
        help_text="Can invite clients and review the diaries of those who accept (two-factor "
        "required).",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        """The one way a person is named to others (the clinic's pages and e-mails, the
        access log): the name they set, or their e-mail address when they set none."""
        return self.name.strip() or self.email

    @property
    def name_and_email(self) -> str:
        """The display name with the address beside it, when the name alone may not say who
        it is (a record of who looked at a diary): "Dana Ng <dana@example.org>"."""
        name = self.name.strip()
        return f"{name} <{self.email}>" if name else self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.name.strip() or self.email.split("@")[0]


# Every account starts in UTC until the person (or their browser, at sign-up) says otherwise.
DEFAULT_TIMEZONE = "UTC"

# What a person sets on their profile; the profile form, the profile API and
# `profile_update` all take these.
PROFILE_OWN_FIELDS = (
    "sex",
    "birth_date",
    "life_stage",
    "kidney_disease",
    "timezone",
    "units",
    "weekly_summary",
    "clinic_digest",
)
# The e-mail lists a person can leave with one click (the unsubscribe links): list -> field.
EMAIL_LISTS = {"weekly-summary": "weekly_summary", "clinic-digest": "clinic_digest"}
# What a person sets on their account itself (the user row): the profile form and API take it
# beside the profile's fields.
ACCOUNT_OWN_FIELDS = ("name",)


class Profile(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    class LifeStage(models.TextChoices):
        NONE = "none", "Neither"
        PREGNANT = "pregnant", "Pregnant"
        LACTATING = "lactating", "Breastfeeding"

    class Units(models.TextChoices):
        METRIC = "metric", "Metric (g, ml)"
        US = "us", "US household (oz, cups)"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    sex = models.CharField(
        max_length=6,
        choices=Sex.choices,
        blank=True,
        help_text="Used to pick the reference intake values.",
    )
    birth_date = models.DateField(null=True, blank=True)
    life_stage = models.CharField(max_length=9, choices=LifeStage.choices, default=LifeStage.NONE)
    kidney_disease = models.BooleanField(
        default=False, help_text="Chronic kidney disease or reduced kidney function."
    )
    timezone = models.CharField(max_length=64, default=DEFAULT_TIMEZONE)
    units = models.CharField(max_length=6, choices=Units.choices, default=Units.METRIC)
    weekly_summary = models.BooleanField(
        "weekly summary e-mail",
        default=False,
        help_text="Each Monday morning: last week's average magnesium, days on target, top "
        "foods and any day above the supplement limit.",
    )
    clinic_digest = models.BooleanField(
        "daily clinic digest",
        default=True,
        help_text="Dietitians: a morning e-mail naming the clients with flags, when any is "
        "flagged.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(life_stage="none") | models.Q(sex="female"),
                name="profile_life_stage_needs_female",
            ),
            models.CheckConstraint(
                condition=models.Q(sex__in=["", "female", "male"]), name="profile_sex_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def age_on(self, day: date) -> int | None:
        """Whole years of age on `day` (birthdays count from the day itself)."""
        if self.birth_date is None:
            return None
        return age_in_years(self.birth_date, day)
