from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "预警中心"

    def ready(self) -> None:
        from jmzhgd.core import panels

        from . import (
            deadlines,
            deposit_rules,
            entry_rules,
            hooks,
            key_post_rules,
            registry,
            rules,
            wage_rules,
        )
        from .panels import project_overview

        registry.register(rules, entry_rules, key_post_rules, wage_rules, deposit_rules, deadlines)
        hooks.connect()
        panels.register("project_overview", project_overview)
