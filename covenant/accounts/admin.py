from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from covenant.accounts.models import Role, User


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0


@admin.register(User)
class CovenantUserAdmin(UserAdmin):
    inlines = [RoleInline]
