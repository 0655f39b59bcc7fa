"""django-axes (login lockout) under a Chinese name in the admin; the names of its models and
fields are translated in locale/zh_Hans (the package ships no Chinese catalogue)."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录锁定"
