from __future__ import annotations

from exchange.checks import check_province_settings


def test_nothing_is_checked_while_sync_is_off(settings):
    settings.PROVINCE_SYNC_ENABLED = False
    settings.PROVINCE_AES_KEY = "short"
    assert check_province_settings(None) == []


def test_a_short_deployment_wide_aes_key_is_an_error_when_sync_is_on(settings):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = "https://province.example/openapi"
    settings.PROVINCE_AES_KEY = "0123456789abcdef"
    errors = check_province_settings(None)
    assert [e.id for e in errors] == ["exchange.E001"]
    assert "应为 32 个 ASCII 字符" in errors[0].msg


def test_a_missing_endpoint_is_named(settings):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = ""
    settings.PROVINCE_AES_KEY = ""
    assert [e.msg for e in check_province_settings(None)] == [
        "已启用省平台数据对接，但 PROVINCE_ENDPOINT 未配置。"
    ]


def test_the_retired_deployment_wide_appid_is_named(settings, monkeypatch):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = "https://province.example/openapi"
    settings.PROVINCE_AES_KEY = ""
    monkeypatch.setenv("PROVINCE_APPID", "one-for-all")
    messages = [e.msg for e in check_province_settings(None)]
    assert messages == ["PROVINCE_APPID 已不再使用：省平台按项目分配 appid（全国项目编码）和密钥。"]


def test_an_endpoint_alone_passes_each_projects_secret_is_its_key(settings):
    settings.PROVINCE_SYNC_ENABLED = True
    settings.PROVINCE_ENDPOINT = "https://province.example/openapi"
    settings.PROVINCE_AES_KEY = ""
    assert check_province_settings(None) == []
