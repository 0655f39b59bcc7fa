"""Forms of the 人员库 and 花名册 pages. Business rules live in workforce.services; forms parse input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils import timezone

from enterprises.models import ParticipatingUnit, Team
from jmzhgd.core.codes import PersonCategory, TeamType
from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.models import ManagementPost, WorkType
from jmzhgd.core.pii import mask_phone
from jmzhgd.core.uploads import clean_image
from jmzhgd.core.validators import guard_name_fields

from .models import Person
from .services import EntryRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IMAGE_ACCEPT = "image/jpeg,image/png"

# Person fields a page may set (the ID number itself is handled separately: set once, never shown in full).
PERSON_FIELDS = [
    "name",
    "nation",
    "address",
    "issuing_authority",
    "id_valid_from",
    "id_valid_to",
    "phone",
    "culture_level",
    "politics_type",
    "marital_status",
    "has_major_medical_history",
    "urgent_contact_name",
    "urgent_contact_phone",
]
NAME_FIELDS = ("name", "urgent_contact_name", "bank_name")
IMAGE_FIELDS = {"photo": "头像", "id_front_image": "身份证正面照", "id_back_image": "身份证反面照"}
# Stored encrypted (core.pii). Like 工资卡号, a correction form shows the current value masked and
# keeps it when left blank: the full number is not echoed into the page of a person it already has.
PHONE_FIELDS = ("phone", "urgent_contact_phone")


class PersonForm(PlatformFormMixin, forms.Form):
    """人员库 form (add and correct). Validation is upsert_person's; this form only parses.

    `person` set: correcting an existing person, whose 证件类型 and 证件号码 stay as they are.
    `capture`: on the 采集 page, the image inputs open the phone's camera.
    """

    field_names = PERSON_FIELDS + ["bank_name", "bank_card_number"]
    capture = False

    def __init__(self, *args, person: Person | None = None, card=None, **kwargs):
        """`card`: this project's PayCard for `person` (the 工资卡 is the employment's, not his)."""
        self.person = person
        if person is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(person, name)
                    for name in self.field_names
                    if name in PERSON_FIELDS and name not in PHONE_FIELDS
                },
            )
        super().__init__(*args, **kwargs)
        fields = {}
        if person is None:
            fields.update(fields_for_model(Person, fields=["id_type"]))
            fields["id_number"] = forms.CharField(label="证件号码", max_length=40)
        model_fields = [n for n in self.field_names if n in PERSON_FIELDS]
        fields.update(fields_for_model(Person, fields=model_fields))
        if "bank_card_number" in self.field_names:
            fields["bank_name"] = forms.CharField(
                label="工资卡开户行",
                required=False,
                max_length=100,
                initial=card.bank_name if card else "",
                help_text="本项目发放工资所用的银行卡，只有本项目能看到和修改",
            )
            fields["bank_card_number"] = forms.CharField(
                label="工资卡号",
                required=False,
                max_length=40,
                help_text=f"本项目登记的卡：尾号{card.last4}，不修改请留空" if card else "",
            )
        for name, label in IMAGE_FIELDS.items():
            attrs = {"accept": IMAGE_ACCEPT}
            if self.capture:
                attrs["capture"] = "user" if name == "photo" else "environment"
            fields[name] = forms.FileField(
                label=label,
                required=False,
                widget=forms.ClearableFileInput(attrs=attrs),
                help_text="JPG 或 PNG",
            )
        fields["name"].required = person is None
        for name in ("id_valid_from", "id_valid_to"):
            if name in fields:
                fields[name].widget = DATE_INPUT
        if "id_number" in fields:
            fields["id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        for name in PHONE_FIELDS:
            if name in fields:
                fields[name] = self._phone_field(fields[name].label, getattr(person, name, ""))
        guard_name_fields(fields, NAME_FIELDS)
        self.fields = fields
        self.apply_platform_rules_to_fields()  # the fields were built after the mixin's __init__

    @staticmethod
    def _phone_field(label, current: str) -> forms.CharField:
        return forms.CharField(
            label=label,
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            help_text=f"当前：{mask_phone(current)}，留空则不修改。" if current else "",
        )

    def _clean_upload(self, name):
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        return clean_image(upload, label=IMAGE_FIELDS[name])

    def clean_photo(self):
        return self._clean_upload("photo")

    def clean_id_front_image(self):
        return self._clean_upload("id_front_image")

    def clean_id_back_image(self):
        return self._clean_upload("id_back_image")

    def person_data(self) -> dict:
        """The cleaned values as upsert_person's `data` (the identity of an existing person included)."""
        data = {k: v for k, v in self.cleaned_data.items() if v is not None}
        if self.person is not None:
            data["id_type"], data["id_number"] = self.person.id_type, self.person.id_number
        return data


