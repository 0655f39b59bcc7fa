from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jmzhgd.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        from jmzhgd.core import health

        from . import services, stall  # noqa: F401 (services registers the exports' stall recovery)

        health.worker_check("worker")(stall.worker_health)
        health.worker_check("worker_media")(stall.worker_media_health)
