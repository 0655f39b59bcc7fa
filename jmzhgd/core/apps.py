from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jmzhgd.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self):
        from . import checks  # noqa: F401  (registers the key checks)
