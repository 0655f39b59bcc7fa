"""考勤设备 pages (docs/requirements.md §8): the project's devices with serial number, vendor, direction, last seen;
the project account adds, edits and deactivates them. Supervisors read."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jmzhgd.core.access import get_in_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.codes import Direction
from jmzhgd.core.filters import BootstrapFilterSet
from jmzhgd.core.forms import PlatformFormMixin
from jmzhgd.core.list_views import ProjectListView

from . import devices as actions
from .models import Device
from .views_reports import _tabs


class DeviceForm(PlatformFormMixin, forms.ModelForm):
    class Meta:
        model = Device
        fields = ["serial_number", "vendor", "name", "direction", "location", "is_active"]
        error_messages = {"serial_number": {"required": "请填写设备序列号。"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].choices = [("", "双向")] + list(Direction.choices)
        if self.instance.pk:
            # Punches carry the serial number; it cannot change once the device is registered.
            del self.fields["serial_number"]
        else:
            self.fields[
                "serial_number"
            ].help_text = "设备上的序列号（SN），上传考勤和心跳时使用，登记后不能修改。"

    def clean_serial_number(self):
        value = self.cleaned_data["serial_number"].strip()
        if not value.replace("-", "").replace("_", "").isalnum():
            raise ValidationError("设备序列号只能包含字母、数字、连字符和下划线。")
        return value

    def validate_unique(self):
        """Uniqueness is the action's to check (with a clear message), not the form's."""


class DeviceFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"placeholder": "序列号/名称/厂商"})
    )
    direction = django_filters.ChoiceFilter(label="进出方向", choices=Direction.choices)
    is_active = django_filters.BooleanFilter(
        label="状态", widget=forms.Select(choices=[("", "全部"), ("true", "启用"), ("false", "停用")])
    )

    class Meta:
        model = Device
        fields = ["q", "direction", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(serial_number__icontains=value) | Q(name__icontains=value) | Q(vendor__icontains=value)
        )


class DeviceTable(tables.Table):
    serial_number = tables.Column(verbose_name="设备序列号", attrs={"td": {"class": "font-monospace"}})
    direction = tables.Column(verbose_name="进出方向", default="双向")
    is_active = tables.BooleanColumn(verbose_name="启用", yesno="启用,停用")
    last_seen_at = tables.DateTimeColumn(verbose_name="最后在线", format="Y-m-d H:i:s", default="从未在线")
    actions = tables.TemplateColumn(
        template_name="attendance/_device_actions.html", verbose_name="操作", orderable=False
    )

    class Meta:
        model = Device
        fields = ["serial_number", "name", "vendor", "direction", "location", "is_active", "last_seen_at"]
        empty_text = "暂无考勤设备"
        attrs = {"class": "table table-sm table-hover align-middle", "data-testid": "device-table"}


class DeviceListView(ProjectListView):
    template_name = "attendance/devices.html"
    title = "考勤设备"
    filterset_class = DeviceFilter
    table_class = DeviceTable

    def get_queryset(self):
        return Device.objects.filter(project=self.project)

    def extra_context(self) -> dict:
        return {"tabs": _tabs(self.project, "devices")}


device_list = DeviceListView.as_view()


def _form_page(request, project, device=None):
    form = DeviceForm(request.POST or None, instance=device)
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            if device is None:
                device = actions.register_device(actor, project, form.cleaned_data)
                messages.success(request, f"考勤设备 {device.serial_number} 已登记。")
            else:
                actions.update_device(actor, device, form.cleaned_data)
                messages.success(request, f"考勤设备 {device.serial_number} 已保存。")
        except ValidationError as exc:
            for field_name, errors in exc.message_dict.items():
                form.add_error(field_name if field_name in form.fields else None, errors)
        else:
            return redirect("attendance:device_list", project_id=project.pk)
    return render(
        request, "attendance/device_form.html", {"project": project, "form": form, "device": device}
    )


@login_required
def device_create(request, project_id):
    project = project_for(request, project_id, write=True)
    return _form_page(request, project)


@login_required
def device_edit(request, project_id, device_id):
    project = project_for(request, project_id, write=True)
    device = get_in_project(Device.objects, project, request.user, pk=device_id)
    return _form_page(request, project, device)


@login_required
@require_POST
def device_deactivate(request, project_id, device_id):
    project = project_for(request, project_id, write=True)
    device = get_in_project(Device.objects, project, request.user, pk=device_id)
    try:
        actions.deactivate_device(Actor.from_request(request), device)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"考勤设备 {device.serial_number} 已停用，其上传和心跳将被拒绝。")
    return redirect("attendance:device_list", project_id=project.pk)
