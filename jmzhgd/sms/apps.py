from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "jmzhgd.sms"
    label = "sms"
    verbose_name = "短信验证码"
