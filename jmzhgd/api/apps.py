from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jmzhgd.api"
    label = "api"
    verbose_name = "接口"

    def ready(self) -> None:
        from jmzhgd.accounts.hooks import sessions_ended

        from .services import end_tokens_of

        sessions_ended.connect(end_tokens_of, dispatch_uid="api.end_tokens_of")

        from . import signals  # noqa: F401  (connects the password-change receivers)
