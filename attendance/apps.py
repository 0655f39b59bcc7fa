from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "考勤"

    def ready(self):
        from . import exporters  # noqa: F401 — registers the attendance exporters
