from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.uploads import clean_image_or_pdf

from .certificate_services import CERTIFICATE_FIELDS
from .models import PersonalCertification, Training
from .services import TRAINING_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _checked_scan(upload, label: str):
    """A scan checked and re-encoded by core (docs/architecture.md pattern 13), keeping the name it came with."""
    if not upload:
        return None
    clean = clean_image_or_pdf(upload, label=label)
    clean.original_name = upload.name
    return clean


class TrainingForm(PlatformFormMixin, forms.ModelForm):
    """项目培训; the signed sheet's scan (jpg/png/pdf) goes through core's checked upload."""

    sign_in_file = forms.FileField(
        label="签到表扫描件",
        required=False,
        help_text="JPG、PNG 或 PDF；重新上传将替换原文件。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    class Meta:
        model = Training
        fields = list(TRAINING_FIELDS)
        widgets = {
            "training_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "999.9"}),
        }

    def __init__(self, *args, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
            field.disabled = read_only
        self.fields["training_type"].widget.attrs["class"] = "form-select"

    def clean_sign_in_file(self):
        return _checked_scan(self.cleaned_data.get("sign_in_file"), "签到表扫描件")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in TRAINING_FIELDS}


class CertificateForm(PlatformFormMixin, forms.ModelForm):
    """人员证书; the scan (jpg/png/pdf) goes through core's checked upload (docs/architecture.md pattern 13)."""

    scan_file = forms.FileField(
        label="证书扫描件",
        required=False,
        help_text="JPG、PNG 或 PDF。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    class Meta:
        model = PersonalCertification
        fields = list(CERTIFICATE_FIELDS)
        widgets = {"issue_date": DATE_WIDGET, "valid_until": DATE_WIDGET, "review_date": DATE_WIDGET}

    def clean_scan_file(self):
        return _checked_scan(self.cleaned_data.get("scan_file"), "证书扫描件")

    def clean(self):
        data = super().clean()
        issue, until = data.get("issue_date"), data.get("valid_until")
        if issue and until and until < issue:
            self.add_error("valid_until", "有效期至不能早于发证日期。")
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CERTIFICATE_FIELDS}
