from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jmzhgd.api"
    label = "api"
    verbose_name = "接口"
