from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "培训"

    def ready(self) -> None:
        # A floor below calls up through its hook, never by import (README "Floors").
        from workforce.hooks import entry_checking

        from . import exports  # noqa: F401 — registers the app's exporters (jmzhgd.jobs.registry)
        from .gate import check_entry_training

        entry_checking.connect(check_entry_training, dispatch_uid="training.check_entry_training")
