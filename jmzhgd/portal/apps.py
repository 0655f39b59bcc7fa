from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: pages that read across apps (README "Floors"). An app so that its exporters
    are registered (jmzhgd.jobs.registry) in every process, the job worker's included."""

    name = "jmzhgd.portal"
    label = "portal"
    verbose_name = "综合页面"

    def ready(self) -> None:
        from . import monthly_report, roster_exports  # noqa: F401 — register 月报 and 导出花名册
