from django.contrib import admin

from nutrition.clinic.models import AccessLog, CareRelationship, ClientNote, Invitation


@admin.register(CareRelationship)
class CareRelationshipAdmin(admin.ModelAdmin):
    list_display = ["dietitian", "client", "since", "ended_at"]
    list_filter = ["ended_at"]
    search_fields = ["dietitian__email", "client__email"]
    list_select_related = ["dietitian", "client"]
    raw_id_fields = ["dietitian", "client"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["dietitian", "client_email", "created_at", "expires_at", "status"]
    search_fields = ["dietitian__email", "client_email"]
    list_select_related = ["dietitian"]
    exclude = ["token_hash"]
    readonly_fields = ["dietitian", "client_email", "created_at", "sent_at", "expires_at"]


@admin.register(ClientNote)
class ClientNoteAdmin(admin.ModelAdmin):
    """Who wrote to whom and when, never the text: a note is about the client's diary, which
    only the client and their dietitians read. Support may delete one, not read or change it."""

    list_display = ["client", "author_name", "day", "created_at"]
    search_fields = ["client__email", "author_name"]
    list_select_related = ["client"]
    fields = ["client", "author_name", "day", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: nobody, not even a superuser, may add, change or delete log rows."""

    list_display = ["when", "who", "what", "client"]
    search_fields = ["who", "client__email"]
    list_select_related = ["client"]
    date_hierarchy = "when"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
