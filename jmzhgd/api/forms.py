from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformFormMixin
from projects.models import Project

from .services import new_form_token


class CredentialForm(PlatformFormMixin, forms.Form):
    name = forms.CharField(
        label="用途说明",
        max_length=100,
        help_text="例如：某某考勤机厂商、某某采集APP",
        error_messages={"required": "请填写用途说明。"},
    )
    projects = forms.ModelMultipleChoiceField(
        label="授权项目",
        queryset=Project.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="接口凭证只能读写所选项目的数据。",
        error_messages={
            "required": "请至少选择一个授权项目。",
            "invalid_choice": "所选项目不在您的管理范围内。",
        },
    )

    # One-time token against a double-posted form (api.services.new_form_token).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["form_token"] = new_form_token()
        if project is not None:
            # A project account grants its own project only.
            del self.fields["projects"]
        else:
            self.fields["projects"].queryset = Project.objects.visible_to(user).order_by("code")
