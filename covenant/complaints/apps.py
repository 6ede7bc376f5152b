from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "covenant.complaints"
    label = "complaints"
