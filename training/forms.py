from __future__ import annotations

from django import forms

from jmzhgd.core.forms import PlatformFormMixin

from .models import Training
from .services import TRAINING_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingForm(PlatformFormMixin, forms.ModelForm):
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

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in TRAINING_FIELDS}
