from django.contrib import admin, messages

from outbox import services
from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Staff see what went out and what failed, and can queue failed messages again. Rows are
    written by the site only: nothing here edits or adds one."""

    list_display = ("created_at", "category", "to", "subject", "status", "attempts", "last_error")
    list_filter = ("status", "category")
    search_fields = ("to",)
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    actions = ["queue_again"]
    # The bodies stay out of sight: a queued or failed one can hold a one-time link (a password
    # reset, an invitation) that is the recipient's alone.
    fields = readonly_fields = [
        "key",
        "to",
        "subject",
        "category",
        "headers",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "dispatched_at",
        "sent_at",
    ]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Queue the selected failed messages again", permissions=["view"])
    def queue_again(self, request, queryset) -> None:
        count = services.requeue(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} failed message(s) queued again.", messages.SUCCESS)
