"""Back-office repair only: no main workflow depends on the admin."""

from django.contrib import admin

from covenant.agreements import models


class ThemeInline(admin.TabularInline):
    model = models.Theme
    extra = 0


class MembershipEventInline(admin.TabularInline):
    model = models.MembershipEvent
    extra = 0
    readonly_fields = ("created_at",)


@admin.register(models.Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("name_en", "sector", "status", "signed_on", "ends_on")
    inlines = [ThemeInline]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "country", "city")
    list_filter = ("type",)
    search_fields = ("name", "slug")


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("company", "agreement", "status", "applied_on", "joined_on", "ended_on")
    list_filter = ("agreement", "status")
    search_fields = ("company__name",)
    inlines = [MembershipEventInline]


admin.site.register(models.Brand)
admin.site.register(models.Signatory)
admin.site.register(models.Commitment)
admin.site.register(models.CommitmentTarget)
