from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "预警中心"

    def ready(self) -> None:
        from jmzhgd.core import panels

        from . import hooks
        from .panels import project_overview

        hooks.connect()
        panels.register("project_overview", project_overview)
