from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "workforce"
    verbose_name = "人员与花名册"

    def ready(self) -> None:
        # A floor below calls up through its hook, never by import (README "Floors").
        from enterprises.hooks import members_exiting

        from .imports import job  # noqa: F401 — registers the stalled-import recovery (purge_exports)
        from .receivers import exit_workers_with

        members_exiting.connect(exit_workers_with, dispatch_uid="workforce.exit_workers_with")
