from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "enterprises"
    verbose_name = "企业与参建单位"

    def ready(self) -> None:
        # A floor below calls up through its hook, never by import (README "Floors").
        from projects.hooks import project_established

        from .receivers import enter_builder_and_contractor

        project_established.connect(enter_builder_and_contractor, dispatch_uid="enterprises.project_units")
