from __future__ import annotations

from django import forms

from jmzhgd.core.codes import District
from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.money import AmountField, max_deposit
from jmzhgd.core.uploads import clean_image_or_pdf

from .models import Bank, DepositForm, EventKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CONTRACT_SUM = 10**12  # 施工合同额 bound: a trillion yuan is a typing error, not a contract


def _checked_document(upload, label: str):
    """A scan checked and re-encoded by core (docs/architecture.md pattern 13), keeping its name."""
    if not upload:
        return None
    clean = clean_image_or_pdf(upload, label=label)
    clean.original_name = upload.name
    return clean


def _style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class DepositEditForm(PlatformFormMixin, forms.Form):
    contractor_name = forms.CharField(label="总承包单位名称", max_length=200)
    contractor_code = forms.CharField(label="总承包单位统一社会信用代码", max_length=18)
    district = forms.ChoiceField(label="所在区县", choices=District.choices)
    form = forms.ChoiceField(label="存储形式", choices=DepositForm.choices)
    bank_code = forms.ChoiceField(label="经办银行", choices=Bank.choices)
    branch_name = forms.CharField(label="经办网点", max_length=100, required=False)
    amount = AmountField(label="保证金金额(元)", maximum=max_deposit)
    contract_sum = AmountField(label="施工合同额(元)", maximum=MAX_CONTRACT_SUM, required=False)
    deposited_on = forms.DateField(label="存入（开立）日期", widget=DATE_WIDGET)
    guarantee_valid_until = forms.DateField(label="保函有效期至", required=False, widget=DATE_WIDGET)
    note = forms.CharField(label="备注", max_length=500, required=False)
    document_file = forms.FileField(
        label="存款凭证或保函扫描件",
        required=False,
        help_text="JPG、PNG 或 PDF；重新上传将替换原文件。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if districts:  # a supervisor records deposits only in his own 区县
            self.fields["district"].choices = [c for c in District.choices if c[0] in districts]
        _style(self)

    def clean_document_file(self):
        return _checked_document(self.cleaned_data.get("document_file"), "存款凭证或保函扫描件")


class EventForm(PlatformFormMixin, forms.Form):
    kind = forms.ChoiceField(label="事项", choices=EventKind.choices)
    happened_on = forms.DateField(label="发生日期", widget=DATE_WIDGET)
    amount = AmountField(
        label="金额(元)", maximum=max_deposit, required=False, help_text="返还时按当前余额，可不填。"
    )
    reason = forms.CharField(
        label="事由", max_length=500, help_text="如《农民工工资保证金支付通知书》文号、返还依据。"
    )
    document_file = forms.FileField(
        label="文书扫描件",
        required=False,
        help_text="支付通知书、补足凭证或返还文书；JPG、PNG 或 PDF。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_document_file(self):
        return _checked_document(self.cleaned_data.get("document_file"), "文书扫描件")
