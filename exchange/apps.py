from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "数据对接"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the configuration check)
