from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "covenant.signals"
    label = "signals"
