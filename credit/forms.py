from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.uploads import clean_image_or_pdf

from .codes import BadCategory, GoodCategory, RecordKind
from .models import CreditRecord

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CATEGORY_CHOICES = [
    ("", "（名单无须选择）"),
    ("不良行为类别", BadCategory.choices),
    ("奖励类别", GoodCategory.choices),
]


class RecordForm(PlatformFormMixin, forms.ModelForm):
    """A record or list entry; the evidence scan (jpg/png/pdf) goes through core's checked upload
    (docs/architecture.md pattern 13)."""

    category = forms.ChoiceField(label="类别", choices=CATEGORY_CHOICES, required=False)
    evidence_file = forms.FileField(
        label="证明材料扫描件",
        required=False,
        help_text="处罚决定书、表彰文件等，JPG、PNG 或 PDF。",
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
    )

    class Meta:
        model = CreditRecord
        fields = ["kind", "category", "start_date", "end_date", "issuer", "description"]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        for name in ("kind", "category"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["end_date"].help_text = "记录的有效期或名单的移出日期；名单必填。"

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if not upload:
            return None
        clean = clean_image_or_pdf(upload, label="证明材料扫描件")
        clean.original_name = upload.name
        return clean

    def clean(self):
        data = super().clean()
        kind, category = data.get("kind"), data.get("category")
        if kind == RecordKind.GOOD and category not in GoodCategory.values:
            self.add_error("category", "良好记录请选择奖励类别。")
        elif kind == RecordKind.BAD and category not in BadCategory.values:
            self.add_error("category", "不良记录请选择不良行为类别。")
        elif kind in (RecordKind.BLACKLIST, RecordKind.JOINT) and not data.get("end_date"):
            self.add_error("end_date", "名单须填写移出日期。")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "有效期至/移出日期不能早于发生/列入日期。")
        return data

    def values(self) -> dict:
        names = ("kind", "category", "start_date", "end_date", "issuer", "description")
        return {name: self.cleaned_data.get(name) for name in names}


class SubjectByNumberForm(PlatformFormMixin, forms.Form):
    """A supervisor names the subject: a person by ID number or an enterprise by credit code."""

    id_number = forms.CharField(label="人员身份证号码", max_length=18, required=False)
    credit_code = forms.CharField(label="企业统一社会信用代码", max_length=18, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean(self):
        from enterprises.models import Enterprise
        from jmzhgd.core.pii import id_digest
        from workforce.models import Person

        data = super().clean()
        number = (data.get("id_number") or "").strip().upper()
        code = (data.get("credit_code") or "").strip().upper()
        if bool(number) == bool(code):
            raise forms.ValidationError("请填写人员身份证号码或企业统一社会信用代码（二者选一）。")
        data["person"] = data["enterprise"] = None
        if number:
            data["person"] = Person.objects.filter(id_number_digest=id_digest(number)).first()
            if data["person"] is None:
                self.add_error("id_number", "人员库中未找到该身份证号码。")
        else:
            data["enterprise"] = Enterprise.objects.filter(credit_code=code).first()
            if data["enterprise"] is None:
                self.add_error("credit_code", "企业库中未找到该统一社会信用代码。")
        return data


class SubjectInProjectForm(PlatformFormMixin, forms.Form):
    """A project names the subject among its own: a person of its roster or one of its units."""

    person = forms.ModelChoiceField(label="本项目人员", queryset=None, required=False)
    enterprise = forms.ModelChoiceField(label="本项目参建单位", queryset=None, required=False)

    def __init__(self, *args, project, **kwargs):
        from enterprises.models import Enterprise
        from workforce.models import Person

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(roster_entries__project=project).distinct()
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            participations__project=project
        ).distinct()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
            field.empty_label = "（不选）"

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("enterprise")):
            raise forms.ValidationError("请选择一名本项目人员或一家本项目参建单位（二者选一）。")
        return data


class DecideForm(PlatformFormMixin, forms.Form):
    note = forms.CharField(label="审核意见", max_length=500, required=False)


class EndForm(PlatformFormMixin, forms.Form):
    day = forms.DateField(label="移出/终止日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(PlatformFormMixin, forms.Form):
    reason = forms.CharField(label="申诉理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(PlatformFormMixin, forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("0", "维持原记录"), ("1", "申诉成立，撤销记录")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label="答复", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
