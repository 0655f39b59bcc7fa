from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "人员与花名册"

    def ready(self):
        from . import exports  # noqa: F401 — registers the app's exporters (jmzhgd.jobs.registry)
