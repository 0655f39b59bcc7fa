"""项目库 (docs/requirements.md §4): coordinates, 场所码 and the project's information."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from jmzhgd.core import audit
from jmzhgd.core.actor import Actor

from ..geofence import FENCE_TYPES, clean_fences
from ..models import Project

# WGS-84 bounds: China (the coordinates must lie inside) and Jiangmen (outside it we only warn).
CHINA_BOUNDS = {"lat": (Decimal("3.8"), Decimal("53.6")), "lng": (Decimal("73.5"), Decimal("135.1"))}
JIANGMEN_BOUNDS = {"lat": (Decimal("21.45"), Decimal("22.85")), "lng": (Decimal("111.95"), Decimal("113.25"))}
SIX_PLACES = Decimal("0.000001")


def _inside(bounds: dict, lat: Decimal, lng: Decimal) -> bool:
    return bounds["lat"][0] <= lat <= bounds["lat"][1] and bounds["lng"][0] <= lng <= bounds["lng"][1]


def check_coordinates(lat: Decimal, lng: Decimal) -> tuple[Decimal, Decimal, str]:
    """(lat, lng) rounded to 6 decimals, and a warning when outside Jiangmen; outside China raises."""
    lat = Decimal(lat).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    lng = Decimal(lng).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    if not _inside(CHINA_BOUNDS, lat, lng):
        raise ValidationError(
            f"坐标（纬度 {lat}，经度 {lng}）不在中国境内：纬度应在 3.8–53.6 之间，经度应在 73.5–135.1 之间。",
            code="outside_china",
        )
    warning = ""
    if not _inside(JIANGMEN_BOUNDS, lat, lng):
        warning = f"注意：坐标（纬度 {lat}，经度 {lng}）不在江门市范围内，请确认项目位置是否正确。"
    return lat, lng, warning


@transaction.atomic
def set_project_location(actor: Actor, project: Project, lat, lng) -> str:
    """【项目定位】【保存】: stores WGS-84 lat/lng with 6 decimals; returns a warning or ""."""
    lat, lng, warning = check_coordinates(lat, lng)
    before = audit.snapshot(project, fields=["lat", "lng"])
    project.lat, project.lng = lat, lng
    project.save(update_fields=["lat", "lng", "updated_at"])
    audit.record(
        actor,
        "project.locate",
        project,
        summary=f"项目定位：{lat}, {lng}",
        before=before,
        after=audit.snapshot(project, fields=["lat", "lng"]),
    )
    return warning


def describe_fences(fences: list[dict]) -> str:
    return "、".join(f"{f['name']}（{FENCE_TYPES[f['type']]}）" for f in fences) or "无"


@transaction.atomic
def set_site_fences(actor: Actor, project: Project, raw) -> list[dict]:
    """【项目定位】【更新电子围栏】: replaces the project's 电子围栏 (projects.geofence checks them)."""
    fences = clean_fences(raw)
    project = Project.objects.select_for_update().get(pk=project.pk)
    before = project.site_fences
    project.site_fences = fences
    project.save(update_fields=["site_fences", "updated_at"])
    audit.record(
        actor,
        "project.fences",
        project,
        summary=f"电子围栏：{describe_fences(fences)}",
        before={"site_fences": before},
        after={"site_fences": fences},
    )
    return fences


@transaction.atomic
def register_place_code(
    actor: Actor, project: Project, place_code: str, image=None, remove_image=False
) -> None:
    """【场所码登记】: the 粤省事 场所码 ID and optionally its QR image (already checked)."""
    before = audit.snapshot(project, fields=["place_code", "place_code_image"])
    project.place_code = place_code
    old_image = project.place_code_image.name if project.place_code_image else ""
    if image is not None:
        project.place_code_image = image
    elif remove_image:
        project.place_code_image = ""
    project.save(update_fields=["place_code", "place_code_image", "updated_at"])
    if old_image and old_image != (project.place_code_image.name or ""):
        transaction.on_commit(lambda: project.place_code_image.storage.delete(old_image))
    audit.record(
        actor,
        "project.place_code",
        project,
        summary=f"场所码登记：{place_code}",
        before=before,
        after=audit.snapshot(project, fields=["place_code", "place_code_image"]),
    )


@transaction.atomic
def update_project(actor: Actor, form, permit_formset) -> Project:
    """【编辑】【提交】: the project's fields and its 施工许可证, audited with before/after."""
    project = form.instance
    before = audit.snapshot(Project.objects.get(pk=project.pk))
    permits_before = sorted(project.permits.values_list("number", flat=True))
    form.save()
    permit_formset.instance = project
    permit_formset.save()
    after = audit.snapshot(project)
    permits_after = sorted(project.permits.values_list("number", flat=True))
    old, new = audit.changed(before, after)
    if permits_before != permits_after:
        old["施工许可证"], new["施工许可证"] = "、".join(permits_before), "、".join(permits_after)
    old.pop("updated_at", None), new.pop("updated_at", None)
    audit.record(actor, "project.update", project, summary="编辑项目信息", before=old, after=new)
    return project
