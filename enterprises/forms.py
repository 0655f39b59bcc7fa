"""Forms of the enterprise library, participating units and teams. Messages are Chinese."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from jmzhgd.core.codes import CorpType, TeamType
from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.uploads import clean_image_or_pdf
from jmzhgd.core.validators import NameFieldsMixin, validate_credit_code, validate_id_number, validate_phone

from .models import Enterprise, ParticipatingUnit, Team
from .services import check_not_future

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckedFieldsMixin(NameFieldsMixin):
    """Runs the platform validators on the ID-number and phone fields a form has (blank = not given).

    `id_fields` / `phone_fields` name them; an ID field left blank on an edit form keeps the stored
    number (`keep_blank_ids`), since the full number is never shown back.
    """

    id_fields: tuple[str, ...] = ()
    phone_fields: tuple[str, ...] = ()
    keep_blank_ids = False

    def clean(self):
        cleaned = super().clean()
        for name in self.id_fields:
            value = cleaned.get(name)
            if value:
                try:
                    cleaned[name] = validate_id_number(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
            elif self.keep_blank_ids and name in cleaned:
                cleaned.pop(name)
        for name in self.phone_fields:
            value = cleaned.get(name)
            if value:
                try:
                    cleaned[name] = validate_phone(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


def _date_not_future(value, label):
    if value:
        check_not_future(value, label)
    return value


# --- 企业库 ------------------------------------------------------------------------------------------


class EnterpriseForm(PlatformFormMixin, CheckedFieldsMixin, forms.ModelForm):
    """企业注册 and 企业信息完善 (the credit code is editable only where the view leaves it in)."""

    phone_fields = ("contact_phone",)
    name_fields = ("name", "legal_rep", "contact_name")

    class Meta:
        model = Enterprise
        fields = [
            "credit_code",
            "name",
            "reg_type",
            "legal_rep",
            "registered_capital",
            "established_on",
            "address",
            "district",
            "contact_name",
            "contact_phone",
            "qualification_category",
            "qualification_grade",
            "qualification_cert_no",
            "licence_scan",
        ]
        widgets = {"established_on": DATE_WIDGET}
        help_texts = {"licence_scan": "JPG、PNG 或 PDF 文件。"}

    def __init__(self, *args, registering: bool = False, code_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.registering = registering
        if not code_editable:
            del self.fields["credit_code"]
        self.fields["licence_scan"].widget = forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.pdf"}
        )

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data.get("credit_code"))

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError("请填写企业名称。")
        return name

    def clean_registered_capital(self):
        capital = self.cleaned_data.get("registered_capital")
        if capital is not None and capital < 0:
            raise forms.ValidationError("注册资本不能为负数。")
        return capital

    def clean_established_on(self):
        return _date_not_future(self.cleaned_data.get("established_on"), "成立日期")

    def clean_licence_scan(self):
        upload = self.cleaned_data.get("licence_scan")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            return clean_image_or_pdf(upload, label="营业执照扫描件")
        return upload

    def validate_unique(self):
        # Registering an existing code links to that enterprise (the view does it) instead of failing.
        if not self.registering:
            super().validate_unique()


# --- 参建单位 ----------------------------------------------------------------------------------------


class UnitDetailsForm(PlatformFormMixin, CheckedFieldsMixin, forms.ModelForm):
    """项目负责人 and wage bank details, shared by 【添加参建单位】 and 【编辑】."""

    id_fields = ("pm_id_number",)
    phone_fields = ("pm_phone",)
    name_fields = ("pm_name", "wage_bank_name")

    pm_id_number = forms.CharField(label="项目负责人身份证号", required=False, max_length=30)

    class Meta:
        model = ParticipatingUnit
        fields = ["pm_name", "pm_id_number", "pm_phone", "wage_bank_name", "wage_bank_account"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pm_name"].required = True
        self.fields["pm_name"].error_messages["required"] = "请填写项目负责人姓名。"
        self.fields["pm_phone"].required = True
        self.fields["pm_phone"].error_messages["required"] = "请填写项目负责人电话。"
        if self.instance.pk:
            self.keep_blank_ids = True
            self.initial["pm_id_number"] = ""
            if self.instance.pm_id_number_masked:
                self.fields[
                    "pm_id_number"
                ].help_text = f"当前：{self.instance.pm_id_number_masked}，留空则不修改。"


class UnitAddForm(UnitDetailsForm):
    """【添加参建单位】: an enterprise picked from the library, its type and entry date."""

    enterprise = forms.ModelChoiceField(
        label="企业",
        queryset=Enterprise.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"required": "请先在企业库中查找并选择企业。", "invalid_choice": "所选企业不存在。"},
    )
    corp_type = forms.ChoiceField(label="参建单位类型", choices=[("", "请选择")] + CorpType.choices)
    entry_date = forms.DateField(label="进场日期", widget=DATE_WIDGET)

    class Meta(UnitDetailsForm.Meta):
        fields = ["enterprise", "corp_type", "entry_date", *UnitDetailsForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["corp_type"].error_messages["required"] = "请选择参建单位类型。"
        self.fields["entry_date"].error_messages["required"] = "请填写进场日期。"
        self.fields["entry_date"].initial = timezone.localdate()

    def clean_entry_date(self):
        return _date_not_future(self.cleaned_data.get("entry_date"), "进场日期")

    def _get_validation_exclusions(self):
        # Re-entry of an exited unit of the same enterprise and type is the action's decision, so
        # the model's unique constraint on (project, enterprise, type) is not checked here.
        return {*super()._get_validation_exclusions(), "corp_type"}

    def validate_unique(self):
        pass


class DateStepForm(PlatformFormMixin, forms.Form):
    """退场 / 再次进场: one date, default today, never in the future."""

    day = forms.DateField(label="日期", widget=DATE_WIDGET, error_messages={"required": "请填写日期。"})

    def __init__(self, *args, label: str = "退场日期", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].label = label
        self.fields["day"].initial = timezone.localdate()

    def clean_day(self):
        return _date_not_future(self.cleaned_data.get("day"), self.fields["day"].label)


# --- 班组 --------------------------------------------------------------------------------------------


class TeamForm(PlatformFormMixin, CheckedFieldsMixin, forms.ModelForm):
    """【添加班组】 (with unit and entry date) and 【编辑】 (without them)."""

    id_fields = ("leader_id_number", "responsible_id_number")
    phone_fields = ("leader_phone", "responsible_phone")
    name_fields = ("name", "leader_name", "responsible_name")

    leader_id_number = forms.CharField(label="班组长身份证号", required=False, max_length=30)
    responsible_id_number = forms.CharField(label="责任人身份证号", required=False, max_length=30)

    class Meta:
        model = Team
        fields = [
            "unit",
            "team_type",
            "name",
            "leader_name",
            "leader_phone",
            "leader_id_number",
            "responsible_name",
            "responsible_phone",
            "responsible_id_number",
            "entry_date",
            "remark",
        ]
        widgets = {"entry_date": DATE_WIDGET}

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        if editing:
            del self.fields["unit"], self.fields["entry_date"]
            self.keep_blank_ids = True
            allowed = [TeamType.OTHER] if self.instance.team_type == TeamType.OTHER else list(TeamType)[1:]
            for name in self.id_fields:
                self.initial[name] = ""
                masked = getattr(self.instance, f"{name}_masked")
                if masked:
                    self.fields[name].help_text = f"当前：{masked}，留空则不修改。"
        else:
            units = ParticipatingUnit.objects.filter(project=project).on_site().select_related("enterprise")
            self.fields["unit"].queryset = units
            self.fields["unit"].label = "所属参建单位（在场）"
            self.fields["unit"].empty_label = "请选择"
            self.fields["unit"].error_messages.update(
                required="请选择所属参建单位。", invalid_choice="只能选择本项目在场的参建单位。"
            )
            self.fields["entry_date"].initial = timezone.localdate()
            self.fields["entry_date"].error_messages["required"] = "请填写进场日期。"
            allowed = [TeamType.WORKER, TeamType.OTHER]
        self.fields["team_type"].choices = [(t.value, t.label) for t in allowed]
        self.fields["team_type"].error_messages["invalid_choice"] = (
            "班组类型只能由建筑工人班组改为其他人员班组。"
            if editing
            else "只能添加建筑工人班组或其他人员班组。"
        )
        self.fields["name"].error_messages["required"] = "请填写班组名称。"
        self.fields["leader_name"].required = True
        self.fields["leader_name"].error_messages["required"] = "请填写班组长姓名。"

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise forms.ValidationError("请填写班组名称。")
        return name

    def clean_entry_date(self):
        return _date_not_future(self.cleaned_data.get("entry_date"), "进场日期")

    def _get_validation_exclusions(self):
        # The action checks the name within the unit, with a message naming both.
        return {*super()._get_validation_exclusions(), "name"}

    def validate_unique(self):
        pass
