"""Forms of the 异常考勤 page."""

from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformFormMixin

from .anomalies import candidate_entries


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, entry):
        return f"{entry.person.name}（{entry.person.id_number_masked}）· {entry.unit.enterprise.name} · {entry.team.name}"


class ResolveForm(PlatformFormMixin, forms.Form):
    entry = EntryChoiceField(
        queryset=None,
        label="关联人员",
        empty_label="请选择花名册中的人员",
        error_messages={
            "required": "请选择要关联的人员。",
            "invalid_choice": "所选人员不在本项目该日的花名册中。",
        },
    )
    note = forms.CharField(label="处理说明", max_length=200, required=False)

    def __init__(self, *args, punch, **kwargs):
        super().__init__(*args, **kwargs)
        entries = candidate_entries(punch)
        self.fields["entry"].queryset = entries
        if punch.id_number_digest and not self.is_bound:
            match = entries.filter(person__id_number_digest=punch.id_number_digest).first()
            if match is not None:
                self.initial["entry"] = match.pk


class DismissForm(PlatformFormMixin, forms.Form):
    reason = forms.CharField(
        label="忽略原因",
        max_length=200,
        error_messages={"required": "请填写忽略原因。", "max_length": "忽略原因不能超过200个字符。"},
    )
