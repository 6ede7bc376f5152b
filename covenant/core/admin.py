from django.contrib import admin

from covenant.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_name", "kind", "action", "object_repr")
    list_filter = ("kind",)
    search_fields = ("action", "actor_name", "object_repr")

    def has_change_permission(self, request, obj=None):  # the audit log is append-only
        return False

    def has_delete_permission(self, request, obj=None):
        return False
