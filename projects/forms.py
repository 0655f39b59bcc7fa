"""Forms of the declaration, the review, the supervisor's account care and the project library."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from jmzhgd.core.captcha import captcha_field
from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.uploads import clean_image, clean_image_or_pdf
from jmzhgd.core.validators import (
    NameFieldsMixin,
    normalise_text,
    validate_credit_code,
    validate_mobile,
    validate_phone,
)

from .models import ConstructionPermit, Declaration, Project
from .services import DECLARATION_MAX_ATTACHMENTS, DECLARED_PROJECT_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `clean_image_or_pdf` in the form."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ProjectFieldsMixin(NameFieldsMixin):
    """Normalisation and checks shared by every form that carries the declaration's fields."""

    name_fields = ("name", "builder_name", "contractor_name", "contact_name", "labour_manager_name")

    def clean_name(self):
        name = " ".join((self.cleaned_data.get("name") or "").split())
        if not name:
            raise ValidationError("请填写项目名称。")
        return name

    def clean_builder_code(self):
        return validate_credit_code(self.cleaned_data.get("builder_code"))

    def clean_contractor_code(self):
        return validate_credit_code(self.cleaned_data.get("contractor_code"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("planned_completion_date")
        if start and end and end < start:
            self.add_error("planned_completion_date", "计划竣工日期不能早于开工日期。")
        for field in ("total_investment", "building_area"):
            value = cleaned.get(field)
            if value is not None and value < 0:
                self.add_error(field, "不能为负数。")
        return cleaned


# The declaration form shows the fields it hands over to the project, with the 施工许可证号 (which
# becomes the project's first permit) after the two enterprises.
_PERMIT_AT = DECLARED_PROJECT_FIELDS.index("contractor_code") + 1
DECLARATION_FIELDS = [
    *DECLARED_PROJECT_FIELDS[:_PERMIT_AT],
    "permit_number",
    *DECLARED_PROJECT_FIELDS[_PERMIT_AT:],
]


class DeclarationForm(PlatformFormMixin, ProjectFieldsMixin, forms.ModelForm):
    """项目申报 (public): the fields of docs/requirements.md §3, attachments, captcha."""

    attachments = MultipleFileField(
        label="附件（可选）",
        required=False,
        help_text=f"JPG、PNG 或 PDF，最多 {DECLARATION_MAX_ATTACHMENTS} 个，如施工许可证、中标通知书。",
    )
    captcha = captcha_field()

    class Meta:
        model = Declaration
        fields = DECLARATION_FIELDS
        widgets = {
            "start_date": DATE_WIDGET,
            "planned_completion_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"contact_phone": "手机号码，用于申报进度查询。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "planned_completion_date"):
            self.fields[name].input_formats = ["%Y-%m-%d"]

    def clean_contact_phone(self):
        return validate_mobile(self.cleaned_data.get("contact_phone"))

    def clean_permit_number(self):
        return normalise_text(self.cleaned_data.get("permit_number"))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > DECLARATION_MAX_ATTACHMENTS:
            raise ValidationError(f"附件最多 {DECLARATION_MAX_ATTACHMENTS} 个。")
        checked, errors = [], []
        for upload in files:
            try:
                checked.append((upload.name, clean_image_or_pdf(upload, label=f"附件“{upload.name}”")))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class DeclarationStatusForm(PlatformFormMixin, forms.Form):
    """申报进度查询: number + the contact phone given in the declaration."""

    number = forms.CharField(label="申报编号", max_length=20)
    phone = forms.CharField(label="联系电话", max_length=20)
    captcha = captcha_field()

    def clean_number(self):
        return normalise_text(self.cleaned_data.get("number")).upper()

    def clean_phone(self):
        return normalise_text(self.cleaned_data.get("phone")).removeprefix("+86")


class RejectForm(PlatformFormMixin, forms.Form):
    reason = forms.CharField(
        label="驳回原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "驳回时必须填写驳回原因。"},
    )

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise ValidationError("驳回时必须填写驳回原因。")
        return reason


class DirectProjectForm(PlatformFormMixin, ProjectFieldsMixin, forms.ModelForm):
    """A supervisor creates a project that existed on the old platform, and its account."""

    permit_number = forms.CharField(label="施工许可证号", max_length=50, required=False)

    class Meta:
        model = Project
        # What a declaration would have carried, plus the status an old-platform project already has.
        fields = [*DECLARED_PROJECT_FIELDS, "status"]
        widgets = {
            "start_date": DATE_WIDGET,
            "planned_completion_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_name"].required = True
        self.fields["contact_phone"].required = True
        # A district supervisor creates projects in its own 区县 only.
        if user is not None and not user.is_superuser and user.districts:
            self.fields["district"].choices = [
                (value, label) for value, label in self.fields["district"].choices if value in user.districts
            ]

    def clean_contact_phone(self):
        return validate_phone(self.cleaned_data.get("contact_phone"))

    def clean_permit_number(self):
        return normalise_text(self.cleaned_data.get("permit_number"))


class ProjectEditForm(PlatformFormMixin, ProjectFieldsMixin, forms.ModelForm):
    """【编辑】: every field of docs/requirements.md §4 (the declaration's plus status, 竣工日期, 劳资专管员); the 工资专户 has
    its own page (wages), where the account number is stored encrypted."""

    class Meta:
        model = Project
        fields = [
            *DECLARED_PROJECT_FIELDS,
            "completion_date",
            "status",
            "labour_manager_name",
            "labour_manager_phone",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "planned_completion_date": DATE_WIDGET,
            "completion_date": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_contact_phone(self):
        value = self.cleaned_data.get("contact_phone")
        return validate_phone(value) if value else ""

    def clean_labour_manager_phone(self):
        value = self.cleaned_data.get("labour_manager_phone")
        return validate_phone(value) if value else ""

    def clean(self):
        cleaned = super().clean()
        start, done = cleaned.get("start_date"), cleaned.get("completion_date")
        if start and done and done < start:
            self.add_error("completion_date", "竣工日期不能早于开工日期。")
        return cleaned


class PermitForm(PlatformFormMixin, NameFieldsMixin, forms.ModelForm):
    name_fields = ("scope_name",)

    class Meta:
        model = ConstructionPermit
        fields = ["number", "scope_name", "issued_on"]
        widgets = {
            "number": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "scope_name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "issued_on": forms.DateInput(
                attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
            ),
        }

    def clean_number(self):
        number = normalise_text(self.cleaned_data.get("number"))
        if not number:
            raise ValidationError("请填写施工许可证号。")
        return number


class BasePermitFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Before the model formset's own unique check, so the message names the field in Chinese.
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data.get("number")
            if number and number in seen:
                form.add_error("number", "施工许可证号重复。")
            seen.add(number)
        super().clean()


PermitFormSet = inlineformset_factory(
    Project, ConstructionPermit, form=PermitForm, formset=BasePermitFormSet, extra=1, can_delete=True
)


class PlaceCodeField(forms.CharField):
    """The 场所码 ID is opaque: its ends are trimmed (a pasted code keeps no stray space) but nothing
    inside is rewritten. A subclass, so the platform's compaction of code fields (which removes inner
    spaces and turns full-width into half-width, jmzhgd.core.forms) leaves it alone and the form can
    refuse a code with a space inside or a non-ASCII character instead of silently changing it."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)  # the browser would cut a code pasted with a leading space
        return attrs


class PlaceCodeForm(PlatformFormMixin, forms.Form):
    """【场所码登记】: the 粤省事 场所码 ID (opaque) and optionally its QR image."""

    place_code = PlaceCodeField(
        label="场所码ID", max_length=64, help_text="在微信小程序【粤省事】生成场所码后获得的场所码 ID。"
    )
    image = forms.FileField(
        label="场所码二维码图片（可选）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )
    remove_image = forms.BooleanField(label="删除已上传的二维码图片", required=False)

    def clean_place_code(self):
        code = self.cleaned_data.get("place_code") or ""
        if not code:
            raise ValidationError("请填写场所码ID。")
        if any(ch.isspace() for ch in code):
            raise ValidationError("场所码ID中间不能有空格，请按【粤省事】显示的 ID 原样填写。")
        if not code.isascii() or not code.isprintable():
            raise ValidationError(
                "场所码ID只能包含英文字母、数字和半角符号，不能有中文、全角字符或控制字符。"
            )
        return code

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        return clean_image(upload, label="场所码二维码图片")


class LocationForm(PlatformFormMixin, forms.Form):
    """【项目定位】: WGS-84 latitude and longitude; these inputs work without any map service."""

    lat = forms.DecimalField(
        label="纬度", max_digits=12, widget=forms.NumberInput(attrs={"step": "0.000001"})
    )
    lng = forms.DecimalField(
        label="经度", max_digits=12, widget=forms.NumberInput(attrs={"step": "0.000001"})
    )

    def clean(self):
        from .services import check_coordinates

        cleaned = super().clean()
        lat, lng = cleaned.get("lat"), cleaned.get("lng")
        if lat is not None and lng is not None:
            lat, lng, warning = check_coordinates(Decimal(lat), Decimal(lng))
            cleaned.update(lat=lat, lng=lng, warning=warning)
        return cleaned
