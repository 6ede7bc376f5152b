from django.apps import AppConfig


class DuediligenceConfig(AppConfig):
    name = "covenant.duediligence"
    label = "duediligence"
    default_auto_field = "django.db.models.BigAutoField"
