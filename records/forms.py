from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformForm

from .services import REASON_MAX

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HoldForm(PlatformForm):
    project_code = forms.CharField(label="项目编码", max_length=32, help_text="项目库中的项目编码")
    reason = forms.CharField(
        label="保全原因",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="争议、投诉或诉讼的案号及简要说明；保全期间该项目的任何记录都不会被清理。",
    )


class EndHoldForm(PlatformForm):
    reason = forms.CharField(
        label="解除原因", max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class DossierForm(PlatformForm):
    date_from = forms.DateField(label="开始日期", widget=DATE_WIDGET)
    date_to = forms.DateField(label="结束日期", widget=DATE_WIDGET)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data
