from django.apps import AppConfig


class WagesConfig(AppConfig):
    name = "wages"
    verbose_name = "工资管理"
