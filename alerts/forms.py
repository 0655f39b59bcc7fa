from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformForm

from .services import NOTE_MAX


class HandleForm(PlatformForm):
    """【处理】: the states offered are those the user may set (services.allowed_states)."""

    state = forms.ChoiceField(label="处理状态", error_messages={"required": "请选择处理状态。"})
    note = forms.CharField(
        label="处理说明",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="设为「已处理」或「已忽略」时必填。",
        error_messages={"max_length": f"处理说明不能超过{NOTE_MAX}字。"},
    )

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = list(states)
        self.fields["state"].error_messages["invalid_choice"] = "不能设为该处理状态。"
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
