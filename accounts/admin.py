"""The user admin: accounts, roles and support counts. A person's health data (the profile's
sex, birth date, life stage, kidney disease and targets; the diary) is not shown here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts import services
from accounts.models import Profile, User
from mgsite import registry


class ProfileInline(admin.StackedInline):
    """Only the settings support may need; the health details stay the person's own."""

    model = Profile
    fk_name = "user"
    can_delete = False
    extra = 0
    fields = ["timezone", "units"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_dietitian", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_dietitian", "is_staff", "is_superuser", "is_active"]
    actions = ["grant_dietitian_role", "revoke_dietitian_role"]
    search_fields = ["email", "name"]
    readonly_fields = ["date_joined", "last_login", "diary_counts"]
    inlines = [ProfileInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["name"]}),
        (
            "Permissions",
            {
                "fields": [
                    "is_active",
                    "is_dietitian",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
        ("Diary", {"fields": ["diary_counts"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]

    @admin.display(description="in the diary")
    def diary_counts(self, user: User) -> str:
        """How much, never what: enough to answer "where did my entries go?"."""
        if user.pk is None:
            return "-"
        counts: dict[str, int] = {}
        for found in registry.collect("accounts.support_counts", user):
            counts.update(found)
        return ", ".join(f"{label}: {count}" for label, count in counts.items()) or "-"

    @admin.action(description="Make the selected accounts dietitians")
    def grant_dietitian_role(self, request, queryset):
        for user in queryset:
            services.dietitian_role_set(user=user, granted=True)
        self.message_user(request, f"{queryset.count()} account(s) are now dietitians.")

    @admin.action(description="Remove the dietitian role from the selected accounts")
    def revoke_dietitian_role(self, request, queryset):
        for user in queryset:
            services.dietitian_role_set(user=user, granted=False)
        self.message_user(request, f"{queryset.count()} account(s) are no longer dietitians.")
