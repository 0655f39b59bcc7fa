from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = "档案保存"

    def ready(self) -> None:
        from . import dossier  # noqa: F401 — registers the project dossier's exporter (jmzhgd.jobs.registry)
