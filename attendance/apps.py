from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "考勤"

    def ready(self):
        from jmzhgd.core import panels

        from . import exporters  # noqa: F401 — registers the attendance exporters
        from .key_posts import overview_panel

        panels.register("project_overview", overview_panel)
