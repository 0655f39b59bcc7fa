from __future__ import annotations

from exchange.checks import check_province_settings


def test_nothing_is_checked_while_sync_is_off(settings):
    settings.PROVINCE_SYNC_ENABLED = False
    settings.PROVINCE_AES_KEY = "short"
    assert check_province_settings(None) == []


def test_a_short_aes_key_is_an_error_when_sync_is_on(settings):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = "https://province.example/openapi"
    settings.PROVINCE_APPID = "appid"
    settings.PROVINCE_SECRET = "secret"
    settings.PROVINCE_AES_KEY = "0123456789abcdef"
    errors = check_province_settings(None)
    assert [e.id for e in errors] == ["exchange.E001"]
    assert "应为 32 个 ASCII 字符" in errors[0].msg


def test_missing_settings_are_named(settings):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = ""
    settings.PROVINCE_APPID = ""
    settings.PROVINCE_SECRET = "secret"
    settings.PROVINCE_AES_KEY = "0123456789abcdef0123456789ABCDEF"
    messages = [e.msg for e in check_province_settings(None)]
    assert messages == [
        "已启用省平台数据对接，但 PROVINCE_ENDPOINT 未配置。",
        "已启用省平台数据对接，但 PROVINCE_APPID 未配置。",
    ]


def test_a_complete_configuration_passes(settings):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = "https://province.example/openapi"
    settings.PROVINCE_APPID = "appid"
    settings.PROVINCE_SECRET = "secret"
    settings.PROVINCE_AES_KEY = "0123456789abcdef0123456789ABCDEF"
    assert check_province_settings(None) == []
