from django.apps import AppConfig


class PogiConfig(AppConfig):
    name = "pogi"
    verbose_name = "POGI"
