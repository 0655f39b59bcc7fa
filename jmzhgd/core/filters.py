import django_filters
from django import forms

from .audit_actions import ACTION_LABELS
from .forms import PlatformFormMixin
from .models import AuditLog

ACTION_CHOICES = sorted(ACTION_LABELS.items(), key=lambda item: item[0])


class BootstrapFilterSet(django_filters.FilterSet):
    """A FilterSet whose form widgets carry Bootstrap classes; list pages' filters inherit it."""

    def get_form_class(self):
        # Dates in the plausible range, messages naming the filter (jmzhgd.core.forms).
        form = super().get_form_class()
        return type(form.__name__, (PlatformFormMixin, form), {})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)


class AuditLogFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "操作人/对象/说明"})
    )
    # Chosen by its Chinese name: a supervisor looks for 「人员进场」, not for `roster.enter`.
    action = django_filters.ChoiceFilter(
        field_name="action", label="操作", empty_label="全部", choices=ACTION_CHOICES
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label="开始日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label="结束日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditLog
        fields = ["q", "action", "date_from", "date_to"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(actor_label__icontains=value) | Q(object_repr__icontains=value) | Q(summary__icontains=value)
        )


class ProjectFilterSet(BootstrapFilterSet):
    """A FilterSet of one project's list: its choice filters offer only that project's objects.

    `project_choices` maps a filter name to a function project -> queryset. The form already exists
    when __init__ runs, so both the filter and its form field are narrowed (the field validates).
    """

    project_choices: dict = {}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        for name, queryset_for in self.project_choices.items():
            if name in self.filters:
                queryset = queryset_for(project)
                self.filters[name].queryset = queryset
                self.form.fields[name].queryset = queryset
