from django.apps import AppConfig


class SupplychainConfig(AppConfig):
    name = "covenant.supplychain"
    label = "supplychain"
