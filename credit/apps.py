from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "诚信"

    def ready(self) -> None:
        # Lower floors call up through their hooks, never by import (docs/architecture.md §3).
        from enterprises.hooks import unit_entry_checking
        from workforce.hooks import entry_checking

        from .gate import check_entry_lists, check_unit_lists

        entry_checking.connect(check_entry_lists, dispatch_uid="credit.check_entry_lists")
        unit_entry_checking.connect(check_unit_lists, dispatch_uid="credit.check_unit_lists")
