from django.apps import AppConfig


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = "工资保证金"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (registers the coverage export by name)
