from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformForm


class CredentialForm(PlatformForm):
    appid = forms.CharField(
        label="appid（全国项目编码）",
        max_length=64,
        help_text="省平台以项目的全国项目编码作为 appid。",
    )
    secret = forms.CharField(
        label="密钥（appsecret）",
        max_length=128,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="省平台为本项目下发的密钥；加密保存，保存后不再显示。",
    )
