"""项目库 (card, 编辑, 场所码登记, 项目定位) and the geocoder; 项目总览, the dashboard and the project list
count workers and attendance, so they are on the top floor (jmzhgd.portal.projects).

The declaration and review pages are in views_declaration.py, the account care in views_accounts.py.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_POST

from jmzhgd.core.access import can_write_project, project_for
from jmzhgd.core.actor import Actor
from jmzhgd.core.files import serve_private_file

from . import gazetteer, geofence, services
from .forms import LocationForm, PermitFormSet, PlaceCodeForm, ProjectEditForm

logger = logging.getLogger(__name__)

GEOCODER_TIMEOUT_SECONDS = 3
GEOCODER_MAX_RESULTS = 5


def map_settings() -> dict:
    return {
        "districtsUrl": static("vendor/jiangmen-districts/jiangmen-districts.geojson"),  # the base map
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "geocoder": bool(settings.GEOCODER_URL),
    }


@login_required
def card(request, project_id):
    """项目库: the project card (read-only for supervisors: no buttons, and writes answer 403)."""
    project = project_for(request, project_id)
    return render(
        request,
        "projects/card.html",
        {
            "project": project,
            "permits": project.permits.all(),
            "declaration": getattr(project, "declaration", None)
            if not request.user.is_project_user
            else None,
            "can_write": can_write_project(request.user, project),
        },
    )


@login_required
def edit(request, project_id):
    """【编辑】: every field of docs/requirements.md §4 and the 施工许可证 (several)."""
    project = project_for(request, project_id, write=True)
    form = ProjectEditForm(request.POST or None, instance=project)
    permits = PermitFormSet(request.POST or None, instance=project, prefix="permits")
    if request.method == "POST" and all([form.is_valid(), permits.is_valid()]):  # both show their errors
        services.update_project(Actor.from_request(request), form, permits)
        messages.success(request, "项目信息已保存。")
        return redirect("projects:card", project_id=project.pk)
    return render(request, "projects/edit.html", {"project": project, "form": form, "permits": permits})


@login_required
def place_code(request, project_id):
    """【场所码登记】: the 粤省事 场所码 ID and optionally its QR image."""
    project = project_for(request, project_id, write=True)
    form = PlaceCodeForm(
        request.POST or None, request.FILES or None, initial={"place_code": project.place_code}
    )
    if request.method == "POST" and form.is_valid():
        services.register_place_code(
            Actor.from_request(request),
            project,
            form.cleaned_data["place_code"],
            image=form.cleaned_data["image"],
            remove_image=form.cleaned_data["remove_image"],
        )
        messages.success(request, "场所码已登记。")
        return redirect("projects:card", project_id=project.pk)
    return render(request, "projects/place_code.html", {"project": project, "form": form})


@login_required
def place_code_image(request, project_id):
    """The QR image, streamed after the access check (no public media URL)."""
    project = project_for(request, project_id)
    if not project.place_code_image:
        raise Http404
    return serve_private_file(project.place_code_image, download_name=f"场所码-{project.code}.png")


@login_required
def location(request, project_id):
    """【项目定位】: drag the marker or type lat/lng, 【保存】. Supervisors see it read-only."""
    project = project_for(request, project_id, write=request.method == "POST")
    can_write = can_write_project(request.user, project)
    initial = {"lat": project.lat, "lng": project.lng}
    form = LocationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        warning = services.set_project_location(
            Actor.from_request(request), project, form.cleaned_data["lat"], form.cleaned_data["lng"]
        )
        messages.success(request, f"项目坐标已保存：纬度 {project.lat}，经度 {project.lng}。")
        if warning:
            messages.warning(request, warning)
        return redirect("projects:location", project_id=project.pk)
    return render(
        request,
        "projects/location.html",
        {
            "project": project,
            "form": form,
            "can_write": can_write,
            "map_settings": map_settings(),
            "fences": project.site_fences,
            "fence_limits": {"maxFences": geofence.MAX_FENCES, "maxVertices": geofence.MAX_VERTICES},
        },
    )


@login_required
@require_POST
def fences(request, project_id):
    """【更新电子围栏】 on 项目定位: the drawn circles and polygons as JSON in one hidden field."""
    project = project_for(request, project_id, write=True)
    try:
        raw = json.loads(request.POST.get("fences") or "[]")
    except ValueError:
        messages.error(request, "围栏数据格式不正确，请重新绘制。")
    else:
        try:
            saved = services.set_site_fences(Actor.from_request(request), project, raw)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"电子围栏已保存：共 {len(saved)} 个。")
    return redirect("projects:location", project_id=project.pk)


def _parse_geocoder_answer(data) -> list[dict]:
    """Nominatim-style lists ([{lat, lon, display_name}]) and Tianditu's {location: {lat, lon}}."""
    results = []
    if isinstance(data, dict):
        location = data.get("location")
        if isinstance(location, dict):
            data = [
                {
                    "lat": location.get("lat"),
                    "lon": location.get("lon"),
                    "display_name": location.get("keyWord", ""),
                }
            ]
        else:
            data = data.get("results") or data.get("result") or []
    if not isinstance(data, list):
        return results
    for item in data[:GEOCODER_MAX_RESULTS]:
        if not isinstance(item, dict):
            continue
        try:
            lat = Decimal(str(item.get("lat")))
            lng = Decimal(str(item.get("lon", item.get("lng"))))
            lat, lng, _warning = services.check_coordinates(lat, lng)
        except (InvalidOperation, ValidationError, TypeError, ValueError):
            continue
        label = str(item.get("display_name") or item.get("name") or "")[:200]
        results.append({"lat": float(lat), "lng": float(lng), "label": label})
    return results


