"""A person's laboratory results: the value as on their report, and the same in SI units."""

from django.conf import settings
from django.db import models

from nutrition import labs

ANALYTE_CHOICES = [(a.code, a.name) for a in labs.ANALYTES.values()]
UNIT_CODES = sorted({u.code for a in labs.ANALYTES.values() for u in a.units})


class Source(models.TextChoices):
    SELF = "self", "Entered by the person"
    DIETITIAN = "dietitian", "Entered by their dietitian"
    IMPORT = "import", "Imported"


class LabResultQuerySet(models.QuerySet):
    def for_user(self, user) -> "LabResultQuerySet":
        return self.filter(user=user)


class LabResult(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_results"
    )
    analyte = models.CharField(max_length=20, choices=ANALYTE_CHOICES)
    # As entered, in the unit on the report.
    value = models.DecimalField(max_digits=12, decimal_places=4)
    unit = models.CharField(max_length=16)
    # The same in the analyte's SI unit (`labs.ANALYTES[analyte].si`): what every figure uses.
    value_si = models.DecimalField(max_digits=14, decimal_places=labs.SI_PLACES)
    taken_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=9, choices=Source.choices, default=Source.SELF)
    # Who typed it, when not the person (a dietitian); kept as a name if that account goes.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LabResultQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [
            models.Index(fields=["user", "analyte", "taken_on"], name="lab_user_analyte_day")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(analyte__in=list(labs.ANALYTES)), name="lab_analyte_known"
            ),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="lab_value_positive"),
            models.CheckConstraint(
                condition=models.Q(value_si__gt=0), name="lab_value_si_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analyte} {self.value} {self.unit} on {self.taken_on}"

    @property
    def analyte_info(self) -> labs.Analyte:
        return labs.ANALYTES[self.analyte]

    @property
    def unit_si(self) -> str:
        return self.analyte_info.si.code

    @property
    def loinc(self) -> str:
        unit = self.analyte_info.unit(self.unit)
        return unit.loinc if unit else self.analyte_info.si.loinc

    @property
    def category(self) -> labs.Category | None:
        return labs.result_category(self.analyte, self.value_si)