class CollectionForm(PersonForm):
    """采集: what a phone can capture on site: the ID card's fields, its two sides and a face photo.

    The fields the province's ProjectWorker record cannot go without (民族, 住址, 手机号 besides the
    name and the ID; 工种 and 工人类型 come with the entry) are required here, so the clerk learns it
    while the worker stands in front of him, not later on 数据对接 (docs/domain.md §2.2)."""

    field_names = ["name", "nation", "address", "issuing_authority", "id_valid_from", "id_valid_to", "phone"]
    capture = True
    required_by_province = ("nation", "address", "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_by_province:
            field = self.fields[name]
            field.required = True
            field.error_messages["required"] = f"请填写{field.label}（上报省平台必填）。"


class EntryDetailsForm(PlatformFormMixin, forms.Form):
    """Step 2 of the 人员进场 wizard (and the optional entry on the 采集 page).

    Choices are narrowed to the project and to what the chosen unit and category allow; the rules
    themselves (order, team type, 岗位 per unit type, ages) are checked by services.check_entries.
    """

    category = forms.ChoiceField(
        label="人员类别", choices=PersonCategory.choices, initial=PersonCategory.WORKER
    )
    unit = forms.ModelChoiceField(
        label="所属企业", queryset=ParticipatingUnit.objects.none(), empty_label="请选择参建单位"
    )
    team = forms.ModelChoiceField(label="所属班组", queryset=Team.objects.none(), empty_label="请选择班组")
    work_type = forms.ModelChoiceField(
        label="工种",
        queryset=WorkType.objects.filter(is_active=True),
        required=False,
        empty_label="请选择工种",
    )
    post = forms.ModelChoiceField(
        label="岗位", queryset=ManagementPost.objects.none(), required=False, empty_label="请选择岗位"
    )
    entry_date = forms.DateField(label="进场时间", widget=DATE_INPUT)

    def __init__(self, project, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("entry_date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.project = project
        units = ParticipatingUnit.objects.filter(project=project).on_site().select_related("enterprise")
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: str(u)
        self.fields["team"].queryset = Team.objects.filter(project=project).on_site().select_related("unit")
        self.fields["post"].queryset = ManagementPost.objects.filter(is_active=True)
        # What the dependent selects offer right now (the page's script refreshes them on change).
        unit, category = (
            self._chosen("unit"),
            self.data.get(self.add_prefix("category")) or self.initial.get("category", PersonCategory.WORKER),
        )
        self.team_choices = team_choices(project, unit, category) if unit else []
        self.post_choices = post_choices(unit) if unit else []

    def _chosen(self, name):
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if not value:
            return None
        try:
            return self.fields[name].queryset.filter(pk=getattr(value, "pk", value)).first()
        except (ValueError, TypeError):
            return None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") == PersonCategory.MANAGER:
            cleaned["work_type"] = None
        else:
            cleaned["post"] = None
        return cleaned

    def requests_for(self, persons, leaders=frozenset()) -> list[EntryRequest]:
        data = self.cleaned_data
        return [
            EntryRequest(
                person=person,
                unit=data["unit"],
                team=data["team"],
                category=data["category"],
                work_type=data["work_type"],
                post=data["post"],
                entry_date=data["entry_date"],
                is_team_leader=person.pk in leaders,
            )
            for person in persons
        ]


def team_choices(project, unit, category) -> list[Team]:
    """A unit's on-site teams that take `category`: its 管理人员班组 for managers, else its normal teams."""
    from jmzhgd.core.codes import TEAM_TYPE_FOR_CATEGORY

    try:
        team_type = TEAM_TYPE_FOR_CATEGORY[PersonCategory(category)]
    except ValueError:
        team_type = TeamType.WORKER
    return list(
        Team.objects.filter(project=project, unit=unit, team_type=team_type).on_site().order_by("name")
    )


def post_choices(unit) -> list[ManagementPost]:
    """The 岗位 offered for the unit's 参建单位类型 (e.g. 总监理工程师 only for 监理)."""
    return [p for p in ManagementPost.objects.filter(is_active=True) if p.applies_to(unit.corp_type)]


class ExitForm(PlatformFormMixin, forms.Form):
    exit_date = forms.DateField(label="退场日期", widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("exit_date", timezone.localdate())
        super().__init__(*args, **kwargs)


def parse_ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            raise ValidationError("所选记录无效，请刷新页面后重试。") from None
    return ids
