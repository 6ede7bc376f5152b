from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "covenant.agreements"
    label = "agreements"
