"""The platform's one captcha field (login, 项目申报, 申报进度查询)."""

from __future__ import annotations

from captcha.fields import CaptchaField, CaptchaTextInput


def captcha_field() -> CaptchaField:
    return CaptchaField(
        label="验证码",
        error_messages={"invalid": "验证码错误，请重新输入。", "required": "请填写验证码。"},
        widget=CaptchaTextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