GAZETTEER_NOTE = "以下为平台内置江门地名录的大致位置（区县、镇街、主要道路），选中后请再点击地图或拖动标记到工地的准确位置。"
GAZETTEER_MISS = "内置地名录中没有找到该地址：请输入区县、镇街或道路名（如“蓬江区白沙大道”），或直接点击地图、拖动标记、填写经纬度。"


def _gazetteer_answer(query: str, *, configured: bool, note: str, status: int = 200) -> JsonResponse:
    results = gazetteer.search(query)
    message = f"{note}{GAZETTEER_NOTE}" if results else f"{note}{GAZETTEER_MISS}"
    return JsonResponse(
        {"configured": configured, "source": "gazetteer", "message": message, "results": results},
        status=status,
    )


@login_required
def geocode(request):
    """Address search for 【项目定位】, asked server-side of settings.GEOCODER_URL with a short timeout.

    GEOCODER_URL is a URL template with `{query}` (or the query is appended as `q=`); the answer
    may be Nominatim's JSON list or Tianditu's geocoder JSON. Unset, or the service down: the places
    shipped with the platform answer (projects.gazetteer, offline), and the message says they are
    approximate and how to place the pin.
    """
    user = request.user
    if not (user.is_project_user or user.is_supervisor or user.is_superuser):
        raise Http404
    query = (request.GET.get("q") or "").strip()[:100]
    if not query:
        return JsonResponse(
            {"configured": bool(settings.GEOCODER_URL), "message": "请输入要搜索的地址。", "results": []},
            status=400,
        )
    if not settings.GEOCODER_URL:
        return _gazetteer_answer(query, configured=False, note="")
    quoted = urllib.parse.quote(query)
    template = settings.GEOCODER_URL
    if "{query}" in template:
        url = template.replace("{query}", quoted)
    else:
        url = f"{template}{'&' if '?' in template else '?'}q={quoted}"
    try:
        request_out = urllib.request.Request(
            url, headers={"User-Agent": "jmzhgd/1.0", "Accept": "application/json"}
        )
        with urllib.request.urlopen(request_out, timeout=GEOCODER_TIMEOUT_SECONDS) as answer:  # noqa: S310
            data = json.loads(answer.read(512 * 1024).decode("utf-8"))
    except Exception as error:  # noqa: BLE001 - any failure of the outside service reads the same
        logger.warning("geocoder failed: %s", error.__class__.__name__)
        return _gazetteer_answer(query, configured=True, note="地址搜索服务暂时不可用。", status=502)
    results = _parse_geocoder_answer(data)
    if not results:
        return _gazetteer_answer(query, configured=True, note="地址搜索服务未找到该地址。")
    return JsonResponse({"configured": True, "message": "", "results": results})
