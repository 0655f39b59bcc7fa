from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from enterprises.models import ParticipatingUnit
from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.uploads import clean_image_or_pdf, clean_pdf

from .models import Contract
from .services import CONTRACT_FIELDS, MAX_SCANS_PER_CONTRACT

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ScanFilesField(forms.FileField):
    """Several jpg/png/pdf pages; each checked (images re-encoded, PDFs by signature and size)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": ".jpg,.jpeg,.png,.pdf"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not uploads:
            if self.required:
                raise ValidationError("请上传合同扫描件。")
            return []
        if len(uploads) > MAX_SCANS_PER_CONTRACT:
            raise ValidationError(f"一次最多上传 {MAX_SCANS_PER_CONTRACT} 个文件。")
        cleaned, errors = [], []
        for upload in uploads:
            # Content decides what a file is; a name ending in .pdf only picks the clearer message.
            check = clean_pdf if upload.name.lower().endswith(".pdf") else clean_image_or_pdf
            try:
                clean = check(upload, label=f"文件“{upload.name}”")
            except ValidationError as exc:
                errors.extend(exc.messages)
                continue
            clean.original_name = upload.name
            cleaned.append(clean)
        if errors:
            raise ValidationError(errors)
        return cleaned


class ContractForm(PlatformFormMixin, forms.ModelForm):
    """合同信息. Saving goes through contracts.services; the form only parses and checks input."""

    scans = ScanFilesField(
        label="上传扫描件", required=False, help_text="可多选，每页一个文件；支持 JPG、PNG、PDF。"
    )

    class Meta:
        model = Contract
        fields = CONTRACT_FIELDS
        widgets = {"start_date": DATE_WIDGET, "end_date": DATE_WIDGET}
        help_texts = {"end_date": "固定期限合同必填，不能早于合同生效日期。"}
        error_messages = {
            "start_date": {
                "required": "请填写合同生效日期。",
                "invalid": "合同生效日期格式应为 YYYY-MM-DD。",
            },
            "end_date": {"invalid": "合同失效日期格式应为 YYYY-MM-DD。"},
            "unit": {"required": "请选择合同签订企业。", "invalid_choice": "请选择本项目的参建单位。"},
            "unit_price": {"invalid": "单价必须是数字。"},
        }

    def __init__(self, *args, project, read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        unit_field.queryset = ParticipatingUnit.objects.filter(project=project).select_related("enterprise")
        unit_field.empty_label = None
        if read_only:
            del self.fields["scans"]
            for field in self.fields.values():
                field.disabled = True

    def contract_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CONTRACT_FIELDS}
