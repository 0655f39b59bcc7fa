from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from jmzhgd.core.captcha import captcha_field
from jmzhgd.core.forms import PlatformFormMixin


class LoginForm(PlatformFormMixin, AuthenticationForm):
    """账号, 密码, 验证码. The captcha is checked before the password is tried."""

    # A username longer than any account's is refused here, before authenticate(): its failure
    # would otherwise be recorded by axes in a 255-character column (a 500 on PostgreSQL).
    username = forms.CharField(
        label="账号",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True}),
        error_messages={"required": "请填写账号。", "max_length": "账号不能超过 150 个字符。"},
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput, error_messages={"required": "请填写密码。"}
    )
    captcha = captcha_field()

    error_messages = {
        "invalid_login": "账号或密码错误。连续多次错误后账号将被暂时锁定。",
        "inactive": "该账号已被停用，请联系监管方。",
    }

    field_order = ["username", "password", "captcha"]

    def clean(self):
        # The captcha field is validated first (fields before clean()); a wrong captcha never
        # reaches authenticate(), so it cannot be used to probe passwords.
        if "captcha" in self.errors:
            return self.cleaned_data
        return super().clean()


class PlatformPasswordChangeForm(PlatformFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and self.user.check_password(new):
            raise forms.ValidationError("新密码不能与原密码相同。")
        return new
